#include "TestStore.h"

#include <QtTest>

namespace chom::test {

TempCore::TempCore()
{
    auto c = Core::open(sqliteConfigFor(dir.path()));
    if (!c)
        qFatal("cannot open test store: %s", qPrintable(c.error().message));
    core = std::move(c).value();
}

Id TempCore::addTenant(const QString& name, const QString& tier)
{
    Tenant t;
    t.name = name;
    t.tier = tier;
    auto id = core->tenants().create(t);
    if (!id)
        qFatal("addTenant: %s", qPrintable(id.error().message));
    return id.value();
}

Id TempCore::addVps(const QString& hostname, const QString& ip)
{
    Vps v;
    v.hostname = hostname;
    v.ipAddress = ip;
    auto id = core->vps().create(v);
    if (!id)
        qFatal("addVps: %s", qPrintable(id.error().message));
    return id.value();
}

Id TempCore::addSite(Id tenant, const QString& domain, Id vps, qint64 storageMb)
{
    Site s;
    s.tenantId = tenant;
    s.domain = domain;
    s.vpsId = vps;
    s.storageUsedMb = storageMb;
    auto id = core->sites().create(s);
    if (!id)
        qFatal("addSite: %s", qPrintable(id.error().message));
    return id.value();
}

} // namespace chom::test
