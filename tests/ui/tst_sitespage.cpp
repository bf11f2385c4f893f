#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "store/SiteRepository.h"
#include "ui/inventory/SiteDialog.h"
#include "ui/inventory/SitesPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QSignalSpy>
#include <QTableView>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;
using chom::test::Unguarded;

namespace {

Id addSite(TempCore& t, Id tenant, const QString& domain, Id vps, SiteStatus status, SiteType type,
           int sslDays = 0)
{
    Site s;
    s.tenantId = tenant;
    s.domain = domain;
    s.vpsId = vps;
    s.status = status;
    s.type = type;
    if (sslDays) {
        s.sslEnabled = true;
        s.sslExpiresAt = QDateTime::currentSecsSinceEpoch() + qint64(sslDays) * 86400;
    }
    auto id = t.core->sites().create(s);
    if (!id)
        qFatal("addSite: %s", qPrintable(id.error().message));
    return id.value();
}

} // namespace

class TestSitesPage : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<GuiThreadGuard> m_guard; // from the context's start to its end
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<SitesPage> m_page;
    Id m_acme = 0, m_globex = 0, m_initech = 0, m_vps1 = 0, m_vps2 = 0;

    SiteFilterProxy* proxy() { return m_page->proxy(); }
    template <typename T> T* child(const QString& name)
    {
        T* w = m_page->findChild<T*>(name);
        if (!w)
            qFatal("no child %s", qPrintable(name));
        return w;
    }
    QStringList column(int col)
    {
        QStringList out;
        for (int r = 0; r < proxy()->rowCount(); ++r)
            out << proxy()->index(r, col).data().toString();
        return out;
    }
    bool showsDomain(const QString& domain)
    {
        return column(SiteTableModel::Domain).contains(domain);
    }
    SiteDialog* openAddDialog()
    {
        m_page->createNew();
        return chom::test::openDialog<SiteDialog>(m_page.get(), QStringLiteral("siteDialog"));
    }

