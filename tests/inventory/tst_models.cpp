#include "ExtraColumnsProxy.h"
#include "InventoryModels.h"
#include "SiteFilterProxy.h"
#include "SiteTableModel.h"
#include "TestStore.h"
#include "store/BackupRepository.h"
#include "store/DemoData.h"
#include "store/OperationJournal.h"
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
constexpr auto kQtTest = QAbstractItemModelTester::FailureReportingMode::QtTest;

// Two computed columns after the tenant model's own.
class TwoExtraColumns : public ExtraColumnsProxy
{
public:
    explicit TwoExtraColumns(TenantTableModel* source)
        : ExtraColumnsProxy(TenantTableModel::ColumnCount, TenantTableModel::ColumnCount + 2)
    {
        setSourceModel(source);
    }
    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!index.isValid() || index.column() < firstExtra())
            return ExtraColumnsProxy::data(index, role);
        return role == Qt::DisplayRole
                   ? QVariant(QStringLiteral("extra %1/%2").arg(index.row()).arg(index.column()))
                   : QVariant();
    }
};

QVector<Tenant> syntheticTenants(int n)
{
    QVector<Tenant> out;
    for (int i = 1; i <= n; ++i) {
        Tenant t;
        t.id = i;
        t.name = QStringLiteral("tenant-%1").arg(i);
        out << t;
    }
    return out;
}
} // namespace

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
        QVERIFY(o.data(o.index(0, OperationTableModel::Progress))
                    .toString()
                    .endsWith(QLatin1Char('%')));
    }

    // A host's error and a failure reason are shown literally in tooltips.
    void remoteTextInTooltipsIsNotMarkup()
    {
        const QString hostile =
            QStringLiteral("<img src=\"http://127.0.0.1/x\"><a href=x>click</a>");
        VpsTableModel v;
        Vps vps;
        vps.id = 1;
        vps.hostname = QStringLiteral("web1.example.com");
        vps.healthError = hostile;
        v.setRows({vps});
        SiteTableModel m;
        Site site;
        site.id = 1;
        site.domain = QStringLiteral("a.example.com");
        site.failureReason = hostile;
        m.setRows({site});
        for (const QString& tip :
             {v.index(0, VpsTableModel::Health).data(Qt::ToolTipRole).toString(),
              m.index(0, SiteTableModel::Status).data(Qt::ToolTipRole).toString()}) {
            QVERIFY2(!tip.contains(QLatin1String("<img")) && !tip.contains(QLatin1String("<a ")),
                     qPrintable(tip));
            QVERIFY2(tip.contains(hostile.toHtmlEscaped()), qPrintable(tip));
        }
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

    // The console's reload of a full list: only what changed is signalled,
    // so views keep selection and scroll position.
    void mergeAllAppliesOnlyTheChanges()
    {
        VpsTableModel m;
        QAbstractItemModelTester tester(&m, kQtTest);
        const auto all = VpsRepository(m_t->core->store()).list().value();
        QVERIFY(all.size() >= 10);
        QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
        m.mergeAll(all); // empty model: one reset
        QCOMPARE(reset.count(), 1);
        QCOMPARE(m.rowCount(), all.size());

        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&m, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&m, &QAbstractItemModel::rowsRemoved);
        m.mergeAll(all); // nothing changed: nothing signalled
        QCOMPARE(reset.count() + changed.count() + inserted.count() + removed.count(), 1);

        QVector<Vps> fresh = all;
        fresh[2].health =
            fresh[2].health == VpsHealth::Healthy ? VpsHealth::Unhealthy : VpsHealth::Healthy;
        const Id gone = fresh[5].id;
        fresh.remove(5);
        Vps added = all[0];
        added.id = 424242;
        added.hostname = QStringLiteral("new-1.example.net");
        fresh << added;
        m.mergeAll(fresh);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(m.rowCount(), all.size());
        QVERIFY(m.rowAt(m.rowOf(fresh[2].id)).health == fresh[2].health);
        QCOMPARE(m.rowOf(gone), -1);
        QCOMPARE(m.rowAt(m.rowOf(added.id)).hostname, added.hostname);
        // The changed row was replaced in place, not moved.
        QCOMPARE(m.rowOf(fresh[2].id), 2);
    }

    void mergeAllResetsForABigChange()
    {
        TenantTableModel m;
        QAbstractItemModelTester tester(&m, kQtTest);
        const QVector<Tenant> before = syntheticTenants(300);
        m.mergeAll(before);
        QVector<Tenant> after = before;
        for (int i = 0; i < 250; ++i)
            after[i].name += QStringLiteral(" renamed");
        QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.mergeAll(after); // 250 > kMaxUpsertIds changed rows
        QCOMPARE(reset.count(), 1);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(m.rowAt(m.rowOf(1)).name, QStringLiteral("tenant-1 renamed"));

        after[0].name = QStringLiteral("only one");
        m.mergeAll(after); // a few: per row
        QCOMPARE(reset.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m.rowAt(0).name, QStringLiteral("only one"));
    }

    void extraColumnsFollowTheSource()
    {
        TenantTableModel source;
        TwoExtraColumns m(&source);
        QAbstractItemModelTester tester(&m, kQtTest);
        source.setRows(syntheticTenants(5));
        const int extra = TenantTableModel::ColumnCount;
        QCOMPARE(m.columnCount(), extra + 2);
        QCOMPARE(m.rowCount(), 5);
        QCOMPARE(m.index(1, TenantTableModel::Name).data().toString(), QStringLiteral("tenant-2"));
        QCOMPARE(m.index(1, extra + 1).data().toString(),
                 QStringLiteral("extra 1/%1").arg(extra + 1));
        QVERIFY(!m.index(1, extra).parent().isValid());
        QCOMPARE(m.index(1, extra).siblingAtColumn(TenantTableModel::Name).data().toString(),
                 QStringLiteral("tenant-2"));
        QCOMPARE(m.flags(m.index(0, extra)), Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        QVERIFY(!m.index(0, extra + 2).isValid());
        QVERIFY(!m.index(5, 0).isValid());
        QVector<Tenant> fewer = syntheticTenants(5);
        fewer.remove(0);
        source.mergeAll(fewer); // removes one row through the proxy
        QCOMPARE(m.rowCount(), 4);
        QCOMPARE(m.index(0, extra).data().toString(), QStringLiteral("extra 0/%1").arg(extra));
    }

    void proxyFollowsSourceEdits()
    {
        SiteTableModel m;
        SiteFilterProxy p;
        p.setSourceModel(&m);
        QAbstractItemModelTester tester(&p, kFatal);
        auto all = SiteRepository(m_t->core->store()).list().value();
        m.setRows(all);
        p.sort(SiteTableModel::Domain, Qt::AscendingOrder);
        p.setSearchText(QStringLiteral("a"));
        const int before = p.rowCount();
        auto sorted = [&] {
            for (int r = 1; r < p.rowCount(); ++r)
                if (p.index(r - 1, 0).data().toString() > p.index(r, 0).data().toString())
                    return false;
            return true;
        };
        Site renamed = all[10];
        renamed.domain = QStringLiteral("aaaa-first.example.com");
        Site added = all[0];
        added.id = 777777;
        added.domain = QStringLiteral("zzzz-last-a.example.com");
        Site gone = all[20];
        m.upsert({renamed.id, added.id, gone.id}, {renamed, added});
        QVERIFY(sorted());
        QCOMPARE(p.index(0, 0).data().toString(), renamed.domain);
        QCOMPARE(p.index(p.rowCount() - 1, 0).data().toString(), added.domain);
        const int expected = int(std::count_if(m.rows().begin(), m.rows().end(), [](const Site& s) {
            return s.domain.contains(QLatin1Char('a'));
        }));
        QCOMPARE(p.rowCount(), expected);
        QVERIFY(qAbs(p.rowCount() - before) <= 3);
        m.setRows(all); // reset path
        QCOMPARE(p.rowCount(), before);
        QVERIFY(sorted());
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
        QCOMPARE(p.rowCount(),
                 countIf([](const Site& s) { return s.status == SiteStatus::Active; }));
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
        // Typing and deleting letter by letter (narrowing and widening paths).
        for (const char* t : {"r", "ri", "riv", "rive", "river", "rive", "ri", "", "x", "xa"}) {
            const QString typed = QString::fromLatin1(t);
            p.setSearchText(typed);
            QCOMPARE(p.rowCount(), countIf([&](const Site& s) {
                         return s.domain.contains(typed) ||
                                names.value(s.tenantId).contains(typed, Qt::CaseInsensitive);
                     }));
        }
        p.clearFilters();
        p.setSslExpiringOnly(true);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QCOMPARE(p.rowCount(), countIf([&](const Site& s) {
                     return sslState(s.sslEnabled, s.sslExpiresAt, now) == SslState::Expiring;
                 }));
        QVERIFY(p.rowCount() > 0);
        p.clearFilters();
        p.setTenantFilter(all[0].tenantId);
        QCOMPARE(p.rowCount(),
                 countIf([&](const Site& s) { return s.tenantId == all[0].tenantId; }));
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
