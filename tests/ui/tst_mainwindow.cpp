#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "inventory/DashboardService.h"
#include "store/DemoData.h"
#include "ui/inventory/DashboardPage.h"
#include "ui/inventory/SitesPage.h"
#include "ui/inventory/TenantDialog.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/NoticeBar.h"

#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMessageBox>
#include <QTableView>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;
using chom::test::Unguarded;

class TestMainWindow : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        TempCore t;
        std::unique_ptr<GuiThreadGuard> guard; // while the window is open
        std::unique_ptr<AppContext> ctx;
        std::unique_ptr<MainWindow> window;

        explicit Fixture(int demoSites = 0)
        {
            if (demoSites > 0 && !DemoData(t.core->store()).generate(demoSites))
                qFatal("demo data failed");
        }
        MainWindow& open()
        {
            guard = std::make_unique<GuiThreadGuard>(t.core->store());
            ctx = std::make_unique<AppContext>(*t.core, t.path());
            window = std::make_unique<MainWindow>(*ctx);
            window->show();
            window->activateWindow();
            return *window;
        }
        // Closes the window and its context; returns the store calls they
        // made on the GUI thread.
        int close()
        {
            window.reset();
            ctx.reset();
            const int uses = guard ? guard->uses() : 0;
            guard.reset();
            return uses;
        }
        ~Fixture() { close(); }
    };

    // The current test's fixture; cleanup() closes it and checks the guard.
    std::unique_ptr<Fixture> m_fixture;
    Fixture& fixture(int demoSites = 0)
    {
        m_fixture = std::make_unique<Fixture>(demoSites);
        return *m_fixture;
    }

