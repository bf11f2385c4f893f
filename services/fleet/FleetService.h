#pragma once

#include "Domain.h"
#include "base/Result.h"
#include "fleet/AgentProtocol.h"
#include "fleet/FleetOperations.h"
#include "fleet/FleetReports.h"
#include "ops/OperationKind.h"
#include "ops/Recipe.h"
#include "ssh/SshTypes.h"

#include <QJsonObject>
#include <QObject>
#include <QVector>

namespace chom {

class Core;
class SshPool;
class OperationRunner;

// Fleet actions over the SSH pool and the agent. The service owns no thread:
// the pool and the runner do the work; it must outlive the operations it
// started (destroy the runner first, or wait for them). Long actions are operations
// (journaled, cancellable, retryable) started on the runner; the *Now
// variants block and are for chomctl and tests, never the GUI thread.
class FleetService : public QObject
{
    Q_OBJECT
public:
    FleetService(Core& core, SshPool& pool, OperationRunner& runner, QObject* parent = nullptr);

    SshTarget targetFor(const Vps& vps) const;

    // Kept for trustHostKeyNow's own short-lived pool; also set on the pool.
    void setIdentity(const SshIdentity& identity);
    void setTimeouts(const SshTimeouts& timeouts); // for every agent call
    // Whether reads go through the agent's serve channel where a host has
    // one (the default) or always as one-shot commands.
    void setServeEnabled(bool on) { m_serve = on; }
    static QString bundledAgentVersion();

    // One agent call, classified (blocking; not on the GUI thread).
    AgentReply callAgent(const Vps& vps, const QString& command, const QStringList& args = {});

    Result<ConnectionTest> testConnectionNow(Id vpsId);
    Result<HealthReport> healthNow(Id vpsId);
    Result<QString> diagNow(Id vpsId, const QString& name); // whitelisted agent diagnostics
    // Explicit trust, returning the pinned fingerprint: exactly `fingerprint`
    // (the key the operator checked), or without one a first contact only.
    Result<QString> trustHostKeyNow(Id vpsId, const QString& fingerprint);

    // Operations: return the operation id at once; results arrive through
    // the runner's signals, the journal, and the signals below.
    Result<Id> startBootstrap(Id vpsId);
    Result<Id> startSweep(const QVector<Id>& vpsIds = {}, int parallel = 20); // empty = all active
    Result<Id> startTestConnection(Id vpsId);
    // Re-runs a failed/cancelled/interrupted operation through its kind
    // (a sweep: only the hosts whose step did not complete), from the journal.
    Result<Id> retryOperation(Id operationId);
    // The fleet's kinds and those added before the first operation starts
    // (read-only from then on: any thread).
    const OperationKinds& kinds() const { return m_kinds; }
    void addKind(std::unique_ptr<OperationKind> kind) { m_kinds.add(std::move(kind)); }
    Core& core() const { return m_core; } // for the features built on the fleet
    OperationRunner& runner() const { return m_runner; }

Q_SIGNALS:
    void healthReported(const chom::HealthReport& report);
    void connectionTested(const chom::ConnectionTest& result);

private:
    Result<Vps> vps(Id id) const;
    HealthReport checkHealth(const Vps& vps); // blocking; records and emits

    Core& m_core;
    SshPool& m_pool;
    OperationRunner& m_runner;
    SshIdentity m_identity;
    SshTimeouts m_timeouts;
    bool m_serve = true;
    OperationKinds m_kinds;
    friend class FleetOperations;
    FleetOperations m_operations{*this};
};

} // namespace chom
