#pragma once

#include "Domain.h"
#include "base/Result.h"
#include "inventory/StoreExecutor.h"
#include "runtime/Runtime.h"

#include <QObject>

class QNetworkAccessManager;
#include <QString>

#include <functional>
#include <memory>

namespace chom {

class Core;
class ChangeFeed;
class Inventory;
class FleetService;
class SiteOperations;
class OperationRunner;
class SshPool;
namespace metrics {
class MetricsService;
}

// What every page needs: the core (only ever used on the executor thread),
// the executor, the coalesced change feed and the shared tenant/VPS lists.
// Must outlive the widgets that use it; the Core must outlive it.
class AppContext : public QObject
{
    Q_OBJECT
public:
    AppContext(Core& core, const QString& dataDir, QObject* parent = nullptr);
    ~AppContext() override;

    StoreExecutor& executor() { return m_runtime->executor(); }
    // The headless composition (executor, pool, runner, fleet) and its
    // teardown order; FleetRuntime starts and stops its fleet.
    Runtime& runtime() { return *m_runtime; }
    ChangeFeed& changes() { return *m_changes; }
    Inventory& inventory() { return *m_inventory; }
    const QString& dataDir() const { return m_dataDir; }
    // A shared PostgreSQL store rather than this workstation's SQLite file.
    bool sharedStore() const;
    // How the window names the store: the data directory, or
    // postgresql://user@host:port/db for a shared one.
    QString storeName() const;

    // The runtime's SSH pool, operation runner and fleet service; null until
    // FleetRuntime starts them (and in GUI tests that run without them).
    SshPool* sshPool() const { return m_runtime->pool(); }
    OperationRunner* runner() const
    {
        return m_runnerForTests ? m_runnerForTests : m_runtime->runner();
    }
    FleetService* fleet() const { return m_runtime->fleet(); }
    // Test seam: a page test's own runner, without SSH.
    void setRunnerForTests(OperationRunner* runner) { m_runnerForTests = runner; }

    // Shorthand for executor().run<R>(): `work` runs on the store thread,
    // `done` on the GUI thread, and only while `context` is alive.
    template <typename R>
    void run(QObject* context, std::function<R(Core&)> work, std::function<void(R)> done)
    {
        m_runtime->executor().run<R>(context, std::move(work), std::move(done));
    }

    // The runtime's QNetworkAccessManager and metrics engine (Prometheus
    // endpoint from the settings; cache persisted in the store).
    QNetworkAccessManager& network();
    metrics::MetricsService& metrics();
    // Applies the saved Prometheus endpoint (the secret, when one is stored,
    // is read from the SecretStore on a worker first).
    void reloadMetricsEndpoint();

    // Starts a fleet operation on the store thread (FleetService::start*
    // reads the store and journals the operation there, never on the GUI
    // thread); `done` receives the operation id or the error on the GUI
    // thread while `context` lives. Without a fleet, `done` gets an error.
    void startOperation(QObject* context, std::function<Result<Id>(FleetService&)> start,
                        std::function<void(Result<Id>)> done);
    void startSiteOperation(QObject* context, std::function<Result<Id>(SiteOperations&)> start,
                            std::function<void(Result<Id>)> done);

private:
    QString m_dataDir;
    OperationRunner* m_runnerForTests = nullptr;
    Core& m_core;
    // Declaration order matters: destroyed in reverse, the runtime (and with
    // it the executor, drained) after everything that queues store work.
    std::unique_ptr<Runtime> m_runtime;
    std::unique_ptr<ChangeFeed> m_changes;
    std::unique_ptr<Inventory> m_inventory;
};

} // namespace chom
