#pragma once

#include "Domain.h"
#include "Result.h"
#include "StoreExecutor.h"

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

    StoreExecutor& executor() { return *m_executor; }
    ChangeFeed& changes() { return *m_changes; }
    Inventory& inventory() { return *m_inventory; }
    const QString& dataDir() const { return m_dataDir; }

    // The SSH pool, operation runner and fleet service, owned by the
    // composition root (FleetRuntime); null when the GUI runs without them.
    void attachFleet(SshPool* pool, OperationRunner* runner, FleetService* fleet)
    {
        m_pool = pool;
        m_runner = runner;
        m_fleet = fleet;
    }
    SshPool* sshPool() const { return m_pool; }
    OperationRunner* runner() const { return m_runner; }
    FleetService* fleet() const { return m_fleet; }

    // Shorthand for executor().run<R>(): `work` runs on the store thread,
    // `done` on the GUI thread, and only while `context` is alive.
    template <typename R>
    void run(QObject* context, std::function<R(Core&)> work, std::function<void(R)> done)
    {
        m_executor->run<R>(context, std::move(work), std::move(done));
    }

    // The one QNetworkAccessManager of the GUI and the metrics engine over
    // it (Prometheus endpoint from the settings; cache persisted in the store).
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

private:
    QString m_dataDir;
    SshPool* m_pool = nullptr;
    OperationRunner* m_runner = nullptr;
    FleetService* m_fleet = nullptr;
    Core& m_core;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<metrics::MetricsService> m_metrics;
    // Declaration order matters: destroyed in reverse, executor last.
    std::unique_ptr<StoreExecutor> m_executor;
    std::unique_ptr<ChangeFeed> m_changes;
    std::unique_ptr<Inventory> m_inventory;
};

} // namespace chom
