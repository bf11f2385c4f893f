// TenantUsageModel (observability/): the Tenants page's Prometheus columns
// over TenantTableModel, checked under QAbstractItemModelTester, with the
// stale role a failed fetch sets.
#include "InventoryModels.h"
#include "Roles.h"
#include "observability/TenantUsageModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace chom;

namespace {
constexpr auto kQtTest = QAbstractItemModelTester::FailureReportingMode::QtTest;

QVector<Tenant> tenants()
{
    QVector<Tenant> out;
    for (int i = 1; i <= 3; ++i) {
        Tenant t;
        t.id = i;
        t.name = QStringLiteral("tenant-%1").arg(i);
        out << t;
    }
    return out;
}

QHash<QString, metrics::TenantUsage> usage()
{
    metrics::TenantUsage one;
    one.bandwidth30dBytes = 1536;
    one.diskUsedBytes = 512;
    one.firingAlerts = 2;
    one.alertNames = {QStringLiteral("DiskFull"), QStringLiteral("HighLoad")};
    return {{QStringLiteral("1"), one}}; // tenant 2 and 3: no series
}
} // namespace

class TestTenantUsageModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void columnsBeforeAnyFetch()
    {
        TenantTableModel source;
        TenantUsageModel m(&source);
        QAbstractItemModelTester tester(&m, kQtTest);
        source.setRows(tenants());
        QCOMPARE(m.columnCount(), int(TenantUsageModel::ColumnCount));
        QCOMPARE(m.rowCount(), 3);
        QCOMPARE(m.headerData(TenantUsageModel::Bandwidth, Qt::Horizontal).toString(),
                 QStringLiteral("Bandwidth 30 d"));
        QCOMPARE(m.index(0, TenantTableModel::Name).data().toString(), QStringLiteral("tenant-1"));
        const QModelIndex disk = m.index(0, TenantUsageModel::DiskUsed);
        QCOMPARE(disk.data().toString(), QStringLiteral("—"));
        QCOMPARE(disk.data(TenantTableModel::SortRole).toDouble(), -1.0);
        QCOMPARE(disk.data(TenantTableModel::IdRole).toLongLong(), 1);
        QVERIFY(!disk.data(roles::Stale).toBool());
        QVERIFY(!disk.data(Qt::ToolTipRole).isValid());
        QVERIFY(!(m.flags(disk) & Qt::ItemIsEditable));
    }

    void fetchThenFailureMarksStale()
    {
        TenantTableModel source;
        TenantUsageModel m(&source);
        QAbstractItemModelTester tester(&m, kQtTest);
        source.setRows(tenants());
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.setUsage(usage(), 1700000000000);
        QCOMPARE(changed.count(), 1);
        QVERIFY(m.hasData() && !m.isStale());
        QCOMPARE(m.index(0, TenantUsageModel::Bandwidth).data().toString(),
                 QStringLiteral("1.5 KiB"));
        QCOMPARE(m.index(0, TenantUsageModel::DiskUsed).data().toString(), QStringLiteral("512 B"));
        QCOMPARE(m.index(0, TenantUsageModel::Alerts).data().toString(), QStringLiteral("2"));
        QCOMPARE(m.index(0, TenantUsageModel::Alerts).data(TenantTableModel::SortRole).toDouble(),
                 2.0);
        QVERIFY(m.index(0, TenantUsageModel::Alerts)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QLatin1String("DiskFull, HighLoad")));
        QCOMPARE(m.index(1, TenantUsageModel::DiskUsed).data().toString(), QStringLiteral("—"));
        QCOMPARE(m.index(1, TenantUsageModel::Alerts).data().toString(), QStringLiteral("0"));
        for (int c = TenantUsageModel::Bandwidth; c < TenantUsageModel::ColumnCount; ++c)
            QVERIFY(!m.index(0, c).data(roles::Stale).toBool());

        // A failed fetch: the values stay, every usage cell says stale.
        m.setFailed(QStringLiteral("connection refused"));
        QCOMPARE(changed.count(), 2);
        QVERIFY(m.isStale());
        QCOMPARE(m.index(0, TenantUsageModel::DiskUsed).data().toString(), QStringLiteral("512 B"));
        for (int r = 0; r < m.rowCount(); ++r)
            for (int c = TenantUsageModel::Bandwidth; c < TenantUsageModel::ColumnCount; ++c)
                QVERIFY(m.index(r, c).data(roles::Stale).toBool());
        QVERIFY(!m.index(0, TenantTableModel::Name).data(roles::Stale).toBool());
        QVERIFY2(
            m.index(0, TenantUsageModel::DiskUsed)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("Stale: the last fetch failed (connection refused)")),
            qPrintable(m.index(0, TenantUsageModel::DiskUsed).data(Qt::ToolTipRole).toString()));
        QVERIFY(!m.index(0, TenantUsageModel::DiskUsed).data(Qt::ForegroundRole).isValid());
        // The endpoint's words are shown literally, never as markup.
        m.setFailed(QStringLiteral("<img src=\"file:///etc/passwd\"><b>bold</b>"));
        const QString tip = m.index(0, TenantUsageModel::DiskUsed).data(Qt::ToolTipRole).toString();
        QVERIFY2(!tip.contains(QLatin1String("<img")) && !tip.contains(QLatin1String("<b>")) &&
                     tip.contains(QLatin1String("&lt;img")),
                 qPrintable(tip));

        // The next good fetch clears it.
        m.setUsage(usage(), 1700000060000);
        QVERIFY(!m.isStale());
        QVERIFY(!m.index(0, TenantUsageModel::DiskUsed).data(roles::Stale).toBool());
    }

    void followsSourceRows()
    {
        TenantTableModel source;
        TenantUsageModel m(&source);
        QAbstractItemModelTester tester(&m, kQtTest);
        source.setRows(tenants());
        m.setUsage(usage(), 1700000000000);
        QVector<Tenant> fewer = tenants();
        fewer.remove(0);
        source.mergeAll(fewer);
        QCOMPARE(m.rowCount(), 2);
        QCOMPARE(m.index(0, TenantUsageModel::DiskUsed).data().toString(), QStringLiteral("—"));
        m.setFailed(QString());
        QVERIFY(m.index(1, TenantUsageModel::Alerts).data(roles::Stale).toBool());
    }
};

QTEST_GUILESS_MAIN(TestTenantUsageModel)
#include "tst_tenantusagemodel.moc"
