#pragma once

#include "base/Async.h"
#include "base/Result.h"
#include "secrets/SecretStore.h"
#include "secrets/SessionPassphrase.h"
#include "ssh/SshPool.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace chom {

class Core;
class FleetService;
class SiteOperations;
class TenantSites;
class SiteTools;
class SiteCoherency;
class SiteBulk;
class SiteBackups;
class BackupPasswords;
class OperationRunner;
class StoreExecutor;
namespace metrics {
class MetricsService;
}

// The headless composition both front-ends share: the store executor, the
// SecretStore of the data directory (opened on a worker, the master
// passphrase through SessionPassphrase), the metrics engine and, once
// startFleet() ran, the SSH pool, the operation runner and the fleet
// service. The Core it is given must outlive it.
//
// Teardown, in this order and nowhere else (stopFleet(), then ~Runtime):
//   1. stop handing out the fleet, then drain the executor and the fleet-call
//      pool, so no store-thread task or blocking call still holds it;
//   2. cancel and join the runner (every step body included);
//   3. destroy the site operations and the fleet service, then the SSH pool;
//   4. drain and stop the executor (queued writes still land);
//   5. destroy the metrics engine (its cache writer joined), then its network.
class Runtime : public QObject
{
    Q_OBJECT
public:
    // dataDir: where the secrets file lives (empty: secrets are not used).
    explicit Runtime(Core& core, const QString& dataDir = QString(), QObject* parent = nullptr);
    ~Runtime() override;

    Core& core() { return m_core; }
    StoreExecutor& executor() { return *m_executor; }

    // Creates the pool, runner and fleet service (idempotent).
    void startFleet(const SshPool::Config& config = {});
    // Steps 1-3 of the teardown; the executor keeps running.
    void stopFleet();
    bool hasFleet() const { return m_fleet.load() != nullptr; }
    // Null before startFleet() and after stopFleet(). Safe from the store
    // thread while the executor runs the task (stopFleet drains it first).
    FleetService* fleet() const { return m_fleet.load(); }
    SshPool* pool() const { return m_pool.get(); }
    OperationRunner* runner() const { return m_runner.get(); }
    // The site operations over the fleet; null when the fleet is.
    SiteOperations* sites() const { return m_fleet.load() ? m_sites.get() : nullptr; }
    TenantSites* tenantSites() const { return m_fleet.load() ? m_tenantSites.get() : nullptr; }
    SiteTools* siteTools() const { return m_fleet.load() ? m_siteTools.get() : nullptr; }
    SiteCoherency* coherency() const { return m_fleet.load() ? m_coherency.get() : nullptr; }
    SiteBulk* bulk() const { return m_fleet.load() ? m_bulk.get() : nullptr; }
    SiteBackups* backups() const { return m_fleet.load() ? m_backups.get() : nullptr; }

    // Runs `start` with the fleet service on the store thread (it reads the
    // store and journals there); `done` gets the id or the error on the
    // caller's thread while `context` lives. Without a fleet: error no_fleet.
    void startOperation(QObject* context, std::function<Result<Id>(FleetService&)> start,
                        std::function<void(Result<Id>)> done);
    // The same for the site operations on their VPS.
    void startSiteOperation(QObject* context, std::function<Result<Id>(SiteOperations&)> start,
                            std::function<void(Result<Id>)> done);

    // A blocking fleet call (trustHostKeyNow, the *Now probes) on the
    // runtime's own bounded pool, never the GUI thread or the global pool;
    // `done` on the caller's thread while `context` lives. stopFleet() waits
    // for these before the fleet goes. Without a fleet: error no_fleet.
    void runWithFleet(QObject* context, std::function<Status(FleetService&)> work,
                      std::function<void(Status)> done);

    const QString& dataDir() const { return m_dataDir; }

    // The error of anything that needs the fleet while none runs.
    static Error noFleet();

    // Runs `work` on the blocking pool with a freshly opened SecretStore
    // (the keychain or the encrypted file; opening can block on either, and
    // on the master passphrase: never call it from a worker's own thread
    // expecting a prompt) and hands its result to `done` on `context`'s
    // thread while `context` lives.
    template <typename R>
    void withSecrets(QObject* context, std::function<R(SecretStore&)> work,
                     std::function<void(R)> done)
    {
        MasterPassphraseProvider pass = SessionPassphrase::instance().provider();
        async::run<R>(
            async::blockingPool(), context,
            [dir = m_dataDir, pass, work = std::move(work)] {
                const auto store = openSecretStore(dir, pass);
                return work(*store);
            },
            std::move(done));
    }

    // The metrics engine over this runtime's network access manager, made on
    // first use on the calling (GUI) thread: the saved Prometheus endpoint,
    // the cache persisted in the store.
    QNetworkAccessManager& network();
    metrics::MetricsService& metrics();
    // Applies the saved Prometheus endpoint again (the URL at once; the
    // secret, when one is stored, from the SecretStore on a worker).
    void reloadMetricsEndpoint();

private:
    Core& m_core;
    QString m_dataDir;
    QThreadPool m_fleetCalls;
    std::unique_ptr<StoreExecutor> m_executor;
    std::unique_ptr<SshPool> m_pool;
    std::unique_ptr<OperationRunner> m_runner;
    std::unique_ptr<FleetService> m_fleetOwner;
    std::unique_ptr<SiteOperations> m_sites;
    std::unique_ptr<TenantSites> m_tenantSites;
    std::unique_ptr<SiteTools> m_siteTools;
    std::unique_ptr<SiteCoherency> m_coherency;
    std::unique_ptr<SiteBulk> m_bulk;
    std::unique_ptr<BackupPasswords> m_backupPasswords;
    std::unique_ptr<SiteBackups> m_backups;
    std::atomic<FleetService*> m_fleet{nullptr};
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<metrics::MetricsService> m_metrics;
};

} // namespace chom