private Q_SLOTS:
    void cleanup()
    {
        const int uses = m_fixture ? m_fixture->close() : 0;
        m_fixture.reset();
        QCOMPARE(uses, 0);
    }

    void sidebarListsNinePages()
    {
        Fixture& f = fixture();
        MainWindow& w = f.open();
        auto* sidebar = w.findChild<QListWidget*>(QStringLiteral("sidebar"));
        QVERIFY(sidebar);
        QStringList labels;
        for (int i = 0; i < sidebar->count(); ++i)
            labels << sidebar->item(i)->text();
        QCOMPARE(labels, (QStringList{QStringLiteral("Dashboard"), QStringLiteral("Sites"),
                                      QStringLiteral("VPS Fleet"), QStringLiteral("Coherency"),
                                      QStringLiteral("Backups"), QStringLiteral("Metrics"),
                                      QStringLiteral("Logs"), QStringLiteral("Operations"),
                                      QStringLiteral("Tenants"), QStringLiteral("Settings")}));
        QCOMPARE(w.currentPageIndex(), int(MainWindow::Dashboard));
        for (int i = 0; i < MainWindow::PageCount; ++i) {
            sidebar->setCurrentRow(i);
            QCOMPARE(w.currentPageIndex(), i);
            QVERIFY(w.currentPage()->isVisible());
            QCOMPARE(w.currentPage()->title(), labels.at(i));
        }
    }

    void ctrlNumbersSwitchPages()
    {
        Fixture& f = fixture();
        MainWindow& w = f.open();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(w.currentPageIndex(), int(MainWindow::Sites));
        QVERIFY(w.sitesPage()->isVisible());
        QTest::keyClick(&w, Qt::Key_9, Qt::ControlModifier);
        QCOMPARE(w.currentPage()->title(), QStringLiteral("Tenants"));
        QTest::keyClick(&w, Qt::Key_0, Qt::ControlModifier);
        QCOMPARE(w.currentPage()->title(), QStringLiteral("Settings"));
        QTest::keyClick(&w, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(w.currentPageIndex(), int(MainWindow::Dashboard));
        QVERIFY(w.dashboardPage()->isVisible());
    }

    void ctrlFFocusesTheSiteSearch()
    {
        Fixture& f = fixture();
        MainWindow& w = f.open();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keyClick(&w, Qt::Key_F, Qt::ControlModifier);
        QCOMPARE(w.currentPageIndex(), int(MainWindow::Sites));
        auto* search = w.sitesPage()->findChild<QLineEdit*>(QStringLiteral("searchEdit"));
        QTRY_VERIFY(search->hasFocus());
    }

    void ctrlNOpensTheCurrentPagesDialog()
    {
        Fixture& f = fixture();
        MainWindow& w = f.open();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.showPage(MainWindow::Tenants);
        QTest::keyClick(&w, Qt::Key_N, Qt::ControlModifier);
        auto* dlg =
            chom::test::openDialog<TenantDialog>(w.currentPage(), QStringLiteral("tenantDialog"));
        QVERIFY(dlg);
        dlg->reject();
    }

    void titleSaysDemoForADemoStore()
    {
        Fixture& f = fixture(50);
        MainWindow& w = f.open();
        QTRY_VERIFY2(w.windowTitle().contains(QStringLiteral("— demo")),
                     qPrintable(w.windowTitle()));
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("CHOM Console")));
        QVERIFY(w.windowTitle().contains(QDir::toNativeSeparators(f.t.path())));
    }

    void titleWithoutDemoForAPlainStore()
    {
        Fixture& f = fixture();
        f.t.addTenant(QStringLiteral("Plain"));
        MainWindow& w = f.open();
        f.ctx->executor().drain(); // the title query has run...
        QTest::qWait(50);          // ...and its answer has been delivered
        QVERIFY(w.windowTitle().startsWith(QStringLiteral("CHOM Console")));
        QVERIFY(!w.windowTitle().contains(QStringLiteral("demo")));
    }

    void dashboardShowsTheStoreTotals()
    {
        Fixture& f = fixture(50);
        // The expected totals, read before the window opens (and the guard starts).
        const auto expected = DashboardService::compute(f.t.core->store(), 0);
        MainWindow& w = f.open();
        QVERIFY(expected.ok());
        QVERIFY(expected->totalSites == 50);
        DashboardPage* dash = w.dashboardPage();
        QTRY_VERIFY(dash->hasStats());
        QCOMPARE(dash->stats().totalSites, expected->totalSites);
        QCOMPARE(dash->stats().activeSites, expected->activeSites);
        QCOMPARE(dash->stats().storageUsedMb, expected->storageUsedMb);
        QCOMPARE(dash->stats().sslExpiringSoon, expected->sslExpiringSoon);
        QCOMPARE(dash->stats().sitesByStatus, expected->sitesByStatus);
        QCOMPARE(dash->stats().vpsByHealth, expected->vpsByHealth);
        const QLocale loc;
        QCOMPARE(chom::test::labelText(dash, QStringLiteral("totalSitesValue")),
                 loc.toString(expected->totalSites));
        QCOMPARE(chom::test::labelText(dash, QStringLiteral("activeSitesValue")),
                 loc.toString(expected->activeSites));
        QCOMPARE(chom::test::labelText(dash, QStringLiteral("storageValue")),
                 formatMb(expected->storageUsedMb));
        QCOMPARE(chom::test::labelText(dash, QStringLiteral("sslExpiringValue")),
                 loc.toString(expected->sslExpiringSoon));
        auto* ops = dash->findChild<QTableView*>(QStringLiteral("recentOperations"));
        QCOMPARE(ops->model()->rowCount(), qMin(5, int(expected->recentOperations.size())));
    }

    void dashboardScopeShowsOneTenant()
    {
        Fixture& f = fixture(50);
        MainWindow& w = f.open();
        DashboardPage* dash = w.dashboardPage();
        auto* scope = dash->findChild<QComboBox*>(QStringLiteral("scopeCombo"));
        QTRY_VERIFY(scope->count() > 1);
        QCOMPARE(scope->itemText(0), QStringLiteral("All tenants"));
        // The tenant with the most sites makes the difference visible.
        Tenant busiest;
        for (const Tenant& t : f.ctx->inventory().tenantModel()->rows()) {
            if (t.siteCount > busiest.siteCount)
                busiest = t;
        }
        QVERIFY(busiest.siteCount > 0);
        const auto expected = [&] {
            Unguarded check(f.t.core->store());
            return DashboardService::compute(f.t.core->store(), busiest.id);
        }();
        QVERIFY(chom::test::selectData(scope, busiest.id));
        QTRY_COMPARE(dash->stats().tenantId, busiest.id);
        QCOMPARE(dash->stats().totalSites, expected->totalSites);
        QCOMPARE(dash->stats().totalSites, qint64(busiest.siteCount));
        QCOMPARE(chom::test::labelText(dash, QStringLiteral("totalSitesValue")),
                 QLocale().toString(expected->totalSites));
    }

    void dashboardFollowsChanges()
    {
        Fixture& f = fixture();
        const Id tenant = f.t.addTenant(QStringLiteral("Live"), QStringLiteral("pro"));
        MainWindow& w = f.open();
        DashboardPage* dash = w.dashboardPage();
        QTRY_VERIFY(dash->hasStats());
        QCOMPARE(dash->stats().totalSites, qint64(0));
        // A write on the store thread reaches the dashboard through the notifier.
        f.ctx->run<Result<Id>>(
            f.ctx.get(),
            [tenant](Core& c) {
                Site s;
                s.tenantId = tenant;
                s.domain = QStringLiteral("live.example.com");
                s.status = SiteStatus::Active;
                return c.sites().create(s);
            },
            [](Result<Id> r) { QVERIFY(r.ok()); });
        QTRY_COMPARE(chom::test::labelText(dash, QStringLiteral("totalSitesValue")),
                     QStringLiteral("1"));
        QCOMPARE(dash->stats().activeSites, qint64(1));
    }

    // A chomctl on the same store adds a site while the console is open: the
    // Dashboard (cache included) shows it within 2 s, without F5.
    void chomctlWriteReachesTheOpenDashboard()
    {
        Fixture& f = fixture();
        const Id tenant = f.t.addTenant(QStringLiteral("Shared"), QStringLiteral("pro"));
        MainWindow& w = f.open();
        bool watching = false;
        f.ctx->run<int>(
            f.ctx.get(),
            [](Core& c) {
                c.watchExternalChanges();
                return 0;
            },
            [&](int) { watching = true; });
        QTRY_VERIFY(watching);
        DashboardPage* dash = w.dashboardPage();
        QTRY_VERIFY(dash->hasStats());
        QCOMPARE(dash->stats().totalSites, qint64(0));
        QProcess chomctl;
        chomctl.start(QStringLiteral(CHOMCTL_PATH),
                      {QStringLiteral("--data-dir"), f.t.path(), QStringLiteral("sites"),
                       QStringLiteral("add"), QStringLiteral("--tenant"), QString::number(tenant),
                       QStringLiteral("--domain"), QStringLiteral("from-shell.example.com")});
        QVERIFY(chomctl.waitForFinished(30000));
        QCOMPARE(chomctl.exitCode(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(chom::test::labelText(dash, QStringLiteral("totalSitesValue")),
                                  QStringLiteral("1"), 2000);
    }

    void placeholdersSayWhatIsMissing()
    {
        Fixture& f = fixture();
        MainWindow& w = f.open();
        w.showPage(MainWindow::Logs);
        const QString text =
            chom::test::labelText(w.currentPage(), QStringLiteral("placeholderText"));
        QVERIFY2(text.contains(QStringLiteral("Loki")), qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("issue")), qPrintable(text));
        // Metrics and Settings are real pages now: no placeholder text.
        for (int i : {int(MainWindow::Metrics), int(MainWindow::Settings)}) {
            w.showPage(i);
            QVERIFY(chom::test::labelText(w.currentPage(), QStringLiteral("placeholderText"))
                        .isEmpty());
        }
    }

    void deleteKeyShowsTheServiceRefusal()
    {
        Fixture& f = fixture();
        const Id tenant = f.t.addTenant(QStringLiteral("Busy"));
        f.t.addSite(tenant, QStringLiteral("busy.example.com"));
        MainWindow& w = f.open();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.showPage(MainWindow::Tenants);
        auto* view = w.currentPage()->findChild<QTableView*>(QStringLiteral("tenantsView"));
        QTRY_COMPARE(view->model()->rowCount(), 1);
        view->setFocus();
        view->selectRow(0);
        QTest::keyClick(view, Qt::Key_Delete);
        auto* box =
            chom::test::openDialog<QMessageBox>(w.currentPage(), QStringLiteral("confirmDialog"));
        QVERIFY(box);
        box->findChild<QPushButton*>(QStringLiteral("confirmButton"))->click();
        QTRY_VERIFY(!w.notices()->text().isEmpty());
        QVERIFY2(w.notices()->text().contains(QStringLiteral("still has 1 site(s)")),
                 qPrintable(w.notices()->text()));
        QCOMPARE(view->model()->rowCount(), 1);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
