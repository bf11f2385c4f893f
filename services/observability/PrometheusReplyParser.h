#pragma once

#include "observability/MetricsTypes.h"

#include <QByteArray>
#include <QNetworkReply>

namespace chom::metrics::detail {

// What the client observed about one finished HTTP exchange.
struct ReplyFacts
{
    QNetworkReply::NetworkError code = QNetworkReply::NoError;
    QString qtMessage;  // QNetworkReply::errorString()
    int httpStatus = 0; // 0: no HTTP answer
    QString httpReason; // "Internal Server Error"
    qint64 contentLength = -1;
    QByteArray body;
    bool timedOut = false; // our own deadline fired
    bool tooLarge = false; // we aborted over the size cap
    qint64 maxBodyBytes = 0;
    int timeoutMs = 0;
    QUrl url;
    QUrl redirectTarget; // a 3xx answer's Location, resolved; empty otherwise

    // The fields every client reads the same way off a finished reply
    // (error, status, reason, Content-Length); the rest is the caller's.
    static ReplyFacts from(QNetworkReply* reply);
};

// Maps a finished exchange to an ErrorKind and an operator-readable sentence;
// kind None when the answer is a 2xx with the whole body.
MetricsError classifyReply(const ReplyFacts& facts);

// {"status":"error","errorType":..,"error":..} -> kind Prometheus; kind None
// when the body is not such a document.
MetricsError prometheusErrorFromBody(const QByteArray& body, int httpStatus);

QueryResult parseQueryBody(const QByteArray& body);
MetricsError parseAlertsBody(const QByteArray& body, QVector<Alert>* alerts);

// "1.5", "NaN", "+Inf" -> double; NaN for the infinities (gaps in charts).
double parseSampleValue(const QString& text, bool* ok);
// RFC 3339 with any number of fractional digits -> epoch ms (0 if invalid).
qint64 parseRfc3339Ms(const QString& text);

} // namespace chom::metrics::detail
