#pragma once

#include "Domain.h"
#include "Output.h"
#include "base/Result.h"
#include "ssh/SshTypes.h"

#include <QString>

#include <memory>

namespace chom {
class Core;
class SshPool;
class OperationRunner;
class FleetService;
class Runtime;
class SiteOperations;
class TenantSites;
class SiteTools;
class SiteCoherency;
class SiteBackups;
} // namespace chom

namespace chom::cli {

// Global SSH options (--trust-new-host-keys, --ssh-key, --ssh-agent).
struct SshOptions
{
    bool trustNewHostKeys = false; // first contact only; a changed key is still refused
    QString keyPath;               // empty: $CHOM_SSH_KEY, else the console's saved identity, else
                                   // ~/.ssh/id_ed25519
    bool useAgent = false;
    // The identity to use (SshIdentitySettings::resolveForCli over the
    // console's QSettings); a usage error when the console's saved identity
    // is a key in its secret store.
    Result<SshIdentity> identity() const;
};

// The Runtime's pool, in-process runner and fleet service for one chomctl
// run (the console's composition and teardown order). Operations started
// here live only as long as this process.
class FleetSession
{
public:
    FleetSession(Core& core, const SshOptions& options, const SshIdentity& identity);
    ~FleetSession(); // the Runtime's teardown

    // A session with options.identity(), or the error choosing it.
    static Result<std::unique_ptr<FleetSession>> open(Core& core, const SshOptions& options);

    FleetService& fleet();
    OperationRunner& runner();
    SshPool& pool();
    SiteOperations& sites();
    TenantSites& tenantSites();
    SiteTools& siteTools();
    SiteCoherency& coherency();
    SiteBackups& backups();

    // Blocks until the operation ends; prints "[i/n] step: ok|failed" lines
    // (text mode) while it runs. Returns the final status word.
    QString wait(Id operationId, Output& out, bool progress);

private:
    Core& m_core;
    std::unique_ptr<Runtime> m_runtime;
};

// Prints a finished sweep's rows (from the journal); exit 0 when every host
// was reachable, else 1.
int printSweep(Core& core, Id operationId, Output& out);
// Prints a finished operation with its steps; exit 0 when completed.
int printOperation(Core& core, Id operationId, Output& out);

} // namespace chom::cli
