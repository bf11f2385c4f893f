#pragma once

#include "observability/MetricsTypes.h"

#include <QObject>
#include <QSet>
#include <QTimer>
#include <QVector>

namespace chom::metrics {

class PrometheusClient;

// Polls Prometheus' /api/v1/alerts through a PrometheusClient while started
// (never while stopped: the Metrics page starts it when shown and stops it
// when hidden), keeps the current list and reports each alert that starts
// firing exactly once.
//
// Identity of an alert = its sorted label set. "Newly firing" means: firing
// now, and not firing in the previous successful poll. Pending alerts do not
// count (pending -> firing is new); an alert that resolves (disappears or goes
// back to pending) and fires again is new again. The first successful poll
// only establishes what is already firing, unless notifyOnFirstPoll is set.
// A failed poll (transport, HTTP, invalid JSON) keeps the last list and sets
// lastError(); the next good poll clears it.
class AlertWatcher : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultIntervalMs = 30000;

    explicit AlertWatcher(PrometheusClient& client, QObject* parent = nullptr);
    ~AlertWatcher() override;

    void setIntervalMs(int ms);
    int intervalMs() const { return m_timer.interval(); }
    void setNotifyOnFirstPoll(bool on) { m_notifyFirst = on; }

    void start(); // polls at once, then every interval
    void stop();  // no more polls; an in-flight one is cancelled
    bool isRunning() const { return m_timer.isActive(); }
    void pollNow(); // one poll (skipped while one is in flight)

    const QVector<Alert>& alerts() const { return m_alerts; } // firing + pending
    QVector<Alert> firing() const;
    // Alerts whose labels carry tenant_id=<tenantId>.
    QVector<Alert> forTenant(const QString& tenantId) const;
    static QVector<Alert> filterTenant(const QVector<Alert>& alerts, const QString& tenantId);
    static QString identity(const Alert& alert);

    const MetricsError& lastError() const { return m_error; }
    int pollsCompleted() const { return m_polls; }

Q_SIGNALS:
    void alertsChanged(const QVector<chom::metrics::Alert>& alerts);
    void newlyFiring(const chom::metrics::Alert& alert);
    void errorChanged(const QString& message); // empty = polls succeed again
    void polled(bool ok);                      // after every completed poll

private:
    void onAlerts(const QVector<Alert>& alerts, const MetricsError& error);

    PrometheusClient& m_client;
    QTimer m_timer;
    QVector<Alert> m_alerts;
    QSet<QString> m_firing; // identities firing in the last good poll
    MetricsError m_error;
    quint64 m_inFlight = 0;
    int m_polls = 0;
    bool m_baseline = false; // a good poll happened
    bool m_notifyFirst = false;
};

} // namespace chom::metrics

Q_DECLARE_METATYPE(chom::metrics::Alert)
