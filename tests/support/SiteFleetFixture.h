#pragma once

// A store, an SSH pool, an operation runner, a fleet service and the site
// operations over one loopback root-login sshd "VPS" whose sandbox holds a
// web stack of its own (nginx, PHP-FPM and, with a database port, MariaDB):
// what the site and backup tests provision on. One active VPS, one tenant.

#include "SshFleet.h"
#include "TestStore.h"
#include "WebStack.h"
#include "fleet/FleetService.h"
#include "ops/OperationRunner.h"
#include "sites/SiteOperations.h"
#include "ssh/SshPool.h"

#include <memory>

namespace chom::test {

class SiteFleetFixture
{
public:
    ~SiteFleetFixture(); // stop()

    // Why it cannot run here (empty when it can): root, sshd, nginx,
    // php-fpm and, with `database`, MariaDB.
    static QString unavailableReason(bool database);
    // The host at 127.0.0.<octet>, nginx on `port`, MariaDB on `dbPort`
    // (0: none), a tenant of `tier` and the VPS in the store.
    bool start(int octet, quint16 port, quint16 dbPort,
               const QString& tier = QStringLiteral("enterprise"));
    // The runner first (every step joined), then the services, the store,
    // the stack and the host.
    void stop();
    QString error() const { return m_error; }

    // The operation's final status as text (QCOMPARE prints it).
    QString waitFor(Id operationId, int timeoutMs = 90000) const;
    // A site of the tenant, created and provisioned; 0 when that failed.
    Id provision(const QString& domain, SiteType type);

    SshFleet fleet;
    WebStack stack;
    std::unique_ptr<TempCore> t;
    std::unique_ptr<SshPool> pool;
    std::unique_ptr<OperationRunner> runner;
    std::unique_ptr<FleetService> service;
    std::unique_ptr<SiteOperations> sites;
    Id tenant = 0;
    Id vps = 0;

private:
    QString m_error;
};

} // namespace chom::test
