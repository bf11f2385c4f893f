#pragma once

#include <QList>
#include <QSslCertificate>

#include <memory>

#include <QByteArray>
#include <QMap>
#include <QMetaType>
#include <QPointF>
#include <QString>
#include <QUrl>
#include <QVector>

namespace chom {
struct Error; // base/Result.h; not included so chom::ErrorKind stays out of sight here
}

namespace chom::metrics {

// One configured observability endpoint (Settings page). The secret (bearer
// token or basic-auth password) is held in memory only: it is loaded from the
// SecretStore under `secretName` and never written to the store in clear.
struct EndpointConfig
{
    enum class Kind
    {
        Prometheus,
        Loki,
        Grafana,
        Alertmanager
    };
    enum class Auth
    {
        None,
        Bearer,
        Basic
    };
    Kind kind = Kind::Prometheus;
    QUrl url; // base URL, e.g. http://127.0.0.1:9090
    Auth auth = Auth::None;
    QString user;   // basic auth
    QString secret; // token or password, in memory only
    QString caFile; // extra CA certificate (PEM), empty = system CAs
    // The certificates of caFile, read once when the endpoint is set
    // (detail::loadTrust, on the worker that loads the secret), never per
    // request. Null until read; empty when the file held none.
    std::shared_ptr<const QList<QSslCertificate>> caCertificates = nullptr;
    int timeoutMs = 10000;
    bool isConfigured() const { return url.isValid() && !url.isEmpty(); }
};

// Every failure has its own kind and a sentence an operator can act on.
enum class ErrorKind
{
    None,
    Unconfigured, // no URL set
    Resolve,      // host name not found
    Refused,      // connection refused
    Timeout,      // no answer within the timeout
    Reset,        // connection reset / closed early
    Tls,          // certificate or handshake failure
    Http,         // non-2xx without a Prometheus error body
    Prometheus,   // Prometheus answered status "error" (errorType + error)
    InvalidJson,  // body is not the documented JSON
    TooLarge,     // body over the size cap
    BreakerOpen,  // the endpoint's circuit breaker is open
    Budget,       // the refresh's overall time budget ran out
    RateLimited,  // the per-tenant rate limit refused the query
    ScopeRefused, // the tenant scoper refused the query
    Cancelled,
};
QString toString(ErrorKind kind);
// Transport-level kinds: count for the breaker and may be retried.
bool isConnectionError(ErrorKind kind);

struct MetricsError
{
    ErrorKind kind = ErrorKind::None;
    QString message; // human sentence
    int httpStatus = 0;
    QString errorType; // Prometheus' errorType when it sent one
    explicit operator bool() const { return kind != ErrorKind::None; }
    static MetricsError make(ErrorKind kind, const QString& message, int httpStatus = 0)
    {
        return MetricsError{kind, message, httpStatus, {}};
    }
};

// The core error for a metrics failure, its kind set explicitly: no answer
// (resolve, refused, timeout, reset, TLS, breaker open) is transport; an
// answer that was wrong (HTTP status, Prometheus error, bad JSON, too
// large, rate limited) is remote; no URL is a usage error; a refused scope
// or an exhausted budget is a rule. The code is "<source>_<kind>".
Error toError(const MetricsError& e, const QString& source = QStringLiteral("prometheus"));

// One time series: x = milliseconds since the epoch (UTC), y = value.
// NaN/Inf samples are kept as NaN so gaps stay visible.
struct Series
{
    QMap<QString, QString> labels;
    QVector<QPointF> points;
};

// The answer to a query or range query, or the error.
struct QueryResult
{
    QString resultType; // matrix | vector | scalar | string
    QVector<Series> series;
    MetricsError error;
    qint64 fetchedAtMs = 0; // when Prometheus answered (epoch ms)
    qint64 bytes = 0;       // response body size
    bool stale = false;     // served from cache past its TTL
    bool ok() const { return !error; }
};

// A range query as sent: start/end in epoch seconds, step in seconds.
struct RangeQuery
{
    QString promql;
    qint64 startS = 0;
    qint64 endS = 0;
    int stepS = 15;
    // "The last N hours": the window slides with the clock. The cache keys
    // such a query by its length and serves an answer fetched within the TTL
    // even though the window has moved since (the chart lags by at most the
    // TTL, and says "as of"); fixed windows (false) are keyed by start/end.
    bool slidingEnd = false;
};

// One firing or pending alert from /api/v1/alerts.
struct Alert
{
    QMap<QString, QString> labels;
    QMap<QString, QString> annotations;
    QString state; // firing | pending
    qint64 activeAtMs = 0;
    double value = 0;
};

} // namespace chom::metrics

Q_DECLARE_METATYPE(chom::metrics::QueryResult)
