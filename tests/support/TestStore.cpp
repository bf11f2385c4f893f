#include "TestStore.h"

#include "TestBackend.h"

#include <QHash>
#include <QMutex>
#include <QThread>
#include <QtTest>

namespace chom::test {
namespace {

QMutex g_guardsMutex;
QHash<const Store*, QThread*> g_guards; // as set through setGuardedThread()

} // namespace

QThread* guardedThread(const Store& store)
{
    QMutexLocker lock(&g_guardsMutex);
    return g_guards.value(&store);
}

void setGuardedThread(Store& store, QThread* thread)
{
    QMutexLocker lock(&g_guardsMutex);
    if (thread)
        g_guards.insert(&store, thread);
    else
        g_guards.remove(&store);
    store.guardThread(thread);
}

Unguarded::Unguarded(Store& store) : m_store(store)
{
    if (guardedThread(store) == QThread::currentThread()) {
        m_restore = QThread::currentThread();
        setGuardedThread(store, nullptr);
    }
}

Unguarded::~Unguarded()
{
    if (m_restore)
        setGuardedThread(m_store, m_restore);
}

TempCore::TempCore() : m_config(freshStoreConfig(dir.path()))
{
    auto c = Core::open(m_config);
    if (!c)
        qFatal("cannot open test store: %s", qPrintable(c.error().message));
    core = std::move(c).value();
}

TempCore::~TempCore()
{
    core.reset();
    dropStore(m_config);
}

Id TempCore::addTenant(const QString& name, const QString& tier)
{
    Unguarded setup(core->store());
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
    Unguarded setup(core->store());
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
    Unguarded setup(core->store());
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
