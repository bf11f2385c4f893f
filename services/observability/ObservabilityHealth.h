#pragma once

#include "observability/MetricsTypes.h"

#include <QObject>
#include <QPointer>
#include <QVector>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace chom::metrics {

// One endpoint's answer to the health probe.
struct EndpointHealth
{
    EndpointConfig::Kind kind = EndpointConfig::Kind::Prometheus;
    bool configured = false;
    ErrorKind error = ErrorKind::Unconfigured; // None when healthy
    QString message;                           // human sentence (also on success)
    int httpStatus = 0;
    qint64 ms = -1; // response time, -1 when not probed
    bool ok() const { return configured && error == ErrorKind::None; }
};

// healthy: every endpoint given is configured and answered; partial: some unconfigured, the
// configured ones fine; degraded: at least one configured endpoint failed; unconfigured: none set.
enum class OverallHealth
{
    Healthy,
    Degraded,
    Partial,
    Unconfigured
};
QString toString(OverallHealth overall); // "healthy", "degraded", ...

// Probes the observability stack in parallel on one QNetworkAccessManager:
//   Prometheus   GET /-/healthy
//   Loki         GET /ready
//   Grafana      GET /api/health   (JSON, "database" must be "ok")
//   Alertmanager GET /-/healthy
// Each probe has its own timeout (5 s, or the endpoint's own when shorter).
// check() returns at once; finished() is emitted once, queued, when the last
// probe has answered. A new check() abandons the previous one.
class ObservabilityHealth : public QObject
{
    Q_OBJECT
public:
    // nam: shared manager (not owned); null = an own one.
    explicit ObservabilityHealth(QNetworkAccessManager* nam = nullptr, QObject* parent = nullptr);
    ~ObservabilityHealth() override;

    static constexpr int kDefaultTimeoutMs = 5000;
    void setTimeoutMs(int ms) { m_timeoutMs = ms; } // tests shorten it

    static QString healthPath(EndpointConfig::Kind kind);
    static OverallHealth overall(const QVector<EndpointHealth>& results);

    void check(const QVector<EndpointConfig>& endpoints);
    bool isRunning() const { return m_pending > 0; }
    const QVector<EndpointHealth>& results() const { return m_results; }

Q_SIGNALS:
    // Results in the order the endpoints were given.
    void finished(const QVector<chom::metrics::EndpointHealth>& results,
                  chom::metrics::OverallHealth overall);

private:
    void start(int index, const EndpointConfig& config);
    void settle(int index, const EndpointHealth& health);
    void abandon();

    QNetworkAccessManager* m_nam;
    int m_timeoutMs = kDefaultTimeoutMs;
    int m_pending = 0;
    quint64 m_generation = 0;
    QVector<EndpointHealth> m_results;
    QVector<QPointer<QNetworkReply>> m_replies;
};

} // namespace chom::metrics

Q_DECLARE_METATYPE(chom::metrics::EndpointHealth)
Q_DECLARE_METATYPE(chom::metrics::OverallHealth)