private Q_SLOTS:
    void init()
    {
        m_t = std::make_unique<TempCore>();
        TempCore& t = *m_t;
        m_acme = t.addTenant(QStringLiteral("Acme"), QStringLiteral("enterprise"));
        m_globex = t.addTenant(QStringLiteral("Globex"), QStringLiteral("pro"));
        m_initech = t.addTenant(QStringLiteral("Initech"), QStringLiteral("starter"));
        m_vps1 = t.addVps(QStringLiteral("web-1"), QStringLiteral("192.0.2.1"));
        m_vps2 = t.addVps(QStringLiteral("web-2"), QStringLiteral("192.0.2.2"));
        addSite(t, m_acme, QStringLiteral("alpha.example.com"), m_vps1, SiteStatus::Active,
                SiteType::WordPress, 5);
        addSite(t, m_acme, QStringLiteral("beta.example.com"), m_vps1, SiteStatus::Active,
                SiteType::Html, 60);
        addSite(t, m_acme, QStringLiteral("gamma.example.org"), m_vps2, SiteStatus::Disabled,
                SiteType::Php);
        addSite(t, m_globex, QStringLiteral("delta.example.net"), m_vps2, SiteStatus::Active,
                SiteType::Laravel, 3);
        addSite(t, m_globex, QStringLiteral("epsilon.example.com"), 0, SiteStatus::Failed,
                SiteType::WordPress);
        for (int i = 1; i <= 5; ++i) // Initech is at its starter quota
            addSite(t, m_initech, QStringLiteral("i%1.initech.io").arg(i), m_vps1,
                    SiteStatus::Creating, SiteType::WordPress);
        m_guard = std::make_unique<GuiThreadGuard>(t.core->store());
        m_ctx = std::make_unique<AppContext>(*t.core, t.path());
        m_page = std::make_unique<SitesPage>(*m_ctx);
        m_page->resize(1200, 700);
        QVERIFY(!m_page->isLoaded()); // nothing loads before the page is shown
        m_page->show();
        QTRY_VERIFY(m_page->isLoaded());
        QTRY_VERIFY(m_ctx->inventory().isLoaded());
    }

    void cleanup()
    {
        m_page.reset();
        m_ctx.reset();
        const int uses = m_guard ? m_guard->uses() : 0;
        m_guard.reset();
        m_t.reset();
        QCOMPARE(uses, 0);
    }

    void loadsAllRowsWithNames()
    {
        QCOMPARE(proxy()->rowCount(), 10);
        QCOMPARE(child<QLabel>(QStringLiteral("countLabel"))->text(),
                 QStringLiteral("10 of 10 sites"));
        const int row = column(SiteTableModel::Domain).indexOf(QStringLiteral("delta.example.net"));
        QVERIFY(row >= 0);
        QTRY_COMPARE(proxy()->index(row, SiteTableModel::Tenant).data().toString(),
                     QStringLiteral("Globex"));
        QCOMPARE(proxy()->index(row, SiteTableModel::Server).data().toString(),
                 QStringLiteral("web-2"));
        // Fixed row heights: what keeps 100k rows cheap to scroll.
        auto* view = child<QTableView>(QStringLiteral("sitesView"));
        QCOMPARE(view->verticalHeader()->sectionResizeMode(0), QHeaderView::Fixed);
    }

    void searchWaitsForTheDebounce()
    {
        auto* search = child<QLineEdit>(QStringLiteral("searchEdit"));
        QElapsedTimer typed;
        QTest::keyClicks(search, QStringLiteral(".example.com"));
        typed.start();
        QCOMPARE(proxy()->rowCount(), 10); // not filtered per keystroke
        QTest::qWait(120);
        QCOMPARE(proxy()->rowCount(), 10);
        QTRY_COMPARE(proxy()->rowCount(), 3);
        QVERIFY2(typed.elapsed() >= 250, qPrintable(QString::number(typed.elapsed())));
        QCOMPARE(child<QLabel>(QStringLiteral("countLabel"))->text(),
                 QStringLiteral("3 of 10 sites"));

        // The search also matches tenant names; Enter applies at once.
        search->clear();
        QTest::keyClicks(search, QStringLiteral("initech"));
        QTest::keyClick(search, Qt::Key_Return);
        QCOMPARE(proxy()->rowCount(), 5);
    }

    void filtersCombine()
    {
        auto* status = child<QComboBox>(QStringLiteral("statusFilter"));
        auto* type = child<QComboBox>(QStringLiteral("typeFilter"));
        auto* ssl = child<QCheckBox>(QStringLiteral("sslExpiringOnly"));
        auto* tenant = child<QComboBox>(QStringLiteral("tenantFilter"));
        auto* vps = child<QComboBox>(QStringLiteral("vpsFilter"));

        QVERIFY(chom::test::selectData(status, QStringLiteral("active")));
        QCOMPARE(proxy()->rowCount(), 3);
        QVERIFY(chom::test::selectData(type, QStringLiteral("wordpress")));
        QCOMPARE(proxy()->rowCount(), 1);
        QCOMPARE(column(SiteTableModel::Domain), QStringList{QStringLiteral("alpha.example.com")});

        QTest::mouseClick(child<QPushButton>(QStringLiteral("clearFilters")), Qt::LeftButton);
        QCOMPARE(proxy()->rowCount(), 10);
        QCOMPARE(status->currentIndex(), 0);
        QCOMPARE(type->currentIndex(), 0);

        ssl->setChecked(true); // alpha (5 days) and delta (3 days); beta is 60 days away
        QCOMPARE(proxy()->rowCount(), 2);
        QTRY_VERIFY(tenant->findData(QVariant::fromValue<Id>(m_globex)) >= 0);
        QVERIFY(chom::test::selectData(tenant, m_globex));
        QCOMPARE(column(SiteTableModel::Domain), QStringList{QStringLiteral("delta.example.net")});
        ssl->setChecked(false);
        QCOMPARE(proxy()->rowCount(), 2);
        QVERIFY(chom::test::selectData(vps, m_vps2));
        QCOMPARE(column(SiteTableModel::Domain), QStringList{QStringLiteral("delta.example.net")});
        QCOMPARE(child<QLabel>(QStringLiteral("countLabel"))->text(),
                 QStringLiteral("1 of 10 sites"));

        QTest::mouseClick(child<QPushButton>(QStringLiteral("clearFilters")), Qt::LeftButton);
        QCOMPARE(proxy()->rowCount(), 10);
        QVERIFY(!ssl->isChecked());
        QCOMPARE(tenant->currentIndex(), 0);
    }

    void headerClickSorts()
    {
        auto* view = child<QTableView>(QStringLiteral("sitesView"));
        QHeaderView* header = view->horizontalHeader();
        const auto clickSection = [&](int col) {
            const QPoint p(header->sectionViewportPosition(col) + header->sectionSize(col) / 2,
                           header->height() / 2);
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, p);
        };
        QStringList domains = column(SiteTableModel::Domain);
        QStringList sorted = domains;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(domains, sorted); // initial order: domain ascending

        clickSection(SiteTableModel::Domain); // same column again: descending
        domains = column(SiteTableModel::Domain);
        std::sort(sorted.begin(), sorted.end(), std::greater<QString>());
        QCOMPARE(domains, sorted);

        clickSection(SiteTableModel::Tenant);
        QCOMPARE(header->sortIndicatorSection(), int(SiteTableModel::Tenant));
        const QStringList tenants = column(SiteTableModel::Tenant);
        QStringList expected = tenants;
        std::sort(expected.begin(), expected.end());
        if (header->sortIndicatorOrder() == Qt::DescendingOrder)
            std::reverse(expected.begin(), expected.end());
        QCOMPARE(tenants, expected);
        QVERIFY(tenants.first() != tenants.last());
    }

    void addDialogValidatesInline()
    {
        QPointer<SiteDialog> dlg = openAddDialog();
        QVERIFY(dlg);
        auto* domain = dlg->findChild<QLineEdit*>(QStringLiteral("domainEdit"));
        QVERIFY(domain);
        QVERIFY(!dlg->okButton()->isEnabled()); // empty form

        QTest::keyClicks(domain, QStringLiteral("bad domain"));
        QVERIFY(!dlg->okButton()->isEnabled());
        QVERIFY2(chom::test::labelText(dlg, QStringLiteral("domainError"))
                     .contains(QStringLiteral("characters a domain cannot have")),
                 qPrintable(chom::test::labelText(dlg, QStringLiteral("domainError"))));

        domain->clear();
        QTest::keyClicks(domain, QStringLiteral("a..b.com"));
        QVERIFY(!dlg->okButton()->isEnabled());
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("domainError"))
                    .contains(QStringLiteral("two dots in a row")));

        domain->clear();
        domain->insert(QStringLiteral("bücher.example")); // keyClicks is Latin-1 only
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("domainError")).isEmpty());
        QCOMPARE(chom::test::labelText(dlg, QStringLiteral("domainHint")),
                 QStringLiteral("Stored as xn--bcher-kva.example"));

        auto* tenant = dlg->findChild<QComboBox*>(QStringLiteral("tenantCombo"));
        QVERIFY(chom::test::selectData(tenant, m_acme));
        QVERIFY(dlg->okButton()->isEnabled());
        QVERIFY(chom::test::labelText(dlg, QStringLiteral("quotaLabel"))
                    .contains(QStringLiteral("3 / unlimited")));
        dlg->reject();
    }

    void duplicateDomainKeepsDialogOpen()
    {
        QPointer<SiteDialog> dlg = openAddDialog();
        QVERIFY(dlg);
        QVERIFY(chom::test::selectData(dlg->findChild<QComboBox*>(QStringLiteral("tenantCombo")),
                                       m_globex));
        auto* domain = dlg->findChild<QLineEdit*>(QStringLiteral("domainEdit"));
        QTest::keyClicks(domain, QStringLiteral("Alpha.Example.com"));
        QVERIFY(dlg->okButton()->isEnabled());
        QTest::mouseClick(dlg->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!dlg->serviceError().isEmpty());
        QVERIFY2(dlg->serviceError().contains(QStringLiteral("alpha.example.com is already used")),
                 qPrintable(dlg->serviceError()));
        QVERIFY(dlg->isVisible());
        QCOMPARE(domain->text(), QStringLiteral("Alpha.Example.com")); // nothing lost
        QVERIFY(dlg->okButton()->isEnabled());                         // can fix and retry
        {
            Unguarded check(m_t->core->store());
            QCOMPARE(SiteRepository(m_t->core->store()).list(m_globex).value().size(), 2);
        }
        dlg->reject();
    }

    void validSiteAppearsThroughTheNotifier()
    {
        QPointer<SiteDialog> dlg = openAddDialog();
        QVERIFY(dlg);
        QVERIFY(chom::test::selectData(dlg->findChild<QComboBox*>(QStringLiteral("tenantCombo")),
                                       m_globex));
        QVERIFY(
            chom::test::selectData(dlg->findChild<QComboBox*>(QStringLiteral("vpsCombo")), m_vps1));
        dlg->findChild<QComboBox*>(QStringLiteral("typeCombo"))
            ->setCurrentText(QStringLiteral("laravel"));
        dlg->findChild<QComboBox*>(QStringLiteral("phpCombo"))
            ->setCurrentText(QStringLiteral("8.3"));
        QTest::keyClicks(dlg->findChild<QLineEdit*>(QStringLiteral("domainEdit")),
                         QStringLiteral("  Zeta.Example.dev "));
        QVERIFY(dlg->okButton()->isEnabled());
        QTest::mouseClick(dlg->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!dlg || !dlg->isVisible());
        QTRY_VERIFY(showsDomain(QStringLiteral("zeta.example.dev")));
        QCOMPARE(proxy()->rowCount(), 11);
        QCOMPARE(child<QLabel>(QStringLiteral("countLabel"))->text(),
                 QStringLiteral("11 of 11 sites"));

        Unguarded check(m_t->core->store());
        auto stored =
            SiteRepository(m_t->core->store()).byDomain(QStringLiteral("zeta.example.dev"));
        QVERIFY(stored.ok());
        QCOMPARE(stored->tenantId, m_globex);
        QCOMPARE(stored->vpsId, m_vps1);
        QCOMPARE(toString(stored->type), QStringLiteral("laravel"));
        QCOMPARE(stored->phpVersion, QStringLiteral("8.3"));
    }

    void tenantAtQuotaIsRefusedInline()
    {
        QPointer<SiteDialog> dlg = openAddDialog();
        QVERIFY(dlg);
        QVERIFY(chom::test::selectData(dlg->findChild<QComboBox*>(QStringLiteral("tenantCombo")),
                                       m_initech));
        QTest::keyClicks(dlg->findChild<QLineEdit*>(QStringLiteral("domainEdit")),
                         QStringLiteral("six.initech.io"));
        QVERIFY(!dlg->okButton()->isEnabled());
        QCOMPARE(chom::test::labelText(dlg, QStringLiteral("quotaLabel")),
                 QStringLiteral("Sites used: 5 / 5"));
        const QString err = chom::test::labelText(dlg, QStringLiteral("tenantError"));
        QVERIFY2(err.contains(QStringLiteral("has 5 of 5 sites allowed by the starter tier")),
                 qPrintable(err));
        dlg->reject();
    }

    void serviceQuotaErrorShowsWhenTheCacheIsStale()
    {
        TempCore& t = *m_t;
        const Id hooli = t.addTenant(QStringLiteral("Hooli"), QStringLiteral("starter"));
        for (int i = 1; i <= 4; ++i)
            t.addSite(hooli, QStringLiteral("h%1.hooli.xyz").arg(i));
        QTRY_VERIFY(m_ctx->inventory().tenant(hooli) &&
                    m_ctx->inventory().tenant(hooli)->siteCount == 4);
        // A fifth site written behind the GUI's back (no change notification).
        {
            Unguarded setup(t.core->store());
            Site s;
            s.tenantId = hooli;
            s.domain = QStringLiteral("h5.hooli.xyz");
            QVERIFY(SiteRepository(t.core->store()).insert(s).ok());
        }

        QPointer<SiteDialog> dlg = openAddDialog();
        QVERIFY(chom::test::selectData(dlg->findChild<QComboBox*>(QStringLiteral("tenantCombo")),
                                       hooli));
        QTest::keyClicks(dlg->findChild<QLineEdit*>(QStringLiteral("domainEdit")),
                         QStringLiteral("h6.hooli.xyz"));
        QVERIFY(dlg->okButton()->isEnabled()); // the cached count says 4 / 5
        QTest::mouseClick(dlg->okButton(), Qt::LeftButton);
        QTRY_VERIFY(!dlg->serviceError().isEmpty());
        QVERIFY2(dlg->serviceError().contains(
                     QStringLiteral("5 of 5 sites allowed by the starter tier")),
                 qPrintable(dlg->serviceError()));
        QVERIFY(dlg->isVisible());
        {
            Unguarded check(t.core->store());
            QVERIFY(!SiteRepository(t.core->store()).byDomain(QStringLiteral("h6.hooli.xyz")).ok());
        }
        dlg->reject();
    }

    void deleteAsksFirst()
    {
        auto* view = child<QTableView>(QStringLiteral("sitesView"));
        const int row = column(SiteTableModel::Domain).indexOf(QStringLiteral("gamma.example.org"));
        view->selectRow(row);

        m_page->deleteSelected();
        auto* box =
            chom::test::openDialog<QMessageBox>(m_page.get(), QStringLiteral("confirmDialog"));
        QVERIFY(box);
        box->button(QMessageBox::Cancel)->click();
        QTest::qWait(ChangeFeedWaitMs);
        QVERIFY(showsDomain(QStringLiteral("gamma.example.org")));

        m_page->deleteSelected();
        box = chom::test::openDialog<QMessageBox>(m_page.get(), QStringLiteral("confirmDialog"));
        QVERIFY(box);
        box->findChild<QPushButton*>(QStringLiteral("confirmButton"))->click();
        QTRY_VERIFY(!showsDomain(QStringLiteral("gamma.example.org")));
        {
            Unguarded check(m_t->core->store());
            QVERIFY(!SiteRepository(m_t->core->store())
                         .byDomain(QStringLiteral("gamma.example.org"))
                         .ok());
        }
        QCOMPARE(child<QLabel>(QStringLiteral("countLabel"))->text(),
                 QStringLiteral("9 of 9 sites"));
    }

    // The menu of a row, its actions by text.
    QHash<QString, QAction*> openMenu(const QString& domain)
    {
        auto* view = child<QTableView>(QStringLiteral("sitesView"));
        const int row = column(SiteTableModel::Domain).indexOf(domain);
        const QRect cell = view->visualRect(proxy()->index(row, SiteTableModel::Domain));
        Q_EMIT view->customContextMenuRequested(cell.center());
        QHash<QString, QAction*> actions;
        auto* menu = chom::test::openDialog<QMenu>(m_page.get(), QStringLiteral("siteContextMenu"));
        if (menu)
            for (QAction* a : menu->actions())
                actions.insert(a->text(), a);
        return actions;
    }
    QString statusOf(const QString& domain)
    {
        return proxy()
            ->index(column(SiteTableModel::Domain).indexOf(domain), SiteTableModel::Status)
            .data()
            .toString();
    }

    // Two or more selected rows get the selection's menu: the actions that
    // apply to what is selected (SSL renewal only with an SSL site in it, PHP
    // only with a PHP site), Disable asking first, all through one operation.
    void aSelectionGetsTheBulkMenu()
    {
        auto* view = child<QTableView>(QStringLiteral("sitesView"));
        const QStringList domains = column(SiteTableModel::Domain);
        const int beta = domains.indexOf(QStringLiteral("beta.example.com"));
        const int eps = domains.indexOf(QStringLiteral("epsilon.example.com"));
        QItemSelection both;
        for (int row : {beta, eps})
            both.select(proxy()->index(row, 0),
                        proxy()->index(row, SiteTableModel::ColumnCount - 1));
        view->selectionModel()->select(both, QItemSelectionModel::ClearAndSelect);
        const QRect cell = view->visualRect(proxy()->index(beta, SiteTableModel::Domain));
        Q_EMIT view->customContextMenuRequested(cell.center());
        auto* menu = chom::test::openDialog<QMenu>(m_page.get(), QStringLiteral("siteBulkMenu"));
        QVERIFY(menu);
        QCOMPARE(view->selectionModel()->selectedRows().size(), 2); // the selection stays
        const auto action = [menu](const char* name) {
            return menu->findChild<QAction*>(QString::fromLatin1(name));
        };
        QVERIFY(action("bulkEnable")->isEnabled());   // beta is placed
        QVERIFY(action("bulkSslRenew")->isEnabled()); // beta has SSL
        QVERIFY(!action("bulkPhp")->isEnabled());     // html, and an unplaced site
        QSignalSpy notices(m_page.get(), &Page::notice);
        action("bulkDisable")->trigger();
        auto* box =
            chom::test::openDialog<QMessageBox>(m_page.get(), QStringLiteral("bulkDisableConfirm"));
        QVERIFY(box);
        QVERIFY2(box->text().contains(QLatin1String("2 site")), qPrintable(box->text()));
        box->findChild<QPushButton*>(QStringLiteral("bulkDisableAccept"))->click();
        QTRY_VERIFY(!notices.isEmpty());
        // No SSH here: the page says why, and nothing changed.
        const QString said = notices.last().at(0).toString();
        QVERIFY2(said.contains(QLatin1String("1 left out")) &&
                     said.contains(QLatin1String("SSH operations")),
                 qPrintable(said));
        QCOMPARE(statusOf(QStringLiteral("beta.example.com")), QStringLiteral("active"));
    }

    // A placed site changes on its server first: with no SSH here the
    // operation cannot start, the page says why, and the record stays.
    void contextMenuActsOnAPlacedSitesServer()
    {
        QSignalSpy notices(m_page.get(), &Page::notice);
        const auto actions = openMenu(QStringLiteral("beta.example.com"));
        QVERIFY2(actions.contains(QStringLiteral("Copy domain")) &&
                     actions.contains(QStringLiteral("Provision on VPS")) &&
                     actions.contains(QStringLiteral("Delete from VPS…")) &&
                     actions.contains(QStringLiteral("Delete from inventory only…")),
                 qPrintable(QStringList(actions.keys()).join(QLatin1Char(','))));
        QAction* disable = actions.value(QStringLiteral("Disable"));
        QVERIFY(disable && disable->isEnabled());
        disable->trigger();
        QTRY_VERIFY(!notices.isEmpty());
        QVERIFY2(notices.last().at(0).toString().contains(QLatin1String("SSH operations")),
                 qPrintable(notices.last().at(0).toString()));
        QCOMPARE(statusOf(QStringLiteral("beta.example.com")), QStringLiteral("active"));
    }

    void contextMenuDisablesAnUnplacedSite()
    {
        {
            Unguarded setup(m_t->core->store()); // the test's own write, not the page's
            addSite(*m_t, m_globex, QStringLiteral("theta.example.com"), 0, SiteStatus::Active,
                    SiteType::Html);
        }
        QTRY_VERIFY(showsDomain(QStringLiteral("theta.example.com")));
        const auto actions = openMenu(QStringLiteral("theta.example.com"));
        QVERIFY(!actions.contains(QStringLiteral("Delete from VPS…")));
        QAction* disable = actions.value(QStringLiteral("Disable"));
        QVERIFY(disable && disable->isEnabled());
        disable->trigger();
        QTRY_COMPARE(statusOf(QStringLiteral("theta.example.com")), QStringLiteral("disabled"));
    }

    // Deleting from the server asks for the domain, typed exactly.
    void deleteFromTheServerIsConfirmedByTypingTheDomain()
    {
        const auto actions = openMenu(QStringLiteral("beta.example.com"));
        actions.value(QStringLiteral("Delete from VPS…"))->trigger();
        auto* dlg = chom::test::openDialog<QDialog>(m_page.get(), QStringLiteral("confirmDialog"));
        QVERIFY(dlg);
        auto* field = dlg->findChild<QLineEdit*>(QStringLiteral("confirmText"));
        auto* button = dlg->findChild<QPushButton*>(QStringLiteral("confirmButton"));
        QVERIFY(field && button);
        QVERIFY(!button->isEnabled());
        field->setText(QStringLiteral("beta.example"));
        QVERIFY(!button->isEnabled());
        field->setText(QStringLiteral("Beta.example.com"));
        QVERIFY(!button->isEnabled());
        field->setText(QStringLiteral("beta.example.com"));
        QVERIFY(button->isEnabled());
        QSignalSpy notices(m_page.get(), &Page::notice);
        button->click();
        QTRY_VERIFY(!notices.isEmpty()); // no SSH here: says so, deletes nothing
        QVERIFY(showsDomain(QStringLiteral("beta.example.com")));
    }

private:
    static constexpr int ChangeFeedWaitMs = 250;
};

QTEST_MAIN(TestSitesPage)
#include "tst_sitespage.moc"
