#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "store/DemoData.h"
#include "ui/inventory/DashboardPage.h"
#include "ui/inventory/SitesPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QTableView>
#include <QtTest>

using namespace chom;
using chom::test::TempCore;

// Renders the README screenshots from a demo store (fixed seed), offscreen.
class TestScreenshot : public QObject
{
    Q_OBJECT

    static QString target(const QString& name)
    {
        return QDir(QStringLiteral(CHOM_DOCS_DIR)).filePath(name);
    }

    static void save(QWidget& w, const QString& name)
    {
        QTest::qWait(100); // let the last layout and paint settle
        const QImage shot = w.grab().toImage();
        QCOMPARE(shot.size(), QSize(1400, 860));
        QVERIFY(QDir().mkpath(QStringLiteral(CHOM_DOCS_DIR)));
        QVERIFY2(shot.save(target(name)), qPrintable(target(name)));
        const QImage back(target(name));
        QCOMPARE(back.size(), shot.size());
        // Not a blank frame: the sidebar is dark, the content light.
        QVERIFY(qGray(back.pixel(20, 600)) < 80);
        QVERIFY(qGray(back.pixel(900, 30)) > 200);
    }

private Q_SLOTS:
    void initTestCase()
    {
        theme::apply(*qobject_cast<QApplication*>(QCoreApplication::instance()));
    }

    void dashboardAndSites()
    {
        TempCore t;
        auto sum = DemoData(t.core->store()).generate(300);
        QVERIFY(sum.ok());
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, QStringLiteral("/home/operator/.local/share/chom-console"));
            MainWindow w(ctx);
            w.resize(1400, 860);
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));

            DashboardPage* dash = w.dashboardPage();
            QTRY_VERIFY(dash->hasStats());
            QTRY_VERIFY(ctx.inventory().isLoaded());
            QTRY_VERIFY(dash->findChild<QComboBox*>(QStringLiteral("scopeCombo"))->count() > 1);
            QTRY_VERIFY(w.windowTitle().contains(QStringLiteral("demo")));
            QCOMPARE(dash->stats().totalSites, qint64(300));
            save(w, QStringLiteral("screenshot-dashboard.png"));
            if (QTest::currentTestFailed())
                return;

            w.showPage(MainWindow::Sites);
            SitesPage* sites = w.sitesPage();
            QTRY_VERIFY(sites->isLoaded());
            QCOMPARE(sites->proxy()->rowCount(), 300);
            sites->view()->selectRow(2);
            save(w, QStringLiteral("screenshot-sites.png"));
        }
        QCOMPARE(guard.uses(), 0);
    }
};

QTEST_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
