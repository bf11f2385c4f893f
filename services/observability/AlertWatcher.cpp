#include "observability/AlertWatcher.h"

#include "observability/PrometheusClient.h"

namespace chom::metrics {

namespace {
const QString kTenantLabel = QStringLiteral("tenant_id");
const QString kFiring = QStringLiteral("firing");

bool sameAlerts(const QVector<Alert>& a, const QVector<Alert>& b)
{
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i) {
        const Alert& x = a.at(i);
        const Alert& y = b.at(i);
        if (x.labels != y.labels || x.annotations != y.annotations || x.state != y.state ||
            x.activeAtMs != y.activeAtMs)
            return false;
    }
    return true;
}
} // namespace

AlertWatcher::AlertWatcher(PrometheusClient& client, QObject* parent)
    : QObject(parent), m_client(client)
{
    qRegisterMetaType<Alert>();
    qRegisterMetaType<QVector<Alert>>();
    m_timer.setInterval(kDefaultIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &AlertWatcher::pollNow);
}

AlertWatcher::~AlertWatcher()
{
    stop();
}

void AlertWatcher::setIntervalMs(int ms)
{
    m_timer.setInterval(qMax(10, ms));
}

void AlertWatcher::start()
{
    if (m_timer.isActive())
        return;
    m_timer.start();
    pollNow();
}

void AlertWatcher::stop()
{
    m_timer.stop();
    if (m_inFlight) {
        m_client.cancel(m_inFlight);
        m_inFlight = 0;
    }
}

void AlertWatcher::pollNow()
{
    if (m_inFlight)
        return; // a slow Prometheus never gets two polls at once
    m_inFlight = m_client.alerts([this](const QVector<Alert>& alerts, const MetricsError& error) {
        onAlerts(alerts, error);
    });
}

QString AlertWatcher::identity(const Alert& alert)
{
    // QMap iterates in key order: the labels come out sorted. Separators are
    // control characters no label name may hold.
    QString id;
    for (auto it = alert.labels.cbegin(); it != alert.labels.cend(); ++it) {
        id += it.key();
        id += QChar(0x1f);
        id += it.value();
        id += QChar(0x1e);
    }
    return id;
}

QVector<Alert> AlertWatcher::firing() const
{
    QVector<Alert> out;
    for (const Alert& a : m_alerts)
        if (a.state == kFiring)
            out << a;
    return out;
}

QVector<Alert> AlertWatcher::filterTenant(const QVector<Alert>& alerts, const QString& tenantId)
{
    QVector<Alert> out;
    for (const Alert& a : alerts) {
        const auto it = a.labels.constFind(kTenantLabel);
        if (it != a.labels.cend() && *it == tenantId)
            out << a;
    }
    return out;
}

QVector<Alert> AlertWatcher::forTenant(const QString& tenantId) const
{
    return filterTenant(m_alerts, tenantId);
}

void AlertWatcher::onAlerts(const QVector<Alert>& alerts, const MetricsError& error)
{
    m_inFlight = 0;
    ++m_polls;
    if (error) {
        // Keep the last good list: a hiccup must not empty the panel.
        const bool changed = m_error.message != error.message;
        m_error = error;
        if (changed)
            Q_EMIT errorChanged(error.message);
        Q_EMIT polled(false);
        return;
    }
    if (m_error) {
        m_error = {};
        Q_EMIT errorChanged(QString());
    }
    QSet<QString> nowFiring;
    QVector<Alert> fresh;
    for (const Alert& a : alerts) {
        if (a.state != kFiring)
            continue;
        const QString id = identity(a);
        if (nowFiring.contains(id))
            continue; // the same series listed twice is still one alert
        nowFiring.insert(id);
        if (!m_firing.contains(id))
            fresh << a;
    }
    const bool notify = m_baseline || m_notifyFirst;
    m_baseline = true;
    m_firing = nowFiring;
    const bool changed = !sameAlerts(m_alerts, alerts);
    m_alerts = alerts;
    if (changed)
        Q_EMIT alertsChanged(m_alerts);
    if (notify)
        for (const Alert& a : std::as_const(fresh))
            Q_EMIT newlyFiring(a);
    Q_EMIT polled(true);
}

} // namespace chom::metrics
