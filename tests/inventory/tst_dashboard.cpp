#include "TestStore.h"
#include "store/BackupRepository.h"
#include "store/DemoData.h"
#include "store/SiteRepository.h"
#include "store/TenantRepository.h"

#include <QSignalSpy>
#include <QtTest>

#include <utility>

using namespace chom;
using chom::test::TempCore;

namespace {

// The slow, obvious computation the dashboard must agree with.
DashboardStats bruteForce(Store& store, Id tenant, qint64 now)
{
    DashboardStats s;
    for (const Site& site : SiteRepository(store).list(tenant).value()) {
        ++s.totalSites;
        s.sitesByStatus[toString(site.status)] += 1;
        s.storageUsedMb += site.storageUsedMb;
        if (sslState(site.sslEnabled, site.sslExpiresAt, now) == SslState::Expiring)
            ++s.sslExpiringSoon;
    }
    s.activeSites = s.sitesByStatus.value(QStringLiteral("active"));
    return s;
}

void compareWithBruteForce(Core& core, Id tenant)
{
    const DashboardStats expected = bruteForce(core.store(), tenant, nowSecs());
    const DashboardStats got = DashboardService::compute(core.store(), tenant).value();
    QCOMPARE(got.totalSites, expected.totalSites);
    QCOMPARE(got.activeSites, expected.activeSites);
    QCOMPARE(got.storageUsedMb, expected.storageUsedMb);
    QCOMPARE(got.sslExpiringSoon, expected.sslExpiringSoon);
    for (auto it = expected.sitesByStatus.begin(); it != expected.sitesByStatus.end(); ++it)
        QCOMPARE(got.sitesByStatus.value(it.key()), it.value());
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanup() { setNowOverrideForTests(0); }

    void matchesBruteForceOnDemoFleet()
    {
        TempCore t;
        auto demo = DemoData(t.core->store()).generate(2000, 7);
        QVERIFY2(demo.ok(), qPrintable(demo.errorMessage()));
        compareWithBruteForce(*t.core, 0);
        for (const Tenant& tenant : TenantRepository(t.core->store()).list().value().mid(0, 5))
            compareWithBruteForce(*t.core, tenant.id);
        const DashboardStats all = t.core->dashboard().stats().value();
        QCOMPARE(all.totalSites, 2000);
        QCOMPARE(all.recentOperations.size(), 5);
        qint64 vpsTotal = 0;
        for (qint64 n : all.vpsByHealth)
            vpsTotal += n;
        QVERIFY(vpsTotal >= 10);
        QCOMPARE(all.vpsByHealth.size(), 4); // demo covers every health
    }

    // A write that commits while stats() computes must not leave the older
    // figure in the cache (the lost-invalidation race).
    void writeDuringComputeIsNotCachedOver()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("T"), QStringLiteral("pro"));
        DashboardService& d = t.core->dashboard();
        bool once = true;
        d.setAfterComputeForTests([&] {
            if (!std::exchange(once, false))
                return;
            t.addSite(tenant, QStringLiteral("raced.example.com")); // commits + invalidates
        });
        QCOMPARE(d.stats().value().totalSites, 0); // computed before the write
        d.setAfterComputeForTests({});
        QCOMPARE(d.stats().value().totalSites, 1); // not the stale cached 0
    }

    // Another process (a second Core on the same file, as chomctl would be)
    // adds a site: the watching Core's notifier says so within 2 s and its
    // dashboard shows it.
    void anotherProcessWriteReachesTheDashboard()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("T"), QStringLiteral("pro"));
        DashboardService& d = t.core->dashboard();
        QCOMPARE(d.stats().value().totalSites, 0);
        t.core->watchExternalChanges(100);
        QSignalSpy spy(&t.core->notifier(), &ChangeNotifier::changed);
        auto other = Core::open(t.config());
        QVERIFY(other.ok());
        Site s;
        s.tenantId = tenant;
        s.domain = QStringLiteral("elsewhere.example.com");
        QVERIFY(other.value()->sites().create(s).ok());
        QTRY_VERIFY_WITH_TIMEOUT(!spy.isEmpty(), 2000);
        QCOMPARE(spy.first().at(0).value<ChangeNotifier::Entity>(), ChangeNotifier::Entity::Sites);
        QCOMPARE(d.stats().value().totalSites, 1);
        // Its own writes are not echoed back as external.
        spy.clear();
        t.addSite(tenant, QStringLiteral("local.example.com"));
        const int local = int(spy.size());
        QTest::qWait(400);
        QCOMPARE(int(spy.size()), local);
    }

    void cachedUntilAWriteCommits()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("T"), QStringLiteral("pro"));
        DashboardService& d = t.core->dashboard();
        QCOMPARE(d.stats().value().totalSites, 0);
        const quint64 computes = d.computeCount();
        for (int i = 0; i < 10; ++i)
            QCOMPARE(d.stats().value().totalSites, 0);
        QCOMPARE(d.computeCount(), computes); // warm: no recompute
        QCOMPARE(d.hitCount(), quint64(10));

        struct Step
        {
            const char* what;
            std::function<void()> write;
            qint64 expectTotal;
        };
        Id site = 0;
        const Id vps = t.addVps(QStringLiteral("web-1"));
        QCOMPARE(d.stats().value().vpsByHealth.value(QStringLiteral("unknown")),
                 1); // vps write invalidated
        const std::vector<Step> steps{
            {"site created",
             [&] { site = t.addSite(tenant, QStringLiteral("a.example.com"), vps, 100); }, 1},
            {"site updated",
             [&] {
                 Site s = SiteRepository(t.core->store()).get(site).value();
                 s.storageUsedMb = 300;
                 QVERIFY(t.core->sites().update(s).ok());
             },
             1},
            {"site status",
             [&] { QVERIFY(t.core->sites().setStatus(site, SiteStatus::Active).ok()); }, 1},
            {"tenant suspended",
             [&] { QVERIFY(t.core->tenants().setStatus(tenant, TenantStatus::Suspended).ok()); },
             1},
            {"tenant activated",
             [&] { QVERIFY(t.core->tenants().setStatus(tenant, TenantStatus::Active).ok()); }, 1},
            {"tenant created", [&] { t.addTenant(QStringLiteral("U")); }, 1},
            {"second site", [&] { t.addSite(tenant, QStringLiteral("b.example.com")); }, 2},
            {"site deleted", [&] { QVERIFY(t.core->sites().remove(site).ok()); }, 1},
        };
        for (const Step& step : steps) {
            const quint64 before = d.computeCount();
            step.write();
            const DashboardStats s = d.stats().value();
            QVERIFY2(d.computeCount() == before + 1, step.what);
            QVERIFY2(s.totalSites == step.expectTotal, step.what);
            compareWithBruteForce(*t.core, 0);
            QVERIFY(d.stats().ok());
            QVERIFY2(d.computeCount() == before + 1, step.what); // and warm again
        }
        const DashboardStats s = d.stats().value();
        QCOMPARE(s.activeSites, 0);
        QCOMPARE(s.storageUsedMb, 0);
    }

    void refusedWriteKeepsCache()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("T"));
        QVERIFY(t.core->dashboard().stats().ok());
        const quint64 computes = t.core->dashboard().computeCount();
        Site s;
        s.tenantId = tenant;
        s.domain = QStringLiteral("not a domain");
        QVERIFY(!t.core->sites().create(s).ok());
        QVERIFY(t.core->dashboard().stats().ok());
        QCOMPARE(t.core->dashboard().computeCount(), computes);
    }

    void sslWindowMovesWithTime()
    {
        TempCore t;
        const qint64 t0 = 1900000000;
        setNowOverrideForTests(t0);
        const Id tenant = t.addTenant(QStringLiteral("T"), QStringLiteral("pro"));
        Site s;
        s.tenantId = tenant;
        s.domain = QStringLiteral("ssl.example.com");
        s.sslEnabled = true;
        s.sslExpiresAt = t0 + 20 * 86400; // outside the 14-day window
        QVERIFY(t.core->sites().create(s).ok());
        DashboardService& d = t.core->dashboard();
        QCOMPARE(d.stats().value().sslExpiringSoon, 0);
        setNowOverrideForTests(t0 + 5 * 86400); // still outside: cached value stands
        const quint64 c = d.computeCount();
        QCOMPARE(d.stats().value().sslExpiringSoon, 0);
        QCOMPARE(d.computeCount(), c);
        setNowOverrideForTests(t0 + 6 * 86400 + 1); // 13.99 days left: enters the window
        QCOMPARE(d.stats().value().sslExpiringSoon, 1);
        setNowOverrideForTests(t0 + 20 * 86400); // expired: leaves it
        QCOMPARE(d.stats().value().sslExpiringSoon, 0);
    }

    void perTenantScope()
    {
        TempCore t;
        const Id a = t.addTenant(QStringLiteral("A"), QStringLiteral("pro"));
        const Id b = t.addTenant(QStringLiteral("B"), QStringLiteral("pro"));
        const Id vps = t.addVps(QStringLiteral("web-1"));
        t.addSite(a, QStringLiteral("a1.example.com"), vps, 10);
        t.addSite(a, QStringLiteral("a2.example.com"), vps, 20);
        t.addSite(b, QStringLiteral("b1.example.com"), 0, 40);
        const DashboardStats sa = t.core->dashboard().stats(a).value();
        const DashboardStats sb = t.core->dashboard().stats(b).value();
        QCOMPARE(sa.totalSites, 2);
        QCOMPARE(sa.storageUsedMb, 30);
        QCOMPARE(sa.vpsByHealth.value(QStringLiteral("unknown")), 1);
        QCOMPARE(sb.totalSites, 1);
        QCOMPARE(sb.storageUsedMb, 40);
        QVERIFY(sb.vpsByHealth.isEmpty());
        QCOMPARE(t.core->dashboard().stats().value().totalSites, 3);
    }
};

QTEST_GUILESS_MAIN(TestDashboard)
#include "tst_dashboard.moc"
