#include "AppContext.h"

#include "ChangeFeed.h"
#include "Core.h"
#include "Inventory.h"
#include "fleet/FleetService.h"
#include "metrics/MetricsService.h"

#include <QNetworkAccessManager>
#include <QSettings>

namespace chom {
namespace {

// Until the Settings page has been saved: CHOM_PROMETHEUS_URL, else the
// saved URL (the secret, if any, is applied by the Settings page).
metrics::EndpointConfig metricsEndpoint()
{
    metrics::EndpointConfig c;
    const QString env = qEnvironmentVariable("CHOM_PROMETHEUS_URL");
    c.url = QUrl(env.isEmpty()
                     ? QSettings().value(QStringLiteral("endpoints/prometheus/url")).toString()
                     : env);
    return c;
}

} // namespace

AppContext::AppContext(Core& core, const QString& dataDir, QObject* parent)
    : QObject(parent), m_dataDir(dataDir), m_core(core),
      m_executor(std::make_unique<StoreExecutor>(core)),
      m_changes(std::make_unique<ChangeFeed>(core.notifier())),
      m_inventory(std::make_unique<Inventory>(*this))
{
}

AppContext::~AppContext() = default;

QNetworkAccessManager& AppContext::network()
{
    if (!m_network)
        m_network = std::make_unique<QNetworkAccessManager>();
    return *m_network;
}

metrics::MetricsService& AppContext::metrics()
{
    if (!m_metrics) {
        m_metrics = std::make_unique<metrics::MetricsService>(network());
        m_metrics->setEndpoint(metricsEndpoint());
        m_metrics->attachStore(m_core.store());
    }
    return *m_metrics;
}

void AppContext::startOperation(QObject* context, std::function<Result<Id>(FleetService&)> start,
                                std::function<void(Result<Id>)> done)
{
    FleetService* fleet = m_fleet;
    if (!fleet) {
        done(makeError(QStringLiteral("no_fleet"), tr("SSH operations are not available.")));
        return;
    }
    run<Result<Id>>(
        context, [fleet, start = std::move(start)](Core&) { return start(*fleet); },
        std::move(done));
}

} // namespace chom
