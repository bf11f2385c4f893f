#include "SiteFleetFixture.h"

#include "store/OperationJournal.h"

#include <QElapsedTimer>
#include <QtTest>

namespace chom::test {

SiteFleetFixture::~SiteFleetFixture()
{
    stop();
}

QString SiteFleetFixture::unavailableReason(bool database)
{
    QString why = WebStack::fleetUnavailableReason();
    if (why.isEmpty() && database)
        why = WebStack::databaseUnavailableReason();
    return why;
}

bool SiteFleetFixture::start(int octet, quint16 port, quint16 dbPort, const QString& tier)
{
    if (dbPort)
        stack.setDatabasePort(dbPort);
    if (!stack.startOnFleetHost(fleet, octet, port)) {
        m_error = stack.error();
        return false;
    }
    const auto host = fleet.hosts().at(0);
    t = std::make_unique<TempCore>();
    tenant = t->addTenant(QStringLiteral("Acme"), tier);
    Vps v;
    v.hostname = QStringLiteral("web-%1.fleet.test").arg(octet);
    v.ipAddress = host.address;
    v.sshPort = host.port;
    v.sshUser = QStringLiteral("root");
    v.status = VpsStatus::Active;
    auto id = t->core->vps().create(v);
    if (!id) {
        m_error = id.errorMessage();
        return false;
    }
    vps = id.value();
    SshPool::Config c;
    c.trustNewHostKeys = true;
    pool = std::make_unique<SshPool>(t->core->store(), c);
    runner = std::make_unique<OperationRunner>(t->core->store(), &t->core->notifier());
    service = std::make_unique<FleetService>(*t->core, *pool, *runner);
    SshIdentity key;
    key.privateKeyPath = fleet.clientKeyPath();
    service->setIdentity(key);
    sites = std::make_unique<SiteOperations>(*service);
    service->addKind(sites->provisionKind());
    return true;
}

void SiteFleetFixture::stop()
{
    runner.reset();
    sites.reset();
    service.reset();
    pool.reset();
    t.reset();
    stack.stop();
    fleet.stop();
}

QString SiteFleetFixture::waitFor(Id operationId, int timeoutMs) const
{
    QElapsedTimer clock;
    clock.start();
    OperationStatus st = OperationStatus::Pending;
    while (clock.elapsed() < timeoutMs) {
        st = OperationJournal(t->core->store()).get(operationId).value().status;
        if (st != OperationStatus::Pending && st != OperationStatus::Running)
            break;
        QTest::qWait(50);
    }
    return toString(st);
}

Id SiteFleetFixture::provision(const QString& domain, SiteType type)
{
    Site s;
    s.tenantId = tenant;
    s.domain = domain;
    s.type = type;
    s.phpVersion = stack.phpVersion();
    auto started = sites->startCreate(s);
    if (!started || waitFor(started.value().operationId) != QLatin1String("completed"))
        return 0;
    return started.value().siteId;
}

} // namespace chom::test
