// The Create Site wizard: every page refuses what it can before any server
// is touched; Finish records the site and journals its provisioning, and
// the window shows that operation. The fleet runs (no SSH reaches a VPS:
// they listen on a closed loopback port), so operations really start.
#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "runtime/Runtime.h"
#include "ui/inventory/SiteDialog.h"
#include "ui/inventory/SitesPage.h"
#include "ui/ops/OperationDetailPane.h"
#include "ui/ops/OperationsPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/shell/MainWindow.h"
#include "ui/sites/CreateSiteWizard.h"
#include "ui/sites/SiteSummaryPage.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QRadioButton>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;
using chom::test::Unguarded;

class TestCreateSiteWizard : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<GuiThreadGuard> m_guard;
    std::unique_ptr<AppContext> m_ctx;
    QPointer<CreateSiteWizard> m_wizard;
    Id m_acme = 0, m_globex = 0, m_initech = 0, m_web1 = 0, m_web2 = 0;

    Id activeVps(const QString& name, const QString& ip)
    {
        const Id id = m_t->addVps(name, ip);
        Unguarded setup(m_t->core->store());
        Vps v = m_t->core->vps().get(id).value();
        v.status = VpsStatus::Active;
        v.sshPort = 1; // closed: a provision step fails at once
        if (!m_t->core->vps().update(v))
            qFatal("activeVps: update refused");
        return id;
    }
    template <typename T> T* field(const QString& name)
    {
        T* w = m_wizard->findChild<T*>(name);
        if (!w)
            qFatal("no field %s", qPrintable(name));
        return w;
    }
    QPushButton* button(QWizard::WizardButton which)
    {
        return qobject_cast<QPushButton*>(m_wizard->button(which));
    }
    QString visibleText(const QString& label) { return chom::test::labelText(m_wizard, label); }
    int journaled()
    {
        Unguarded check(m_t->core->store());
        return int(m_t->core->operations().recent(100).value().size());
    }
    int sitesOf(Id tenant)
    {
        Unguarded check(m_t->core->store());
        return int(m_t->core->sites().list(tenant).value().size());
    }
    void open(Id tenant = 0)
    {
        m_wizard = new CreateSiteWizard(*m_ctx, tenant);
        m_wizard->open();
        QTRY_VERIFY(field<QComboBox>(QStringLiteral("tenantCombo"))->count() > 0);
    }
    // From the tenant page to the given page, with a free domain.
    void walkTo(int page, const QString& domain = QStringLiteral("new.example.com"))
    {
        if (m_wizard->currentId() == CreateSiteWizard::TenantPage && page > 0) {
            button(QWizard::NextButton)->click();
            QTRY_COMPARE(m_wizard->currentId(), int(CreateSiteWizard::DomainPage));
        }
        if (m_wizard->currentId() == CreateSiteWizard::DomainPage && page > 1) {
            auto* edit = field<QLineEdit>(QStringLiteral("domainEdit"));
            edit->setText(domain);
            QTest::keyClick(edit, Qt::Key_Return); // Enter advances
            QTRY_COMPARE(m_wizard->currentId(), int(CreateSiteWizard::StackPage));
        }
        while (m_wizard->currentId() < page) {
            const int before = m_wizard->currentId();
            QTRY_VERIFY(button(QWizard::NextButton)->isEnabled());
            button(QWizard::NextButton)->click();
            QTRY_VERIFY(m_wizard->currentId() > before);
        }
    }

