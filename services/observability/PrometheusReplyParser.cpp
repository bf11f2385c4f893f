#include "observability/PrometheusReplyParser.h"

#include "observability/PrometheusRequest.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace chom::metrics::detail {

ReplyFacts ReplyFacts::from(QNetworkReply* reply)
{
    ReplyFacts f;
    f.code = reply->error();
    f.qtMessage = reply->errorString();
    f.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    f.httpReason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    const QVariant len = reply->header(QNetworkRequest::ContentLengthHeader);
    f.contentLength = len.isValid() ? len.toLongLong() : -1;
    f.url = reply->url();
    QUrl target = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
    if (target.isEmpty()) // a refused redirect: only the answer's Location says where
        target = QUrl(QString::fromUtf8(reply->rawHeader("Location")));
    if (!target.isEmpty())
        f.redirectTarget = target.isRelative() ? f.url.resolved(target) : target;
    return f;
}

namespace {

MetricsError makeError(ErrorKind kind, const QString& message, int status = 0)
{
    return MetricsError::make(kind, message, status);
}

MetricsError invalid(const QString& what)
{
    return makeError(
        ErrorKind::InvalidJson,
        QCoreApplication::translate("chom::PrometheusReplyParser",
                                    "Prometheus answered with a body that is not its documented "
                                    "JSON: %1.")
            .arg(what));
}

QString where(const QUrl& url)
{
    return shownUrl(url);
}

QString hostPort(const QUrl& url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

QMap<QString, QString> stringMap(const QJsonObject& o)
{
    QMap<QString, QString> m;
    for (auto it = o.begin(); it != o.end(); ++it)
        m.insert(it.key(), it.value().toString());
    return m;
}

// [ <unix seconds>, "<value>" ] -> point; false if malformed.
bool parsePair(const QJsonValue& v, QPointF* point, QString* raw = nullptr)
{
    const QJsonArray a = v.toArray();
    if (a.size() != 2 || !a.at(0).isDouble() || !a.at(1).isString())
        return false;
    bool ok = true;
    const double y = parseSampleValue(a.at(1).toString(), &ok);
    if (raw)
        *raw = a.at(1).toString();
    else if (!ok)
        return false;
    *point = QPointF(double(std::llround(a.at(0).toDouble() * 1000.0)), y);
    return true;
}

QString sizeText(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 bytes").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

} // namespace

double parseSampleValue(const QString& text, bool* ok)
{
    *ok = true;
    if (text == QLatin1String("NaN") || text.endsWith(QLatin1String("Inf")))
        return std::numeric_limits<double>::quiet_NaN();
    const double d = text.toDouble(ok);
    return *ok ? d : std::numeric_limits<double>::quiet_NaN();
}

qint64 parseRfc3339Ms(const QString& text)
{
    // Go prints nanoseconds; Qt's ISO parser wants at most milliseconds.
    static const QRegularExpression frac(QStringLiteral("(\\.\\d{1,3})\\d*"));
    QString t = text;
    t.replace(frac, QStringLiteral("\\1"));
    const QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    return dt.isValid() ? dt.toMSecsSinceEpoch() : 0;
}

MetricsError prometheusErrorFromBody(const QByteArray& body, int httpStatus)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    const QJsonObject o = doc.object();
    if (pe.error != QJsonParseError::NoError ||
        o.value(QLatin1String("status")).toString() != QLatin1String("error"))
        return {};
    MetricsError e;
    e.kind = ErrorKind::Prometheus;
    e.httpStatus = httpStatus;
    e.errorType = o.value(QLatin1String("errorType")).toString();
    const QString text = o.value(QLatin1String("error")).toString();
    e.message = QStringLiteral("Prometheus refused the request (%1): %2")
                    .arg(e.errorType.isEmpty() ? QStringLiteral("error") : e.errorType,
                         text.isEmpty() ? QStringLiteral("no reason given") : text);
    return e;
}

MetricsError classifyReply(const ReplyFacts& f)
{
    using NE = QNetworkReply::NetworkError;
    const QString at = where(f.url);
    if (f.tooLarge)
        return makeError(ErrorKind::TooLarge,
                         QStringLiteral("The answer from %1 is over the %2 size cap; narrow the "
                                        "query, the range or raise the step.")
                             .arg(at, sizeText(f.maxBodyBytes)),
                         f.httpStatus);
    if (f.timedOut || f.code == NE::TimeoutError || f.code == NE::OperationCanceledError)
        return makeError(
            ErrorKind::Timeout,
            QCoreApplication::translate("chom::PrometheusReplyParser",
                                        "No answer from %1 within %2 ms (timeout); Prometheus or "
                                        "the network in between is stuck or overloaded.")
                .arg(at)
                .arg(f.timeoutMs));
    switch (f.code) {
    case NE::HostNotFoundError:
        return makeError(
            ErrorKind::Resolve,
            QCoreApplication::translate("chom::PrometheusReplyParser",
                                        "Cannot resolve the host name \"%1\" (Prometheus URL %2): "
                                        "check the URL and DNS.")
                .arg(f.url.host(), at));
    case NE::ConnectionRefusedError:
        return makeError(
            ErrorKind::Refused,
            QCoreApplication::translate("chom::PrometheusReplyParser",
                                        "Connection refused by %1: nothing listens there; is "
                                        "Prometheus running and is the port right?")
                .arg(hostPort(f.url)));
    case NE::RemoteHostClosedError:
    case NE::TemporaryNetworkFailureError:
    case NE::NetworkSessionFailedError:
    case NE::ProxyConnectionClosedError:
    case NE::UnknownNetworkError:
        return makeError(ErrorKind::Reset,
                         QStringLiteral("The connection to %1 was reset or closed before the "
                                        "answer was complete (%2).")
                             .arg(at, f.qtMessage),
                         f.httpStatus);
    case NE::InsecureRedirectError:
        return makeError(ErrorKind::Http, redirectRefused(f.url, f.redirectTarget), f.httpStatus);
    case NE::SslHandshakeFailedError:
        return makeError(
            ErrorKind::Tls,
            QCoreApplication::translate("chom::PrometheusReplyParser",
                                        "TLS failure talking to %1: %2 (check the certificate and "
                                        "the configured CA file).")
                .arg(at, f.qtMessage));
    default:
        break;
    }
    if (f.httpStatus != 0 && (f.httpStatus < 200 || f.httpStatus >= 300)) {
        MetricsError e = prometheusErrorFromBody(f.body, f.httpStatus);
        if (e)
            return e;
        return makeError(
            ErrorKind::Http,
            QStringLiteral("%1 answered HTTP %2%3.")
                .arg(at)
                .arg(f.httpStatus)
                .arg(f.httpReason.isEmpty() ? QString() : QStringLiteral(" ") + f.httpReason),
            f.httpStatus);
    }
    if (f.code != NE::NoError)
        return makeError(ErrorKind::Reset,
                         QStringLiteral("The exchange with %1 failed: %2.").arg(at, f.qtMessage),
                         f.httpStatus);
    if (f.contentLength >= 0 && f.body.size() != f.contentLength)
        return makeError(ErrorKind::Reset,
                         QStringLiteral("The connection to %1 closed early: got %2 of %3 bytes "
                                        "(truncated answer).")
                             .arg(at)
                             .arg(f.body.size())
                             .arg(f.contentLength),
                         f.httpStatus);
    return {};
}

QueryResult parseQueryBody(const QByteArray& body)
{
    QueryResult r;
    r.bytes = body.size();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        r.error = invalid(QStringLiteral("%1 at offset %2").arg(pe.errorString()).arg(pe.offset));
        return r;
    }
    const QJsonObject root = doc.object();
    const QString status = root.value(QLatin1String("status")).toString();
    if (status == QLatin1String("error")) {
        r.error = prometheusErrorFromBody(body, 200);
        return r;
    }
    if (status != QLatin1String("success")) {
        r.error = invalid(QStringLiteral("\"status\" is missing or not \"success\""));
        return r;
    }
    const QJsonObject data = root.value(QLatin1String("data")).toObject();
    r.resultType = data.value(QLatin1String("resultType")).toString();
    const QJsonValue result = data.value(QLatin1String("result"));
    if (r.resultType == QLatin1String("matrix") || r.resultType == QLatin1String("vector")) {
        if (!result.isArray()) {
            r.error = invalid(QStringLiteral("\"data.result\" is not an array"));
            return r;
        }
        const bool matrix = r.resultType == QLatin1String("matrix");
        const QJsonArray arr = result.toArray();
        r.series.reserve(arr.size());
        for (const QJsonValue& item : arr) {
            const QJsonObject o = item.toObject();
            Series s;
            s.labels = stringMap(o.value(QLatin1String("metric")).toObject());
            if (matrix) {
                const QJsonValue values = o.value(QLatin1String("values"));
                if (!values.isArray()) {
                    r.error = invalid(QStringLiteral("a matrix series has no \"values\" array"));
                    r.series.clear();
                    return r;
                }
                const QJsonArray va = values.toArray();
                s.points.reserve(va.size());
                for (const QJsonValue& v : va) {
                    QPointF p;
                    if (!parsePair(v, &p)) {
                        r.error = invalid(QStringLiteral("a sample is not [time, \"value\"]"));
                        r.series.clear();
                        return r;
                    }
                    s.points.push_back(p);
                }
            } else {
                QPointF p;
                if (!parsePair(o.value(QLatin1String("value")), &p)) {
                    r.error = invalid(QStringLiteral("a vector sample is not [time, \"value\"]"));
                    r.series.clear();
                    return r;
                }
                s.points.push_back(p);
            }
            r.series.push_back(std::move(s));
        }
        return r;
    }
    if (r.resultType == QLatin1String("scalar") || r.resultType == QLatin1String("string")) {
        QPointF p;
        QString raw;
        if (!parsePair(result, &p, &raw)) {
            r.error =
                invalid(QStringLiteral("a %1 result is not [time, \"value\"]").arg(r.resultType));
            return r;
        }
        Series s;
        if (r.resultType == QLatin1String("string"))
            s.labels.insert(QStringLiteral("value"), raw);
        s.points.push_back(p);
        r.series.push_back(std::move(s));
        return r;
    }
    r.error = invalid(r.resultType.isEmpty()
                          ? QStringLiteral("\"data.resultType\" is missing")
                          : QStringLiteral("unknown resultType \"%1\"").arg(r.resultType));
    return r;
}

