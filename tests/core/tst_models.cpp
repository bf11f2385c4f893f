#include "DemoData.h"
#include "InventoryModels.h"
#include "SiteFilterProxy.h"
#include "SiteTableModel.h"
#include "TestStore.h"
#include "store/BackupRepository.h"
#include "store/SiteRepository.h"
#include "store/TenantRepository.h"
#include "store/VpsRepository.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace chom;
using chom::test::TempCore;

namespace {
constexpr auto kFatal = QAbstractItemModelTester::FailureReportingMode::Fatal;
}

class TestModels : public QObject
{
    Q_OBJECT
private:
    TempCore* m_t = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        m_t = new TempCore;
        QVERIFY(DemoData(m_t->core->store()).generate(500, 3).ok());
    }
    void cleanupTestCase() { delete m_t; }

    void tenantModel()
    {
        TenantTableModel m;
        QAbstractItemModelTester tester(&m, kFatal);
        m.setRows(TenantRepository(m_t->core->store()).list().value());
        QVERIFY(m.rowCount() >= 12);
        const Tenant& first = m.rowAt(0);
        QCOMPARE(m.data(m.index(0, TenantTableModel::Name)).toString(), first.name);
        QVERIFY(m.data(m.index(0, TenantTableModel::Sites)).toString().contains(QLatin1Char('/')));
        QCOMPARE(m.data(m.index(0, 0), TenantTableModel::IdRole).toLongLong(), first.id);
    }

    void vpsBackupOperationModels()
    {
        VpsTableModel v;
        QAbstractItemModelTester t1(&v, kFatal);
        v.setRows(VpsRepository(m_t->core->store()).list().value());
        QVERIFY(v.rowCount() >= 10);
        BackupTableModel b;
        QAbstractItemModelTester t2(&b, kFatal);
        b.setRows(BackupRepository(m_t->core->store()).list().value());
        QVERIFY(b.rowCount() > 0);
        OperationTableModel o;
        QAbstractItemModelTester t3(&o, kFatal);
        o.setRows(OperationJournal(m_t->core->store()).recent(100).value());
        QCOMPARE(o.rowCount(), 60);
        QVERIFY(o.data(o.index(0, OperationTableModel::Progress)).toString().endsWith(QLatin1Char('%')));
    }

    void siteModelUpserts()
    {
        SiteTableModel m;
        QAbstractItemModelTester tester(&m, kFatal);
        auto all = SiteRepository(m_t->core->store()).list().value();
        m.setRows(all);
        QCOMPARE(m.rowCount(), 500);
        // Change one row, remove one, add one: per-row signals, no reset.
        QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        Site edited = all[3];
        edited.phpVersion = QStringLiteral("8.4");
        Site added = all[0];
        added.id = 999999;
        added.domain = QStringLiteral("new.example.com");
        m.upsert({edited.id, all[4].id, added.id}, {edited, added});
        QCOMPARE(reset.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m.rowCount(), 500);
        QCOMPARE(m.rowAt(m.rowOf(edited.id)).phpVersion, QStringLiteral("8.4"));
        QCOMPARE(m.rowOf(all[4].id), -1);
        QVERIFY(m.rowOf(added.id) >= 0);
    }

    void proxyFiltersAndSorts()
    {
        SiteTableModel m;
        SiteFilterProxy p;
        p.setSourceModel(&m);
        QAbstractItemModelTester tester(&p, kFatal);
        const auto all = SiteRepository(m_t->core->store()).list().value();
        m.setRows(all);
        QHash<Id, QString> names;
        for (const Tenant& t : TenantRepository(m_t->core->store()).list().value())
            names.insert(t.id, t.name);
        m.setTenantNames(names);
        QCOMPARE(p.rowCount(), 500);

        auto countIf = [&](auto pred) { return int(std::count_if(all.begin(), all.end(), pred)); };
        p.setStatusFilter(SiteStatus::Active);
        QCOMPARE(p.rowCount(), countIf([](const Site& s) { return s.status == SiteStatus::Active; }));
        p.setTypeFilter(SiteType::WordPress);
        QCOMPARE(p.rowCount(), countIf([](const Site& s) {
                     return s.status == SiteStatus::Active && s.type == SiteType::WordPress;
                 }));
        p.clearFilters();
        p.setSearchText(QStringLiteral("SUMMIT"));
        const int summit = countIf([&](const Site& s) {
            return s.domain.contains(QStringLiteral("summit")) ||
                   names.value(s.tenantId).contains(QStringLiteral("summit"), Qt::CaseInsensitive);
        });
        QCOMPARE(p.rowCount(), summit);
        QVERIFY(summit > 0);
        p.clearFilters();
        p.setSslExpiringOnly(true);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QCOMPARE(p.rowCount(), countIf([&](const Site& s) {
                     return sslState(s.sslEnabled, s.sslExpiresAt, now) == SslState::Expiring;
                 }));
        QVERIFY(p.rowCount() > 0);
        p.clearFilters();
        p.setTenantFilter(all[0].tenantId);
        QCOMPARE(p.rowCount(), countIf([&](const Site& s) { return s.tenantId == all[0].tenantId; }));
        p.clearFilters();
        p.setVpsFilter(all[0].vpsId);
        QCOMPARE(p.rowCount(), countIf([&](const Site& s) { return s.vpsId == all[0].vpsId; }));
        p.clearFilters();

        p.sort(SiteTableModel::Domain, Qt::AscendingOrder);
        for (int r = 1; r < p.rowCount(); ++r)
            QVERIFY(p.index(r - 1, 0).data().toString() <= p.index(r, 0).data().toString());
        p.sort(SiteTableModel::Storage, Qt::DescendingOrder);
        for (int r = 1; r < p.rowCount(); ++r)
            QVERIFY(p.index(r - 1, 0).data(SiteTableModel::IdRole).isValid());
        const Id topId = p.index(0, 0).data(SiteTableModel::IdRole).toLongLong();
        const qint64 top = m.rowAt(m.rowOf(topId)).storageUsedMb;
        for (const Site& s : all)
            QVERIFY(s.storageUsedMb <= top);
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
