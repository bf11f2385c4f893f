#include "TestBackend.h"
#include "TestStore.h"
#include "ops/OperationRunner.h"
#include "store/DemoData.h"
#include "store/Sql.h"
#include "store/StoreMeta.h"

#include <QSqlQuery>
#include <QtTest>

using namespace chom;
using chom::test::TempCore;

namespace {
QStringList column(Core& c, const QString& sql)
{
    QStringList out;
    auto q = execSql(c.store().db(), sql);
    while (q && q.value().next())
        out << q.value().value(0).toString();
    return out;
}
} // namespace

class TestDemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void coversEveryStateAndRespectsQuotas_data()
    {
        QTest::addColumn<int>("sites");
        QTest::newRow("default 300") << 300;
        // The large fill measures the workstation store; on PostgreSQL (one
        // round trip per row over TCP) a smaller one covers the same SQL.
        if (chom::test::onPostgres())
            QTest::newRow("10k") << 10000;
        else
            QTest::newRow("100k") << 100000;
    }
    void coversEveryStateAndRespectsQuotas()
    {
        QFETCH(int, sites);
        TempCore t;
        QVERIFY(!t.core->isDemo());
        auto r = DemoData(t.core->store()).generate(sites);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QVERIFY(t.core->isDemo());
        QCOMPARE(t.core->dashboard().stats().value().totalSites, sites);
        if (sites >= 100000)
            QVERIFY(r.value().tenants >= 1000);
        auto sorted = [](QStringList l) {
            l.sort();
            return l;
        };
        QCOMPARE(sorted(column(*t.core, "SELECT DISTINCT tier FROM tenants")),
                 (QStringList{"enterprise", "pro", "starter"}));
        QCOMPARE(sorted(column(*t.core, "SELECT DISTINCT status FROM vps_servers")),
                 sorted(allVpsStatuses()));
        QCOMPARE(sorted(column(*t.core, "SELECT DISTINCT health_status FROM vps_servers")),
                 sorted(allVpsHealths()));
        QCOMPARE(sorted(column(*t.core, "SELECT DISTINCT site_type FROM sites")),
                 sorted(allSiteTypes()));
        QCOMPARE(sorted(column(*t.core, "SELECT DISTINCT status FROM sites")),
                 sorted(allSiteStatuses()));
        // No tenant above its tier's quotas.
        QCOMPARE(
            column(*t.core,
                   "SELECT COUNT(*) FROM tenants t JOIN tier_limits l ON l.tier = t.tier "
                   "WHERE (l.max_sites >= 0 AND t.site_count > l.max_sites) "
                   "OR (l.max_storage_gb >= 0 AND t.storage_used_mb > l.max_storage_gb * 1024)"),
            QStringList{"0"});
        // Sites of suspended tenants are not live.
        QCOMPARE(column(*t.core,
                        "SELECT COUNT(*) FROM sites s JOIN tenants t ON t.id = s.tenant_id "
                        "WHERE t.status <> 'active' AND s.status = 'active'"),
                 QStringList{"0"});
        // SSL expiries spread over the next 90 days (some already expired).
        const qint64 now = nowSecs();
        const QStringList span =
            column(*t.core, "SELECT (MAX(ssl_expires_at) - MIN(ssl_expires_at)) / 86400 "
                            "FROM sites WHERE ssl_enabled = 1");
        QVERIFY(span.value(0).toInt() >= 80);
        QVERIFY(t.core->dashboard().stats().value().sslExpiringSoon > 0);
        Q_UNUSED(now);
        QVERIFY(column(*t.core, "SELECT COUNT(*) FROM site_backups").value(0).toInt() > 0);
        QVERIFY(column(*t.core, "SELECT COUNT(DISTINCT status) FROM operations").value(0).toInt() >=
                4);
        // No process owns a demo operation: the first start finds nothing
        // "interrupted by the last shutdown".
        auto recovered = OperationRunner::recoverInterrupted(t.core->store());
        QVERIFY2(recovered.ok(), qPrintable(recovered.errorMessage()));
        QCOMPARE(recovered.value().size(), 0);
    }

    void refusesNonEmptyStore()
    {
        TempCore t;
        t.addTenant(QStringLiteral("Real customer"));
        auto r = DemoData(t.core->store()).generate(10);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("not_empty"));
        QVERIFY(!t.core->isDemo());
        QCOMPARE(DemoData(t.core->store()).generate(0).error().code,
                 QStringLiteral("invalid_argument"));
    }

    // The console's --demo policy: an empty store is filled once, a store
    // holding data is left as it is (not an error).
    void fillIfEmptySeedsOnlyAnEmptyStore()
    {
        TempCore t;
        int generating = 0;
        auto first = DemoData(t.core->store()).fillIfEmpty(40, [&generating] { ++generating; });
        QVERIFY2(first, qPrintable(first.errorMessage()));
        QVERIFY(first->seeded);
        QCOMPARE(generating, 1);
        QCOMPARE(first->summary.sites, 40);
        QVERIFY(t.core->isDemo());
        const QStringList sites = column(*t.core, "SELECT COUNT(*) FROM sites");
        QCOMPARE(sites, QStringList{"40"});

        auto second = DemoData(t.core->store()).fillIfEmpty(40, [&generating] { ++generating; });
        QVERIFY2(second, qPrintable(second.errorMessage()));
        QVERIFY(!second->seeded);
        QCOMPARE(generating, 1); // no generation started
        QCOMPARE(column(*t.core, "SELECT COUNT(*) FROM sites"), sites);
    }

    void fillIfEmptyLeavesRealDataAlone()
    {
        TempCore t;
        t.addTenant(QStringLiteral("Real customer"));
        bool generating = false;
        auto r = DemoData(t.core->store()).fillIfEmpty(10, [&generating] { generating = true; });
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QVERIFY(!r->seeded);
        QVERIFY(!generating);
        QVERIFY(!t.core->isDemo());
        QCOMPARE(column(*t.core, "SELECT COUNT(*) FROM tenants"), QStringList{"1"});
    }

    void fillIfEmptyReportsAFailedGeneration()
    {
        TempCore t;
        auto r = DemoData(t.core->store()).fillIfEmpty(0);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("invalid_argument"));
        QVERIFY2(r.errorMessage().startsWith(QLatin1String("Demo data could not be generated: ")),
                 qPrintable(r.errorMessage()));
        QCOMPARE(column(*t.core, "SELECT COUNT(*) FROM tenants"), QStringList{"0"});
    }
};

QTEST_GUILESS_MAIN(TestDemo)
#include "tst_demo.moc"