MetricsError parseAlertsBody(const QByteArray& body, QVector<Alert>* alerts)
{
    alerts->clear();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError)
        return invalid(QStringLiteral("%1 at offset %2").arg(pe.errorString()).arg(pe.offset));
    const QJsonObject root = doc.object();
    const QString status = root.value(QLatin1String("status")).toString();
    if (status == QLatin1String("error"))
        return prometheusErrorFromBody(body, 200);
    if (status != QLatin1String("success"))
        return invalid(QStringLiteral("\"status\" is missing or not \"success\""));
    const QJsonValue list =
        root.value(QLatin1String("data")).toObject().value(QLatin1String("alerts"));
    if (!list.isArray())
        return invalid(QStringLiteral("\"data.alerts\" is not an array"));
    for (const QJsonValue& v : list.toArray()) {
        const QJsonObject o = v.toObject();
        Alert a;
        a.labels = stringMap(o.value(QLatin1String("labels")).toObject());
        a.annotations = stringMap(o.value(QLatin1String("annotations")).toObject());
        a.state = o.value(QLatin1String("state")).toString();
        a.activeAtMs = parseRfc3339Ms(o.value(QLatin1String("activeAt")).toString());
        const QJsonValue value = o.value(QLatin1String("value"));
        bool ok = true;
        a.value = value.isString() ? parseSampleValue(value.toString(), &ok) : value.toDouble();
        if (a.labels.isEmpty() || a.state.isEmpty()) {
            alerts->clear();
            return invalid(QStringLiteral("an alert has no labels or no state"));
        }
        alerts->push_back(std::move(a));
    }
    return {};
}

} // namespace chom::metrics::detail
