#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "store/TenantRepository.h"
#include "store/VpsRepository.h"
#include "ui/fleet/VpsPage.h"
#include "ui/inventory/TenantDialog.h"
#include "ui/inventory/TenantsPage.h"
#include "ui/inventory/VpsDialog.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;
using chom::test::Unguarded;

// Tenants and VPS Fleet pages: dialogs with inline validation, lifecycle
// actions, and the services' refusals shown to the operator.
class TestInventoryPages : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<GuiThreadGuard> m_guard; // from the context's start to its end
    std::unique_ptr<AppContext> m_ctx;

    template <typename P> std::unique_ptr<P> openPage()
    {
        auto page = std::make_unique<P>(*m_ctx);
        page->resize(1100, 600);
        page->show();
        if (!QTest::qWaitFor([this] { return m_ctx->inventory().isLoaded(); }, 5000))
            qFatal("inventory did not load");
        return page;
    }
    static bool selectRow(QTableView* view, const QString& firstColumnText)
    {
        for (int r = 0; r < view->model()->rowCount(); ++r) {
            if (view->model()->index(r, 0).data().toString() == firstColumnText) {
                view->selectRow(r);
                return true;
            }
        }
        return false;
    }
    static void confirm(QWidget* page)
    {
        auto* box = chom::test::openDialog<QMessageBox>(page, QStringLiteral("confirmDialog"));
        QVERIFY(box);
        box->findChild<QPushButton*>(QStringLiteral("confirmButton"))->click();
    }