private Q_SLOTS:
    void init()
    {
        m_t = std::make_unique<TempCore>();
        m_acme = m_t->addTenant(QStringLiteral("Acme"), QStringLiteral("enterprise"));
        m_globex = m_t->addTenant(QStringLiteral("Globex"), QStringLiteral("pro"));
        m_initech = m_t->addTenant(QStringLiteral("Initech"), QStringLiteral("starter"));
        m_web1 = activeVps(QStringLiteral("web-1"), QStringLiteral("127.0.0.2"));
        m_web2 = activeVps(QStringLiteral("web-2"), QStringLiteral("127.0.0.3"));
        m_t->addSite(m_acme, QStringLiteral("alpha.example.com"), m_web1);
        m_t->addSite(m_acme, QStringLiteral("beta.example.com"), m_web1);
        m_t->addSite(m_globex, QStringLiteral("gamma.example.com"), m_web2);
        for (int i = 1; i <= 5; ++i) // Initech is at its starter quota
            m_t->addSite(m_initech, QStringLiteral("i%1.initech.io").arg(i), m_web1);
        m_guard = std::make_unique<GuiThreadGuard>(m_t->core->store());
        m_ctx = std::make_unique<AppContext>(*m_t->core, m_t->path());
        m_ctx->runtime().startFleet();
        m_ctx->inventory().ensureLoaded();
        QTRY_VERIFY(m_ctx->inventory().isLoaded());
    }
    void cleanup()
    {
        delete m_wizard;
        m_ctx.reset(); // stops the fleet: runs cancelled and joined
        const int uses = m_guard->uses();
        m_guard.reset();
        m_t.reset();
        QCOMPARE(uses, 0);
    }

    void defaultsAndTheTenantPreselected()
    {
        open(m_globex);
        auto* tenant = field<QComboBox>(QStringLiteral("tenantCombo"));
        QCOMPARE(tenant->currentData().value<Id>(), m_globex);
        QCOMPARE(tenant->currentText(), QStringLiteral("Globex — 1 of 25 sites"));
        QVERIFY(tenant->findText(QStringLiteral("Acme — 2 sites (no limit)")) >= 0);
        QVERIFY(button(QWizard::NextButton)->isEnabled());
        walkTo(CreateSiteWizard::StackPage);
        auto* type = field<QComboBox>(QStringLiteral("typeCombo"));
        auto* php = field<QComboBox>(QStringLiteral("phpCombo"));
        QCOMPARE(type->currentData().toString(), QStringLiteral("wordpress"));
        QCOMPARE(php->currentText(), QStringLiteral("8.2"));
        QCOMPARE(php->count(), 3);
        QVERIFY(field<QCheckBox>(QStringLiteral("sslCheck"))->isChecked());
        QVERIFY(php->isEnabled());
        QVERIFY(visibleText(QStringLiteral("phpNote")).contains(QStringLiteral("names the ones")));
        QVERIFY(chom::test::selectData(type, QStringLiteral("html")));
        QVERIFY(!php->isEnabled());
        QVERIFY(chom::test::selectData(type, QStringLiteral("laravel")));
        QVERIFY(php->isEnabled());
    }

    void invalidDomainBlocksNextWithTheReason()
    {
        open(m_acme);
        walkTo(CreateSiteWizard::DomainPage);
        auto* edit = field<QLineEdit>(QStringLiteral("domainEdit"));
        QVERIFY(!button(QWizard::NextButton)->isEnabled()); // empty
        QTest::keyClicks(edit, QStringLiteral("bad domain"));
        QVERIFY(!button(QWizard::NextButton)->isEnabled());
        QVERIFY2(visibleText(QStringLiteral("domainError"))
                     .contains(QStringLiteral("characters a domain cannot have")),
                 qPrintable(visibleText(QStringLiteral("domainError"))));
        QTest::keyClick(edit, Qt::Key_Return); // Enter does not get past it
        QCOMPARE(m_wizard->currentId(), int(CreateSiteWizard::DomainPage));
        edit->setText(QStringLiteral("a..b.com"));
        QVERIFY(visibleText(QStringLiteral("domainError")).contains(QStringLiteral("two dots")));
        edit->setText(QStringLiteral("bücher.example"));
        QVERIFY(visibleText(QStringLiteral("domainError")).isEmpty());
        QCOMPARE(visibleText(QStringLiteral("domainHint")),
                 QStringLiteral("Stored as xn--bcher-kva.example"));
        QVERIFY(button(QWizard::NextButton)->isEnabled());
    }

    void duplicateDomainIsRefusedOnItsPage()
    {
        open(m_globex);
        walkTo(CreateSiteWizard::DomainPage);
        auto* edit = field<QLineEdit>(QStringLiteral("domainEdit"));
        edit->setText(QStringLiteral("Alpha.Example.com"));
        QVERIFY(button(QWizard::NextButton)->isEnabled()); // the rules hold; the store says no
        button(QWizard::NextButton)->click();
        QTRY_VERIFY(
            visibleText(QStringLiteral("domainError")).contains(QStringLiteral("already used")));
        QCOMPARE(m_wizard->currentId(), int(CreateSiteWizard::DomainPage));
        QCOMPARE(edit->text(), QStringLiteral("Alpha.Example.com"));
        QCOMPARE(journaled(), 0);
        QCOMPARE(sitesOf(m_globex), 1);
        edit->setText(QStringLiteral("alpha2.example.com")); // fixed: on it goes
        QVERIFY(visibleText(QStringLiteral("domainError")).isEmpty());
        button(QWizard::NextButton)->click();
        QTRY_COMPARE(m_wizard->currentId(), int(CreateSiteWizard::StackPage));
    }

    void quotaIsRefusedOnTheTenantPage()
    {
        open(m_initech);
        QCOMPARE(field<QComboBox>(QStringLiteral("tenantCombo"))->currentText(),
                 QStringLiteral("Initech — 5 of 5 sites"));
        QVERIFY(!button(QWizard::NextButton)->isEnabled());
        const QString err = visibleText(QStringLiteral("tenantError"));
        QVERIFY2(err.contains(QStringLiteral("has 5 of 5 sites allowed by the starter tier")),
                 qPrintable(err));
        button(QWizard::NextButton)->click();
        QCOMPARE(m_wizard->currentId(), int(CreateSiteWizard::TenantPage));
        QCOMPARE(journaled(), 0);
        QCOMPARE(sitesOf(m_initech), 5);
        QVERIFY(chom::test::selectData(field<QComboBox>(QStringLiteral("tenantCombo")), m_acme));
        QVERIFY(button(QWizard::NextButton)->isEnabled());
        QVERIFY(visibleText(QStringLiteral("tenantError")).isEmpty());
    }

    void automaticPlacementShowsTheVpsItWouldChoose()
    {
        open(m_acme);
        walkTo(CreateSiteWizard::PlacementPage);
        QVERIFY(field<QRadioButton>(QStringLiteral("autoRadio"))->isChecked());
        // web-2 carries 1 site, web-1 seven: the least loaded wins.
        QTRY_VERIFY2(visibleText(QStringLiteral("autoChoice"))
                         .contains(QStringLiteral("web-2 (1 sites on 1 CPU)")),
                     qPrintable(visibleText(QStringLiteral("autoChoice"))));
        auto* list = field<QListWidget>(QStringLiteral("vpsList"));
        QCOMPARE(list->count(), 2);
        QVERIFY(list->item(0)->text().startsWith(QStringLiteral("web-1 — 7 sites, 1 CPU")));
        QVERIFY(button(QWizard::NextButton)->isEnabled());
        field<QRadioButton>(QStringLiteral("manualRadio"))->setChecked(true);
        QVERIFY(!button(QWizard::NextButton)->isEnabled()); // nothing picked yet
        list->setCurrentRow(0);
        QVERIFY(button(QWizard::NextButton)->isEnabled());
        QCOMPARE(m_wizard->request().vpsId, m_web1);
        field<QRadioButton>(QStringLiteral("autoRadio"))->setChecked(true);
        QCOMPARE(m_wizard->request().vpsId, Id(0));
    }

    // From the Sites page's "New site" to the operation on the Operations page.
    void finishingStartsTheOperationAndShowsIt()
    {
        MainWindow window(*m_ctx);
        window.showPage(MainWindow::Sites);
        window.sitesPage()->createNew();
        m_wizard = chom::test::openDialog<CreateSiteWizard>(window.sitesPage(),
                                                            QStringLiteral("createSiteWizard"));
        QVERIFY(m_wizard);
        QTRY_VERIFY(field<QComboBox>(QStringLiteral("tenantCombo"))->count() > 0);
        QVERIFY(chom::test::selectData(field<QComboBox>(QStringLiteral("tenantCombo")), m_globex));
        walkTo(CreateSiteWizard::StackPage, QStringLiteral("Shop.Example.dev"));
        QVERIFY(chom::test::selectData(field<QComboBox>(QStringLiteral("typeCombo")),
                                       QStringLiteral("laravel")));
        field<QComboBox>(QStringLiteral("phpCombo"))->setCurrentText(QStringLiteral("8.3"));
        QVERIFY(field<QCheckBox>(QStringLiteral("sslCheck"))->isChecked()); // kept on
        walkTo(CreateSiteWizard::PlacementPage);
        field<QRadioButton>(QStringLiteral("manualRadio"))->setChecked(true);
        field<QListWidget>(QStringLiteral("vpsList"))->setCurrentRow(0); // web-1
        walkTo(CreateSiteWizard::SummaryPage);
        QVERIFY(m_wizard->summary()->findChildren<QLabel*>().size() > 6);
        QCOMPARE(journaled(), 0);

        QSignalSpy created(m_wizard.data(), &CreateSiteWizard::created);
        button(QWizard::FinishButton)->click();
        QTRY_COMPARE(created.size(), 1);
        QTRY_VERIFY(!m_wizard || !m_wizard->isVisible());
        const Id siteId = created.at(0).at(0).value<Id>();
        const Id opId = created.at(0).at(1).value<Id>();
        QCOMPARE(created.at(0).at(2).toString(), QStringLiteral("shop.example.dev"));

        // The window went to the Operations page, on that operation.
        QTRY_COMPARE(window.currentPageIndex(), int(MainWindow::Operations));
        auto* ops = qobject_cast<OperationsPage*>(window.page(MainWindow::Operations));
        QTRY_COMPARE(ops->detail()->operationId(), opId);

        Unguarded check(m_t->core->store());
        const Operation op = m_t->core->operations().get(opId).value();
        QCOMPARE(op.targetType, QStringLiteral("site"));
        QCOMPARE(op.targetId, siteId);
        const Site s = m_t->core->sites().get(siteId).value();
        QCOMPARE(s.domain, QStringLiteral("shop.example.dev"));
        QCOMPARE(s.tenantId, m_globex);
        QCOMPARE(s.vpsId, m_web1);
        QCOMPARE(toString(s.type), QStringLiteral("laravel"));
        QCOMPARE(s.phpVersion, QStringLiteral("8.3"));
        QCOMPARE(s.sslEnabled, true);
        QCOMPARE(s.provisionAttempts, 1);
    }

    // The domain was taken between its page and Finish: the refusal is shown
    // on the summary, nothing starts, and everything typed is still there.
    void anErrorKeepsTheWizardAndItsInput()
    {
        open(m_acme);
        walkTo(CreateSiteWizard::SummaryPage, QStringLiteral("late.example.com"));
        m_t->addSite(m_globex, QStringLiteral("late.example.com"));
        button(QWizard::FinishButton)->click();
        QTRY_VERIFY(!m_wizard->summary()->serviceError().isEmpty());
        QVERIFY2(m_wizard->summary()->serviceError().contains(QStringLiteral("already used")),
                 qPrintable(m_wizard->summary()->serviceError()));
        QVERIFY(m_wizard->isVisible());
        QCOMPARE(m_wizard->currentId(), int(CreateSiteWizard::SummaryPage));
        QVERIFY(button(QWizard::FinishButton)->isEnabled());
        QCOMPARE(journaled(), 0);
        QCOMPARE(sitesOf(m_acme), 2);
        QCOMPARE(field<QLineEdit>(QStringLiteral("domainEdit"))->text(),
                 QStringLiteral("late.example.com"));
        QCOMPARE(m_wizard->request().tenantId, m_acme);
        m_wizard->back();
        m_wizard->back();
        m_wizard->back();
        QCOMPARE(m_wizard->currentId(), int(CreateSiteWizard::DomainPage));
        QCOMPARE(field<QLineEdit>(QStringLiteral("domainEdit"))->text(),
                 QStringLiteral("late.example.com"));
    }

    // Without a fleet "New site" only records the site (the dialog).
    void withoutAFleetNewSiteOpensTheRecordDialog()
    {
        m_ctx->runtime().stopFleet();
        SitesPage page(*m_ctx);
        page.createNew();
        QVERIFY(chom::test::openDialog<SiteDialog>(&page, QStringLiteral("siteDialog")));
        QVERIFY(!page.findChild<CreateSiteWizard*>());
    }

    void escapeCancels()
    {
        open(m_acme);
        QTest::keyClick(field<QComboBox>(QStringLiteral("tenantCombo")), Qt::Key_Escape);
        QTRY_VERIFY(!m_wizard || !m_wizard->isVisible());
        QCOMPARE(journaled(), 0);
    }
};

QTEST_MAIN(TestCreateSiteWizard)
#include "tst_createsitewizard.moc"
