#pragma once

#include "Domain.h"
#include "Output.h"

#include <QString>

#include <memory>

namespace chom {
class Core;
class SshPool;
class OperationRunner;
class FleetService;
} // namespace chom

namespace chom::cli {

// Global SSH options (--trust-new-host-keys, --ssh-key, --ssh-agent).
struct SshOptions
{
    bool trustNewHostKeys = false; // first contact only; a changed key is still refused
    QString keyPath;               // empty: $CHOM_SSH_KEY, else ~/.ssh/id_ed25519
    bool useAgent = false;
    QString resolvedKeyPath() const;
};

// The pool, the in-process runner and the fleet service for one chomctl run.
// Operations started here live only as long as this process.
class FleetSession
{
public:
    FleetSession(Core& core, const SshOptions& options);
    ~FleetSession(); // runner first (cancels and waits), then service and pool

    FleetService& fleet() { return *m_fleet; }
    OperationRunner& runner() { return *m_runner; }
    SshPool& pool() { return *m_pool; }

    // Blocks until the operation ends; prints "[i/n] step: ok|failed" lines
    // (text mode) while it runs. Returns the final status word.
    QString wait(Id operationId, Output& out, bool progress);

private:
    Core& m_core;
    std::unique_ptr<SshPool> m_pool;
    std::unique_ptr<OperationRunner> m_runner;
    std::unique_ptr<FleetService> m_fleet;
};

// Prints a finished sweep's rows (from the journal); exit 0 when every host
// was reachable, else 1.
int printSweep(Core& core, Id operationId, Output& out);
// Prints a finished operation with its steps; exit 0 when completed.
int printOperation(Core& core, Id operationId, Output& out);

} // namespace chom::cli