private Q_SLOTS:
    void init()
    {
        m_t = std::make_unique<TempCore>();
        m_guard = std::make_unique<GuiThreadGuard>(m_t->core->store());
        m_ctx = std::make_unique<AppContext>(*m_t->core, m_t->path());
    }
    void cleanup() // the test's pages are gone by now
    {
        m_ctx.reset();
        const int uses = m_guard->uses();
        m_guard.reset();
        m_t.reset();
        QCOMPARE(uses, 0);
    }

    void createTenantThroughTheDialog()
    {
        auto page = openPage<TenantsPage>();
        page->createNew();
        QPointer<TenantDialog> dlg =
            chom::test::openDialog<TenantDialog>(page.get(), QStringLiteral("tenantDialog"));
        QVERIFY(dlg);
        QVERIFY(!dlg->okButton()->isEnabled());
        auto* name = dlg->findChild<QLineEdit*>(QStringLiteral("nameEdit"));
        QTest::keyClicks(name, QStringLiteral("   "));
        QVERIFY(!dlg->okButton()->isEnabled());
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("nameError"))
                    .contains(QStringLiteral("cannot be empty")));
        name->clear();
        QTest::keyClicks(name, QStringLiteral("Umbrella"));
        auto* org = dlg->findChild<QComboBox*>(QStringLiteral("organizationCombo"));
        org->setEditText(QStringLiteral("Umbrella Corp"));
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("organizationHint"))
                    .contains(QStringLiteral("will be created")));
        QVERIFY(chom::test::selectData(dlg->findChild<QComboBox*>(QStringLiteral("tierCombo")),
                                       QStringLiteral("pro")));
        QVERIFY(dlg->okButton()->isEnabled());
        QTest::mouseClick(dlg->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!dlg);
        auto* view = page->findChild<QTableView*>(QStringLiteral("tenantsView"));
        QTRY_COMPARE(view->model()->rowCount(), 1);
        QCOMPARE(view->model()->index(0, TenantTableModel::Organization).data().toString(),
                 QStringLiteral("Umbrella Corp"));
        QCOMPARE(view->model()->index(0, TenantTableModel::Sites).data().toString(),
                 QStringLiteral("0 / 25"));
        Unguarded check(m_t->core->store());
        auto stored = TenantRepository(m_t->core->store()).list();
        QCOMPARE(stored->size(), 1);
        QCOMPARE(stored->first().tier, QStringLiteral("pro"));
    }

    void tierTooSmallIsRefusedInline()
    {
        const Id t = m_t->addTenant(QStringLiteral("Big"), QStringLiteral("pro"));
        for (int i = 0; i < 6; ++i)
            m_t->addSite(t, QStringLiteral("s%1.big.example").arg(i));
        auto page = openPage<TenantsPage>();
        auto* view = page->findChild<QTableView*>(QStringLiteral("tenantsView"));
        QVERIFY(selectRow(view, QStringLiteral("Big")));
        page->editSelected();
        QPointer<TenantDialog> dlg =
            chom::test::openDialog<TenantDialog>(page.get(), QStringLiteral("tenantDialog"));
        QVERIFY(dlg);
        QVERIFY(dlg->okButton()->isEnabled());
        QVERIFY(chom::test::selectData(dlg->findChild<QComboBox*>(QStringLiteral("tierCombo")),
                                       QStringLiteral("starter")));
        QVERIFY(!dlg->okButton()->isEnabled());
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("tierError"))
                    .contains(QStringLiteral("the starter tier allows 5")));
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("usageLabel"))
                    .contains(QStringLiteral("6 / 25")));
        dlg->reject();
    }

    void suspendAndActivate()
    {
        const Id t = m_t->addTenant(QStringLiteral("Sleepy"));
        m_t->addSite(t, QStringLiteral("sleepy.example.com"));
        auto page = openPage<TenantsPage>();
        auto* view = page->findChild<QTableView*>(QStringLiteral("tenantsView"));
        QVERIFY(selectRow(view, QStringLiteral("Sleepy")));
        auto* suspend = page->findChild<QPushButton*>(QStringLiteral("suspendTenantButton"));
        auto* activate = page->findChild<QPushButton*>(QStringLiteral("activateTenantButton"));
        QVERIFY(suspend->isEnabled());
        QVERIFY(!activate->isEnabled());
        suspend->click();
        confirm(page.get());
        QTRY_COMPARE(toString(m_ctx->inventory().tenant(t)->status),
                     toString(TenantStatus::Suspended));
        QTRY_VERIFY(activate->isEnabled());
        QVERIFY(!suspend->isEnabled());
        activate->click();
        QTRY_COMPARE(toString(m_ctx->inventory().tenant(t)->status),
                     toString(TenantStatus::Active));
    }

    // Opening a page reads its settings and writes none: a first start
    // leaves no settings file behind until the operator changes something.
    void openingTheFleetPageWritesNoSetting()
    {
        QSettings().clear();
        QSettings().sync();
        {
            auto page = openPage<VpsPage>();
        }
        QSettings settings;
        QVERIFY2(settings.allKeys().isEmpty(), qPrintable(settings.allKeys().join(u',')));
    }

    void vpsDialogValidatesInline()
    {
        m_t->addVps(QStringLiteral("web-1"), QStringLiteral("192.0.2.1"));
        auto page = openPage<VpsPage>();
        page->createNew();
        QPointer<VpsDialog> dlg =
            chom::test::openDialog<VpsDialog>(page.get(), QStringLiteral("vpsDialog"));
        QVERIFY(dlg);
        auto* host = dlg->findChild<QLineEdit*>(QStringLiteral("hostnameEdit"));
        auto* ip = dlg->findChild<QLineEdit*>(QStringLiteral("ipEdit"));
        auto* port = dlg->findChild<QLineEdit*>(QStringLiteral("portEdit"));
        QCOMPARE(port->text(), QStringLiteral("22"));
        QTest::keyClicks(host, QStringLiteral("WEB-1"));
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("hostnameError"))
                    .contains(QStringLiteral("already exists")));
        host->clear();
        QTest::keyClicks(host, QStringLiteral("web_2"));
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("hostnameError"))
                    .contains(QStringLiteral("not a valid host name")));
        host->clear();
        QTest::keyClicks(host, QStringLiteral("web-2"));
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("hostnameError")).isEmpty());
        QTest::keyClicks(ip, QStringLiteral("300.1.1.1"));
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("ipError"))
                    .contains(QStringLiteral("not an IPv4 or IPv6")));
        QVERIFY(!dlg->okButton()->isEnabled());
        ip->clear();
        QTest::keyClicks(ip, QStringLiteral("2001:db8::10"));
        port->clear();
        QTest::keyClicks(port, QStringLiteral("70000"));
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("portError"))
                    .contains(QStringLiteral("out of range")));
        QVERIFY(!dlg->okButton()->isEnabled());
        port->clear();
        QTest::keyClicks(port, QStringLiteral("2222"));
        QVERIFY(dlg->okButton()->isEnabled());
        QTest::mouseClick(dlg->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!dlg);
        auto* view = page->findChild<QTableView*>(QStringLiteral("vpsView"));
        QTRY_COMPARE(view->model()->rowCount(), 2);
        Unguarded check(m_t->core->store());
        auto all = VpsRepository(m_t->core->store()).list();
        QVERIFY(std::any_of(all->begin(), all->end(), [](const Vps& v) {
            return v.hostname == QLatin1String("web-2") && v.sshPort == 2222 &&
                   v.ipAddress == QLatin1String("2001:db8::10");
        }));
    }

    void vpsLifecycleAndRefusedDelete()
    {
        const Id vps = m_t->addVps(QStringLiteral("web-9"), QStringLiteral("192.0.2.9"));
        const Id t = m_t->addTenant(QStringLiteral("Hosted"));
        m_t->addSite(t, QStringLiteral("hosted.example.com"), vps);
        auto page = openPage<VpsPage>();
        QSignalSpy notices(page.get(), &Page::notice);
        auto* view = page->findChild<QTableView*>(QStringLiteral("vpsView"));
        QVERIFY(selectRow(view, QStringLiteral("web-9")));
        QCOMPARE(toString(m_ctx->inventory().vps(vps)->status), toString(VpsStatus::Provisioning));
        page->setSelectedStatus(VpsStatus::Active);
        QTRY_COMPARE(toString(m_ctx->inventory().vps(vps)->status), toString(VpsStatus::Active));
        // The status menu offers every lifecycle state, the current one checked.
        auto* menu = page->findChild<QMenu*>(QStringLiteral("vpsStatusMenu"));
        QStringList states;
        for (QAction* a : menu->actions()) {
            states << a->text();
            QCOMPARE(a->isChecked(), a->text() == QLatin1String("active"));
        }
        QCOMPARE(states, allVpsStatuses());
        menu->actions().at(2)->trigger(); // maintenance
        QTRY_COMPARE(toString(m_ctx->inventory().vps(vps)->status),
                     toString(VpsStatus::Maintenance));

        page->deleteSelected();
        confirm(page.get());
        QTRY_VERIFY(notices.count() >= 3);
        const QString last = notices.last().at(0).toString();
        QVERIFY2(last.contains(QStringLiteral("still hosts 1 site(s)")), qPrintable(last));
        QCOMPARE(notices.last().at(1).value<Page::Notice>(), Page::Notice::Error);
        Unguarded check(m_t->core->store());
        QVERIFY(VpsRepository(m_t->core->store()).get(vps).ok());
    }
};

QTEST_MAIN(TestInventoryPages)
#include "tst_inventorypages.moc"
