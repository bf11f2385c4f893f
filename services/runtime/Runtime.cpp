#include "runtime/Runtime.h"

#include "backups/BackupPasswords.h"
#include "backups/SiteBackups.h"
#include "sites/SiteBulk.h"
#include "sites/SiteCoherency.h"
#include "sites/SiteOperations.h"
#include "sites/SiteTools.h"
#include "sites/TenantSites.h"

#include "base/Async.h"

#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "inventory/StoreExecutor.h"
#include "observability/EndpointSettings.h"
#include "observability/MetricsService.h"
#include "ops/OperationRunner.h"

#include <QCoreApplication>
#include <QNetworkAccessManager>

namespace chom {

Error Runtime::noFleet()
{
    return makeError(
        QStringLiteral("no_fleet"),
        QCoreApplication::translate("chom::Runtime", "SSH operations are not available."));
}

namespace {

} // namespace

Runtime::Runtime(Core& core, const QString& dataDir, QObject* parent)
    : QObject(parent), m_core(core), m_dataDir(dataDir),
      m_executor(std::make_unique<StoreExecutor>(core))
{
    m_fleetCalls.setMaxThreadCount(4);
    m_fleetCalls.setObjectName(QStringLiteral("chom-fleet-calls"));
    qRegisterMetaType<SshResult>(); // FleetService registers its own report types
    qRegisterMetaType<Id>("chom::Id");
}

Runtime::~Runtime()
{
    stopFleet();
    m_executor.reset(); // drains: queued writes land before the store closes
    m_metrics.reset();  // joins the cache's writer
    m_network.reset();
}

QNetworkAccessManager& Runtime::network()
{
    if (!m_network)
        m_network = std::make_unique<QNetworkAccessManager>();
    return *m_network;
}

metrics::MetricsService& Runtime::metrics()
{
    if (!m_metrics) {
        m_metrics = std::make_unique<metrics::MetricsService>(network());
        m_metrics->attachStore(m_core.store());
        reloadMetricsEndpoint();
    }
    return *m_metrics;
}

void Runtime::reloadMetricsEndpoint()
{
    using metrics::EndpointConfig;
    namespace ep = metrics::endpoints;
    metrics().setEndpoint(ep::loadPublic(EndpointConfig::Kind::Prometheus)); // URL at once
    if (!ep::secretStored(EndpointConfig::Kind::Prometheus) || m_dataDir.isEmpty())
        return;
    using Loaded = Result<EndpointConfig>;
    withSecrets<Loaded>(
        this, [](SecretStore& store) { return ep::load(EndpointConfig::Kind::Prometheus, store); },
        [this](Loaded cfg) {
            if (cfg)
                metrics().setEndpoint(cfg.value());
            else
                qWarning("chom: Prometheus credentials: %s", qPrintable(cfg.errorMessage()));
        });
}

void Runtime::startFleet(const SshPool::Config& config)
{
    if (m_fleetOwner)
        return;
    m_pool = std::make_unique<SshPool>(m_core.store(), config);
    m_runner = std::make_unique<OperationRunner>(m_core.store(), &m_core.notifier());
    m_fleetOwner = std::make_unique<FleetService>(m_core, *m_pool, *m_runner);
    m_sites = std::make_unique<SiteOperations>(*m_fleetOwner);
    // Before the first operation: the kinds are read-only from then on.
    m_fleetOwner->addKind(m_sites->provisionKind());
    m_fleetOwner->addKind(m_sites->switchKind(true));
    m_fleetOwner->addKind(m_sites->switchKind(false));
    m_fleetOwner->addKind(m_sites->deleteKind());
    m_siteTools = std::make_unique<SiteTools>(*m_sites);
    for (auto& kind : m_siteTools->kinds())
        m_fleetOwner->addKind(std::move(kind));
    m_coherency = std::make_unique<SiteCoherency>(*m_fleetOwner, *m_siteTools);
    m_fleetOwner->addKind(m_coherency->kind());
    m_bulk = std::make_unique<SiteBulk>(*m_sites, *m_siteTools);
    m_fleetOwner->addKind(m_bulk->kind());
    // The repository passwords live in the data directory's SecretStore.
    m_backupPasswords = std::make_unique<BackupPasswords>(
        [dir = m_dataDir,
         pass = SessionPassphrase::instance().provider()]() -> std::unique_ptr<SecretStore> {
            return dir.isEmpty() ? nullptr : openSecretStore(dir, pass);
        });
    m_backups = std::make_unique<SiteBackups>(*m_fleetOwner, *m_backupPasswords);
    m_fleetOwner->addKind(m_backups->createKind());
    m_tenantSites = std::make_unique<TenantSites>(*m_fleetOwner);
    m_fleetOwner->addKind(m_tenantSites->kind());
    m_fleet = m_fleetOwner.get();
}

void Runtime::stopFleet()
{
    if (!m_fleetOwner)
        return;
    m_fleet = nullptr;   // 1. no new store-thread task gets the fleet ...
    m_executor->drain(); //    ... and the running ones finish with it
    m_runner.reset();    // 2. cancels every run, joins every step body
    m_backups.reset();
    m_bulk.reset();
    m_coherency.reset();
    m_siteTools.reset();
    m_sites.reset(); // 3. nothing runs on the fleet any more
    m_fleetOwner.reset();
    m_pool.reset();
}

void Runtime::runWithFleet(QObject* context, std::function<Status(FleetService&)> work,
                           std::function<void(Status)> done)
{
    async::run<Status>(
        m_fleetCalls, context,
        [this, work = std::move(work)]() -> Status {
            FleetService* fleet = m_fleet.load();
            if (!fleet)
                return noFleet();
            return work(*fleet);
        },
        std::move(done));
}

void Runtime::startSiteOperation(QObject* context, std::function<Result<Id>(SiteOperations&)> start,
                                 std::function<void(Result<Id>)> done)
{
    startOperation(
        context,
        [this, start = std::move(start)](FleetService&) -> Result<Id> { return start(*m_sites); },
        std::move(done));
}

void Runtime::startOperation(QObject* context, std::function<Result<Id>(FleetService&)> start,
                             std::function<void(Result<Id>)> done)
{
    m_executor->run<Result<Id>>(
        context,
        [this, start = std::move(start)](Core&) -> Result<Id> {
            FleetService* fleet = m_fleet.load();
            if (!fleet)
                return noFleet();
            return start(*fleet);
        },
        std::move(done));
}

} // namespace chom
