#pragma once

#include "base/Result.h"
#include "ssh/SshPool.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>

namespace chom {

class Core;
class FleetService;
class OperationRunner;
class StoreExecutor;

// The headless composition both front-ends share: the store executor and,
// once startFleet() ran, the SSH pool, the operation runner and the fleet
// service. The Core it is given must outlive it.
//
// Teardown, in this order and nowhere else (stopFleet(), then ~Runtime):
//   1. stop handing out the fleet, then drain the executor and the fleet-call
//      pool, so no store-thread task or blocking call still holds it;
//   2. cancel and join the runner (every step body included);
//   3. destroy the fleet service, then the SSH pool;
//   4. drain and stop the executor (queued writes still land).
class Runtime : public QObject
{
    Q_OBJECT
public:
    explicit Runtime(Core& core, QObject* parent = nullptr);
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

    // Runs `start` with the fleet service on the store thread (it reads the
    // store and journals there); `done` gets the id or the error on the
    // caller's thread while `context` lives. Without a fleet: error no_fleet.
    void startOperation(QObject* context, std::function<Result<Id>(FleetService&)> start,
                        std::function<void(Result<Id>)> done);

    // A blocking fleet call (trustHostKeyNow, the *Now probes) on the
    // runtime's own bounded pool, never the GUI thread or the global pool;
    // `done` on the caller's thread while `context` lives. stopFleet() waits
    // for these before the fleet goes. Without a fleet: error no_fleet.
    void runWithFleet(QObject* context, std::function<Status(FleetService&)> work,
                      std::function<void(Status)> done);

private:
    Core& m_core;
    QThreadPool m_fleetCalls;
    std::unique_ptr<StoreExecutor> m_executor;
    std::unique_ptr<SshPool> m_pool;
    std::unique_ptr<OperationRunner> m_runner;
    std::unique_ptr<FleetService> m_fleetOwner;
    std::atomic<FleetService*> m_fleet{nullptr};
};

} // namespace chom
