#include "GuiTestUtil.h"
#include "SshFleet.h"
#include "TestStore.h"
#include "fleet/FleetHealthModel.h"
#include "inventory/Core.h"
#include "ssh/SshPool.h"
#include "ui/fleet/ConnectionResultPanel.h"
#include "ui/fleet/SweepPanel.h"
#include "ui/fleet/VpsPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/FleetRuntime.h"
#include "ui/shell/Inventory.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>

#include <QtTest>

using namespace chom;
using chom::test::SshFleet;
using chom::test::TempCore;

// The VPS Fleet page against a real loopback sshd fleet: test connection
// (host key unknown → trust → agent missing), bootstrap, sweeps with one
// host down, and the GUI thread never stalling during a sweep.
class TestFleetPage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_config;

    static QString resultText(VpsPage* page, Id id)
    {
        auto* row = page->connectionResults()->findChild<QFrame*>(
            QStringLiteral("connectionResult_%1").arg(id));
        if (!row)
            return {};
        auto* l = row->findChild<QLabel*>(QStringLiteral("resultText"));
        return l ? l->text() : QString();
    }
    static QString vpsCell(VpsPage* page, Id id, int column)
    {
        QAbstractItemModel* m = page->view()->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->index(r, 0).data(VpsTableModel::IdRole).toLongLong() == id)
                return m->index(r, column).data().toString();
        }
        return {};
    }
    static bool selectVps(VpsPage* page, Id id)
    {
        QAbstractItemModel* m = page->view()->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->index(r, 0).data(VpsTableModel::IdRole).toLongLong() == id) {
                page->view()->selectRow(r);
                return true;
            }
        }
        return false;
    }
    static QString sweepCell(VpsPage* page, const QString& host, int column)
    {
        QTableWidget* t = page->sweepPanel()->results();
        for (int r = 0; r < t->rowCount(); ++r) {
            if (t->item(r, 0) && t->item(r, 0)->text() == host)
                return t->item(r, column) ? t->item(r, column)->text() : QString();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("chom-test"));
    }

    void fleetWorkflow()
    {
        if (!SshFleet::available())
            QSKIP(qPrintable(SshFleet::unavailableReason()));
        SshFleet fleet;
        QVERIFY2(fleet.start(3, 80), qPrintable(fleet.error()));
        TempCore t;
        QVector<Id> ids;
        QStringList names;
        const auto hosts = fleet.hosts();
        // What each "VPS" runs is the test's, whatever this machine has installed.
        for (const auto& h : hosts) {
            QVERIFY(QDir().mkpath(h.sandbox + QStringLiteral("/etc/chom-agent")));
            QFile services(h.sandbox + QStringLiteral("/etc/chom-agent/services"));
            QVERIFY(services.open(QIODevice::WriteOnly));
            services.write("nginx=running\nphp_fpm=running\nmariadb=running\n");
        }
        for (const auto& h : hosts) {
            Vps v;
            v.hostname = QStringLiteral("%1.fleet.test").arg(h.name);
            v.ipAddress = h.address;
            v.sshPort = h.port;
            v.sshUser = fleet.user();
            auto id = t.core->vps().create(v);
            QVERIFY2(id, qPrintable(id.errorMessage()));
            QVERIFY(t.core->vps().setStatus(id.value(), VpsStatus::Active));
            ids << id.value();
            names << v.hostname;
        }
        // From here on the test thread is the GUI: any store call made on it
        // (instead of on the StoreExecutor or a worker) is counted.
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            FleetRuntime runtime(*t.core, ctx);
            SshIdentity identity;
            identity.privateKeyPath = fleet.clientKeyPath();
            identity.name = QStringLiteral("fleet key");
            runtime.pool().setIdentity(identity);

            VpsPage page(ctx);
            page.resize(1400, 900);
            page.show();
            QTRY_VERIFY_WITH_TIMEOUT(ctx.inventory().isLoaded(), 5000);
            QTRY_COMPARE_WITH_TIMEOUT(page.view()->model()->rowCount(), 3, 5000);
            QCOMPARE(page.view()->model()->columnCount(), int(FleetHealthModel::ColumnCount));
            page.view()->clearSelection();
            page.view()->setCurrentIndex({});

            // First contact: the key is unknown and shown by fingerprint.
            auto* test = page.findChild<QPushButton*>(QStringLiteral("testConnectionButton"));
            QVERIFY(test && test->isEnabled());
            test->click();
            for (Id id : ids)
                QTRY_VERIFY_WITH_TIMEOUT(
                    resultText(&page, id).contains(QStringLiteral("host key unknown")), 20000);
            QVERIFY2(resultText(&page, ids[0]).contains(fleet.hostKeyFingerprintSha256()),
                     qPrintable(resultText(&page, ids[0])));

            // The third host changes its key after its banner was shown: the
            // trust button accepts only the key it showed, so nothing is pinned.
            QVERIFY2(fleet.rotateHostKey(2), qPrintable(fleet.error()));
            QSignalSpy trusted(page.connectionResults(), &ConnectionResultPanel::trusted);
            auto clickTrust = [&](Id id) {
                auto* row = page.connectionResults()->findChild<QFrame*>(
                    QStringLiteral("connectionResult_%1").arg(id));
                auto* trust =
                    row ? row->findChild<QPushButton*>(QStringLiteral("trustKeyButton")) : nullptr;
                if (trust)
                    trust->click();
                return trust != nullptr;
            };
            for (Id id : ids)
                QVERIFY(clickTrust(id));
            QTRY_COMPARE_WITH_TIMEOUT(trusted.size(), 3, 20000);
            for (const auto& args : std::as_const(trusted)) {
                const bool rotated = args.at(0).value<Id>() == ids[2];
                QVERIFY2(args.at(1).toBool() != rotated, qPrintable(args.at(2).toString()));
                if (rotated)
                    QVERIFY2(args.at(2).toString().contains(QStringLiteral("nothing was trusted")),
                             qPrintable(args.at(2).toString()));
                else
                    QCOMPARE(args.at(2).toString(), fleet.hostKeyFingerprintSha256());
            }
            // Still a first contact (no pin), now showing the new key.
            test->click();
            QTRY_VERIFY_WITH_TIMEOUT(
                resultText(&page, ids[2]).contains(fleet.hostKeyFingerprintSha256(2)), 20000);
            QVERIFY2(resultText(&page, ids[2]).contains(QStringLiteral("host key unknown")),
                     qPrintable(resultText(&page, ids[2])));
            trusted.clear();
            QVERIFY(clickTrust(ids[2]));
            QTRY_COMPARE_WITH_TIMEOUT(trusted.size(), 1, 20000);
            QVERIFY2(trusted.at(0).at(1).toBool(), qPrintable(trusted.at(0).at(2).toString()));

            test->click();
            for (Id id : ids)
                QTRY_VERIFY_WITH_TIMEOUT(
                    resultText(&page, id).contains(QStringLiteral("agent missing")), 20000);

            // Bootstrap each host: the agent version lands in the table.
            auto* bootstrap = page.findChild<QPushButton*>(QStringLiteral("bootstrapButton"));
            for (Id id : ids) {
                QVERIFY(selectVps(&page, id));
                QVERIFY(bootstrap->isEnabled());
                bootstrap->click();
            }
            for (Id id : ids)
                QTRY_VERIFY_WITH_TIMEOUT(!vpsCell(&page, id, VpsTableModel::Agent).isEmpty() &&
                                             vpsCell(&page, id, VpsTableModel::Agent) !=
                                                 QStringLiteral("—"),
                                         30000);
            qInfo("agent version: %s", qPrintable(vpsCell(&page, ids[0], VpsTableModel::Agent)));

            // Sweep now, measuring the longest gap between 5 ms ticks.
            qint64 maxStall = 0;
            QElapsedTimer clock;
            QTimer ticker;
            ticker.setInterval(5);
            connect(&ticker, &QTimer::timeout, this,
                    [&] { maxStall = qMax(maxStall, clock.restart()); });
            auto* sweep = page.findChild<QPushButton*>(QStringLiteral("sweepNowButton"));
            auto* retry = page.findChild<QPushButton*>(QStringLiteral("retryFailedButton"));
            QVERIFY(sweep->isEnabled());
            clock.start();
            ticker.start();
            sweep->click();
            QVERIFY(page.sweepPanel()->isRunning());
            QTRY_VERIFY_WITH_TIMEOUT(!page.sweepPanel()->isRunning(), 30000);
            ticker.stop();
            qInfo("longest GUI stall during the sweep: %lld ms", maxStall);
            QVERIFY2(maxStall < 100, qPrintable(QString::number(maxStall)));
            QCOMPARE(page.sweepPanel()->results()->rowCount(), 3);
            for (const QString& n : std::as_const(names))
                QVERIFY2(!sweepCell(&page, n, 1).isEmpty(), qPrintable(n));
            QVERIFY(vpsCell(&page, ids[0], FleetHealthModel::Load) != QStringLiteral("—"));
            QVERIFY(!retry->isEnabled());

            // One host down: its row turns unhealthy with the error; retry it.
            QVERIFY(fleet.stopHost(1));
            QTRY_VERIFY_WITH_TIMEOUT(sweep->isEnabled(), 5000);
            sweep->click();
            QTRY_VERIFY_WITH_TIMEOUT(!page.sweepPanel()->isRunning(), 60000);
            QCOMPARE(page.sweepPanel()->results()->rowCount(), 3);
            QCOMPARE(sweepCell(&page, names[1], 1), QStringLiteral("unhealthy"));
            QVERIFY(!sweepCell(&page, names[1], 5).isEmpty());
            qInfo("down host error: %s", qPrintable(sweepCell(&page, names[1], 5)));
            QVERIFY(sweepCell(&page, names[0], 1) !=
                    QStringLiteral("unhealthy")); // loaded CI hosts may be degraded
            QCOMPARE(page.sweepPanel()->failedIds(), QVector<Id>{ids[1]});
            QVERIFY(retry->isEnabled());
            QVERIFY(!vpsCell(&page, ids[1], FleetHealthModel::LastError).isEmpty());

            QVERIFY(fleet.startHost(1));
            retry->click();
            QTRY_VERIFY_WITH_TIMEOUT(!page.sweepPanel()->isRunning(), 60000);
            QCOMPARE(page.sweepPanel()->results()->rowCount(), 1);
            qInfo("after retry: %s %s", qPrintable(sweepCell(&page, names[1], 1)),
                  qPrintable(sweepCell(&page, names[1], 5)));
        }
        QCOMPARE(guard.uses(), 0);
    }
};

QTEST_MAIN(TestFleetPage)
#include "tst_fleetpage.moc"
