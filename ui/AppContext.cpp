#include "AppContext.h"

#include "ChangeFeed.h"
#include "Core.h"
#include "Inventory.h"
#include "SecretStoreWorker.h"
#include "fleet/FleetService.h"
#include "metrics/EndpointSettings.h"
#include "metrics/MetricsService.h"

#include <QCoreApplication>

#include <QNetworkAccessManager>
#include <QSettings>

namespace chom {

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
        m_metrics->attachStore(m_core.store());
        reloadMetricsEndpoint();
    }
    return *m_metrics;
}

void AppContext::reloadMetricsEndpoint()
{
    using metrics::EndpointConfig;
    namespace ep = metrics::endpoints;
    metrics::MetricsService& svc = metrics();
    svc.setEndpoint(ep::loadPublic(EndpointConfig::Kind::Prometheus)); // URL at once
    if (!ep::secretStored(EndpointConfig::Kind::Prometheus))
        return;
    using Loaded = Result<EndpointConfig>;
    withSecretStore<Loaded>(
        this, m_dataDir,
        [](SecretStore& store) { return ep::load(EndpointConfig::Kind::Prometheus, store); },
        [this](Loaded cfg) {
            if (cfg)
                metrics().setEndpoint(cfg.value());
            else
                qWarning("chom-console: Prometheus credentials: %s",
                         qPrintable(cfg.errorMessage()));
        });
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
