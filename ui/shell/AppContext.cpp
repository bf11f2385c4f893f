#include "ui/shell/AppContext.h"

#include "base/ChangeFeed.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "observability/EndpointSettings.h"
#include "observability/MetricsService.h"
#include "ui/shell/Inventory.h"
#include "ui/shell/SecretStoreWorker.h"

#include <QDir>

#include <QCoreApplication>

#include <QNetworkAccessManager>
#include <QSettings>

namespace chom {

AppContext::AppContext(Core& core, const QString& dataDir, QObject* parent)
    : QObject(parent), m_dataDir(dataDir), m_core(core), m_runtime(std::make_unique<Runtime>(core)),
      m_changes(std::make_unique<ChangeFeed>(core.notifier())),
      m_inventory(std::make_unique<Inventory>(*this))
{
}

AppContext::~AppContext() = default;

bool AppContext::sharedStore() const
{
    return !m_core.store().isSqlite(); // the configuration only: no store I/O
}

QString AppContext::storeName() const
{
    return sharedStore() ? describeStore(m_core.store().config())
                         : QDir::toNativeSeparators(m_dataDir);
}

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
    m_runtime->startOperation(context, std::move(start), std::move(done));
}

} // namespace chom
