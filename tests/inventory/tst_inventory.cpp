#include "TestStore.h"
#include "store/AuditLog.h"
#include "store/SiteRepository.h"
#include "store/TenantRepository.h"
#include "store/VpsRepository.h"

#include <QSignalSpy>
#include <QtTest>

using namespace chom;
using chom::test::TempCore;

class TestInventory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void starterQuotaIsFiveSites()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("Small"), QStringLiteral("starter"));
        for (int i = 0; i < 5; ++i)
            t.addSite(tenant, QStringLiteral("s%1.example.com").arg(i));
        Site sixth;
        sixth.tenantId = tenant;
        sixth.domain = QStringLiteral("s6.example.com");
        auto r = t.core->sites().create(sixth);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("quota_exceeded"));
        QVERIFY(r.error().message.contains(QStringLiteral("5")));
        QCOMPARE(TenantRepository(t.core->store()).get(tenant).value().siteCount, 5);
        QVERIFY(!SiteRepository(t.core->store()).byDomain(QStringLiteral("s6.example.com")).ok());
    }

    void enterpriseIsUnlimited()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("Big"), QStringLiteral("enterprise"));
        for (int i = 0; i < 30; ++i)
            t.addSite(tenant, QStringLiteral("e%1.example.com").arg(i), 0, 5000);
        QCOMPARE(TenantRepository(t.core->store()).get(tenant).value().siteCount, 30);
        QCOMPARE(TenantRepository(t.core->store()).get(tenant).value().storageUsedMb, 150000);
    }

    void storageQuota()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("Small"), QStringLiteral("starter")); // 10 GB
        t.addSite(tenant, QStringLiteral("a.example.com"), 0, 9000);
        Site s;
        s.tenantId = tenant;
        s.domain = QStringLiteral("b.example.com");
        s.storageUsedMb = 2000;
        auto r = t.core->sites().create(s);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("quota_exceeded"));
        // Growing an existing site is checked too.
        Site a = SiteRepository(t.core->store()).byDomain(QStringLiteral("a.example.com")).value();
        a.storageUsedMb = 11000;
        QVERIFY(!t.core->sites().update(a).ok());
        a.storageUsedMb = 10240;
        QVERIFY(t.core->sites().update(a).ok());
    }

    void tierDowngradeRefusedWhenOverQuota()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("Growing"), QStringLiteral("pro"));
        for (int i = 0; i < 6; ++i)
            t.addSite(tenant, QStringLiteral("g%1.example.com").arg(i));
        Tenant tt = TenantRepository(t.core->store()).get(tenant).value();
        tt.tier = QStringLiteral("starter");
        auto r = t.core->tenants().update(tt);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("quota_exceeded"));
        QCOMPARE(TenantRepository(t.core->store()).get(tenant).value().tier, QStringLiteral("pro"));
        tt.tier = QStringLiteral("nonexistent");
        QCOMPARE(t.core->tenants().update(tt).error().code, QStringLiteral("invalid_tier"));
    }

    void domainUniqueAcrossTenantsAndNormalised()
    {
        TempCore t;
        const Id a = t.addTenant(QStringLiteral("A"));
        const Id b = t.addTenant(QStringLiteral("B"));
        t.addSite(a, QStringLiteral("Shop.Example.COM"));
        QCOMPARE(SiteRepository(t.core->store()).list().value().first().domain,
                 QStringLiteral("shop.example.com"));
        Site dup;
        dup.tenantId = b;
        dup.domain = QStringLiteral("  SHOP.example.com ");
        auto r = t.core->sites().create(dup);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("duplicate_domain"));
        const Id idn = t.addSite(b, QStringLiteral("bücher.de"));
        QCOMPARE(SiteRepository(t.core->store()).get(idn).value().domain,
                 QStringLiteral("xn--bcher-kva.de"));
        Site bad;
        bad.tenantId = b;
        bad.domain = QStringLiteral("$(reboot).com");
        QCOMPARE(t.core->sites().create(bad).error().code, QStringLiteral("invalid_domain"));
        bad.domain = QStringLiteral("ok.example.com");
        bad.phpVersion = QStringLiteral("5.6");
        QCOMPARE(t.core->sites().create(bad).error().code, QStringLiteral("invalid_php_version"));
    }

    void suspendCascadesToSitesAndBack()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("Cascade"), QStringLiteral("pro"));
        const Id s1 = t.addSite(tenant, QStringLiteral("c1.example.com"));
        const Id s2 = t.addSite(tenant, QStringLiteral("c2.example.com"));
        const Id s3 = t.addSite(tenant, QStringLiteral("c3.example.com"));
        QVERIFY(t.core->sites().setStatus(s1, SiteStatus::Active).ok());
        QVERIFY(t.core->sites().setStatus(s2, SiteStatus::Active).ok());
        QVERIFY(t.core->sites().setStatus(s3, SiteStatus::Failed).ok());
        QSignalSpy spy(&t.core->notifier(), &ChangeNotifier::changed);
        QVERIFY(t.core->tenants().setStatus(tenant, TenantStatus::Suspended).ok());
        SiteRepository repo(t.core->store());
        QCOMPARE(toString(repo.get(s1).value().status), toString(SiteStatus::Disabled));
        QCOMPARE(toString(repo.get(s2).value().status), toString(SiteStatus::Disabled));
        QCOMPARE(toString(repo.get(s3).value().status), toString(SiteStatus::Failed));
        QCOMPARE(spy.count(), 2); // tenants + the two sites
        // A suspended tenant cannot get new sites.
        Site s;
        s.tenantId = tenant;
        s.domain = QStringLiteral("c4.example.com");
        QCOMPARE(t.core->sites().create(s).error().code, QStringLiteral("tenant_inactive"));
        QVERIFY(t.core->tenants().setStatus(tenant, TenantStatus::Active).ok());
        QCOMPARE(toString(repo.get(s1).value().status), toString(SiteStatus::Active));
        QCOMPARE(toString(repo.get(s3).value().status), toString(SiteStatus::Failed));
        QVERIFY(t.core->tenants().setStatus(tenant, TenantStatus::Cancelled).ok());
        QCOMPARE(toString(repo.get(s2).value().status), toString(SiteStatus::Disabled));
        QCOMPARE(toString(repo.get(s3).value().status), toString(SiteStatus::Failed));
    }

    void deletesRefusedWhileInUse()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("Owner"));
        const Id vps = t.addVps(QStringLiteral("web-1"));
        const Id site = t.addSite(tenant, QStringLiteral("d.example.com"), vps);
        auto r = t.core->tenants().remove(tenant);
        QCOMPARE(r.error().code, QStringLiteral("has_sites"));
        r = t.core->vps().remove(vps);
        QCOMPARE(r.error().code, QStringLiteral("has_sites"));
        QVERIFY(t.core->sites().remove(site).ok());
        QVERIFY(t.core->vps().remove(vps).ok());
        QVERIFY(t.core->tenants().remove(tenant).ok());
        QCOMPARE(t.core->tenants().remove(tenant).error().code, QStringLiteral("not_found"));
    }

    void vpsValidationAndUniqueness()
    {
        TempCore t;
        t.addVps(QStringLiteral("web-1"), QStringLiteral("192.0.2.1"));
        Vps v;
        v.hostname = QStringLiteral("WEB-1");
        v.ipAddress = QStringLiteral("192.0.2.2");
        QCOMPARE(t.core->vps().create(v).error().code, QStringLiteral("duplicate_hostname"));
        v.hostname = QStringLiteral("web-2");
        v.ipAddress = QStringLiteral("300.1.1.1");
        QCOMPARE(t.core->vps().create(v).error().code, QStringLiteral("invalid_ip"));
        v.ipAddress = QStringLiteral("2001:db8::2");
        v.sshPort = 70000;
        QCOMPARE(t.core->vps().create(v).error().code, QStringLiteral("invalid_port"));
        v.sshPort = 2222;
        v.sshUser = QStringLiteral("root; id");
        QCOMPARE(t.core->vps().create(v).error().code, QStringLiteral("invalid_vps"));
        v.sshUser = QStringLiteral("deploy");
        auto id = t.core->vps().create(v);
        QVERIFY2(id.ok(), qPrintable(id.errorMessage()));
        QVERIFY(t.core->vps().setStatus(id.value(), VpsStatus::Decommissioned).ok());
        const Id tenant = t.addTenant(QStringLiteral("T"));
        Site s;
        s.tenantId = tenant;
        s.domain = QStringLiteral("p.example.com");
        s.vpsId = id.value();
        QCOMPARE(t.core->sites().create(s).error().code, QStringLiteral("vps_unavailable"));
    }

    void everyMutationIsAudited()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("Audited"));
        const Id vps = t.addVps(QStringLiteral("web-a"));
        const Id site = t.addSite(tenant, QStringLiteral("a.example.com"), vps);
        QVERIFY(t.core->sites().setStatus(site, SiteStatus::Active).ok());
        QVERIFY(t.core->tenants().setStatus(tenant, TenantStatus::Suspended).ok());
        QVERIFY(t.core->sites().remove(site).ok());
        QVERIFY(t.core->vps().remove(vps).ok());
        QVERIFY(t.core->tenants().remove(tenant).ok());
        auto entries = AuditLog(t.core->store()).recent(100).value();
        QStringList actions;
        for (const AuditEntry& e : entries)
            actions.prepend(e.action);
        QCOMPARE(actions, (QStringList{"tenant.created", "vps.created", "site.created",
                                       "site.status_changed", "tenant.status_changed",
                                       "site.deleted", "vps.deleted", "tenant.deleted"}));
        QCOMPARE(entries.first().actor, AuditLog::currentActor());
        // A refused change writes nothing.
        Site s;
        s.tenantId = 999;
        s.domain = QStringLiteral("x.example.com");
        QVERIFY(!t.core->sites().create(s).ok());
        QCOMPARE(AuditLog(t.core->store()).recent(100).value().size(), entries.size());
    }
    // The services' reads are what the front-ends use: they answer as the
    // repositories do, on both stores.
    void servicesReadWhatTheyWrote()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("Reader"), QStringLiteral("pro"));
        const Id vps = t.addVps(QStringLiteral("web-r"));
        const Id a = t.addSite(tenant, QStringLiteral("a.example.com"), vps);
        const Id b = t.addSite(tenant, QStringLiteral("b.example.com"));
        Core& c = *t.core;
        QCOMPARE(c.tenants().list().value().size(), 1);
        QCOMPARE(c.tenants().get(tenant).value().siteCount, 2);
        QVERIFY(c.tenants().get(tenant + 100).error().kind() == ErrorKind::NotFound);
        QVERIFY(c.tenants().tiers().value().size() >= 3);
        QCOMPARE(c.tenants().organizations().value().size(), 1);
        QCOMPARE(c.vps().list().value().size(), 1);
        QCOMPARE(c.vps().list().value().first().siteCount, 1);
        QCOMPARE(c.vps().get(vps).value().hostname, QStringLiteral("web-r"));
        QCOMPARE(c.sites().list(tenant).value().size(), 2);
        QCOMPARE(c.sites().list(tenant + 100).value().size(), 0);
        QCOMPARE(c.sites().listForTable().value().size(), 2);
        QCOMPARE(c.sites().getMany({b, a}).value().size(), 2);
        QCOMPARE(c.sites().get(a).value().vpsId, vps);
        QCOMPARE(c.sites().byDomain(QStringLiteral("b.example.com")).value().id, b);
        QCOMPARE(c.sites().backups(a).value().size(), 0);
        QVERIFY(c.audit().verify().ok());
        QCOMPARE(c.operations().recent(10).value().size(), 0);
    }
};

QTEST_GUILESS_MAIN(TestInventory)
#include "tst_inventory.moc"
