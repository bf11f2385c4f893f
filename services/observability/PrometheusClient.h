#pragma once

#include "base/CircuitBreaker.h"
#include "observability/MetricsTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QSet>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace chom::metrics {

// Prometheus' HTTP API over ONE shared QNetworkAccessManager (GUI thread or
// any thread with an event loop; every call is asynchronous and returns at
// once). Callers fire all queries of a screen together: nothing here
// serialises them. Per endpoint: a circuit breaker (5 connection-level
// failures -> open 60 s -> one half-open probe), retries with exponential
// backoff + jitter on connection-level errors only, a response size cap, and
// large bodies parsed on a worker thread (QtConcurrent), never the caller's.
class PrometheusClient : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qint64 maxBodyBytes = 32 * 1024 * 1024;
        qint64 parseOffThreadBytes = 64 * 1024; // bodies above this parse on a worker
        int retries = 2;                        // connection-level errors only
        int backoffBaseMs = 100;                // 100, 200, ... ms, +-50 % jitter
        int breakerThreshold = 5;
        qint64 breakerCoolDownMs = 60000;
    };
    using Done = std::function<void(const QueryResult&)>;

    PrometheusClient(QNetworkAccessManager& nam, EndpointConfig config, QObject* parent = nullptr);
    PrometheusClient(QNetworkAccessManager& nam, EndpointConfig config, Options options,
                     QObject* parent = nullptr);
    ~PrometheusClient() override; // pending callbacks are dropped, replies aborted

    void setConfig(const EndpointConfig& config);
    const EndpointConfig& config() const { return m_config; }

    // Each returns a request id; `done` runs exactly once on this object's
    // thread (also on error, with result.error set), unless cancelled.
    quint64 queryRange(const RangeQuery& q, Done done);
    quint64 query(const QString& promql, qint64 timeS, Done done); // timeS 0 = now
    quint64 alerts(std::function<void(const QVector<Alert>&, const MetricsError&)> done);
    // GET /-/healthy; `ms` is the response time.
    quint64 healthy(std::function<void(const MetricsError&, qint64 ms)> done);
    void cancel(quint64 requestId); // its callback never runs

    CircuitBreaker::State breakerState() const;
    int inFlight() const;

    // Parses a /api/v1/query or /api/v1/query_range body (for tests and the
    // cache's persisted bodies). Never throws; errors come back in .error.
    static QueryResult parseQueryBody(const QByteArray& body);
    // Parses a /api/v1/alerts body (also an Alertmanager-shaped test double's).
    static MetricsError parseAlertsBody(const QByteArray& body, QVector<Alert>* alerts);

Q_SIGNALS:
    void breakerChanged(const QString& state); // closed | open | half_open

private:
    struct Pending;
    using BodyFn = std::function<void(const QByteArray&, const MetricsError&)>;
    quint64 send(const QUrl& url, BodyFn onBody);
    void attempt(quint64 id);
    void finished(quint64 id, QNetworkReply* reply);
    void complete(quint64 id, const QByteArray& body, const MetricsError& error);
    void failLater(quint64 id, const MetricsError& error);
    // query / query_range: parse (off-thread when large) and hand over.
    quint64 sendQuery(const QUrl& url, Done done);
    void deliverParsed(quint64 id, const QByteArray& body, const Done& done);
    QUrl endpoint(const QString& path, const QList<QPair<QString, QString>>& params = {}) const;
    MetricsError breakerOpenError() const;
    void noteBreaker();

    QNetworkAccessManager& m_nam;
    EndpointConfig m_config;
    Options m_options;
    CircuitBreaker m_breaker;
    QHash<quint64, Pending*> m_pending;
    QSet<quint64> m_parsing; // ids whose body is being parsed on a worker
    QString m_lastBreaker = QStringLiteral("closed");
    quint64 m_nextId = 1;
};

} // namespace chom::metrics
