// FleetHealthModel (fleet/): the VPS Fleet page's live columns over
// VpsTableModel, checked under QAbstractItemModelTester: SSH health
// reports, Prometheus readings winning over them, the last error.
#include "InventoryModels.h"
#include "Roles.h"
#include "fleet/FleetHealthModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace chom;

namespace {
constexpr auto kQtTest = QAbstractItemModelTester::FailureReportingMode::QtTest;

QVector<Vps> hosts()
{
    QVector<Vps> out;
    for (int i = 1; i <= 3; ++i) {
        Vps v;
        v.id = i;
        v.hostname = QStringLiteral("web-%1.example.net").arg(i);
        v.ipAddress = QStringLiteral("192.0.2.%1").arg(i);
        out << v;
    }
    out[2].healthError = QStringLiteral("stored error");
    return out;
}

HealthReport report(Id vps, double load, const QString& error = {})
{
    HealthReport r;
    r.vpsId = vps;
    r.reachable = error.isEmpty();
    r.load1 = load;
    r.memoryPercent = 40.4;
    r.diskPercent = 70.6;
    r.error = error;
    return r;
}
} // namespace

class TestFleetHealthModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noReadingsYet()
    {
        VpsTableModel source;
        FleetHealthModel m(&source, nullptr, nullptr);
        QAbstractItemModelTester tester(&m, kQtTest);
        source.setRows(hosts());
        QCOMPARE(m.columnCount(), int(FleetHealthModel::ColumnCount));
        QCOMPARE(m.headerData(FleetHealthModel::Breaker, Qt::Horizontal).toString(),
                 QStringLiteral("Breaker"));
        QCOMPARE(m.index(0, VpsTableModel::Hostname).data().toString(),
                 QStringLiteral("web-1.example.net"));
        for (int c = FleetHealthModel::Load; c <= FleetHealthModel::Cpu; ++c) {
            QCOMPARE(m.index(0, c).data().toString(), QStringLiteral("—"));
            QCOMPARE(m.index(0, c).data(VpsTableModel::SortRole).toDouble(), -1.0);
        }
        QCOMPARE(m.index(0, FleetHealthModel::Breaker).data().toString(), QStringLiteral("—"));
        QCOMPARE(m.index(2, FleetHealthModel::LastError).data().toString(),
                 QStringLiteral("stored error"));
        QCOMPARE(m.index(1, FleetHealthModel::Load).data(VpsTableModel::IdRole).toLongLong(), 2);
        QVERIFY(!m.index(0, FleetHealthModel::Load).data(roles::Stale).toBool()); // never stale
    }

    void reportsThenPrometheusWins()
    {
        VpsTableModel source;
        FleetHealthModel m(&source, nullptr, nullptr);
        QAbstractItemModelTester tester(&m, kQtTest);
        source.setRows(hosts());
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);

        m.addReport(report(1, 0.5));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m.index(0, FleetHealthModel::Load).data().toString(), QStringLiteral("0.50"));
        QCOMPARE(m.index(0, FleetHealthModel::Memory).data().toString(), QStringLiteral("40 %"));
        QCOMPARE(m.index(0, FleetHealthModel::Disk).data().toString(), QStringLiteral("71 %"));
        QCOMPARE(m.index(0, FleetHealthModel::Cpu).data().toString(), QStringLiteral("—"));
        QCOMPARE(m.index(0, FleetHealthModel::Load).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("From the last SSH health check"));
        QVERIFY(m.report(1).has_value());
        QVERIFY(!m.report(2).has_value());

        metrics::HostMetrics prom;
        prom.load1 = 2.25;
        prom.cpuPercent = 12.4;
        m.setPrometheus({{QStringLiteral("192.0.2.1"), prom}});
        QCOMPARE(changed.count(), 2);
        QCOMPARE(m.index(0, FleetHealthModel::Load).data().toString(), QStringLiteral("2.25"));
        QCOMPARE(m.index(0, FleetHealthModel::Load).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("From Prometheus"));
        QCOMPARE(m.index(0, FleetHealthModel::Memory).data().toString(), QStringLiteral("40 %"));
        QCOMPARE(m.index(0, FleetHealthModel::Cpu).data().toString(), QStringLiteral("12 %"));
        QCOMPARE(m.index(0, FleetHealthModel::Cpu).data(VpsTableModel::SortRole).toDouble(), 12.4);

        // An unreachable host: its error, no figures from the report.
        m.addReport(report(2, 9, QStringLiteral("connection refused")));
        QCOMPARE(m.index(1, FleetHealthModel::Load).data().toString(), QStringLiteral("—"));
        QCOMPARE(m.index(1, FleetHealthModel::LastError).data().toString(),
                 QStringLiteral("connection refused"));
        m.setLastError(2, QStringLiteral("auth failed"));
        QCOMPARE(m.index(1, FleetHealthModel::LastError).data().toString(),
                 QStringLiteral("auth failed"));
        m.setLastError(99, QStringLiteral("no such row")); // ignored
    }
};

QTEST_GUILESS_MAIN(TestFleetHealthModel)
#include "tst_fleethealthmodel.moc"
