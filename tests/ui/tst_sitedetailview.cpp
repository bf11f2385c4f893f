// Site details: the record's fields, the served certificate compared with
// the record, the site's recent operations, live changes and deletion.
#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "ui/inventory/SitesPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/sites/ServedCertificatePanel.h"
#include "ui/sites/SiteDetailView.h"
#include "ui/sites/SiteOperationsList.h"

#include <QPointer>
#include <QTableView>
#include <QTableWidget>
#include <QUrl>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;
using chom::test::Unguarded;

class TestSiteDetailView : public QObject
{
    Q_OBJECT

    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<GuiThreadGuard> m_guard;
    std::unique_ptr<AppContext> m_ctx;
    QPointer<SiteDetailView> m_view;
    Id m_site = 0, m_other = 0, m_vps = 0;
    qint64 m_sslExpires = 0;
    QVector<Id> m_ops; // the site's operations, oldest first

    QString value(const QString& name) { return chom::test::labelText(m_view, name); }
    Id addOperation(const QString& type, const QString& targetType, Id target, qint64 at)
    {
        Operation op;
        op.correlationId = QStringLiteral("c%1").arg(at);
        op.type = type;
        op.targetType = targetType;
        op.targetId = target;
        op.status = OperationStatus::Failed;
        op.error = QStringLiteral("boom %1").arg(at);
        op.createdAt = at;
        return m_t->core->operations().insert(op).value();
    }
    ServedCertificate cert(const QStringList& names, bool match, qint64 notAfter)
    {
        ServedCertificate c;
        c.domain = QStringLiteral("alpha.example.com");
        c.address = QStringLiteral("192.0.2.1:443");
        c.reachable = true;
        c.issuer = QStringLiteral("Test CA");
        c.names = names;
        c.namesMatch = match;
        c.trusted = true;
        c.notBefore = QDateTime::currentDateTimeUtc().addDays(-60);
        c.notAfter = QDateTime::fromSecsSinceEpoch(notAfter);
        return c;
    }

private Q_SLOTS:
    void init()
    {
        m_t = std::make_unique<TempCore>();
        const Id acme = m_t->addTenant(QStringLiteral("Acme"), QStringLiteral("pro"));
        m_vps = m_t->addVps(QStringLiteral("web-1"), QStringLiteral("192.0.2.1"));
        m_site = m_t->addSite(acme, QStringLiteral("alpha.example.com"), m_vps);
        m_other = m_t->addSite(acme, QStringLiteral("beta.example.com"), m_vps);
        {
            Unguarded setup(m_t->core->store());
            Site s = m_t->core->sites().get(m_site).value();
            s.type = SiteType::Php;
            s.phpVersion = QStringLiteral("8.3");
            s.status = SiteStatus::Failed;
            s.failureReason = QStringLiteral("nginx -t refused the vhost");
            s.provisionAttempts = 2;
            s.dbName = QStringLiteral("alpha_db");
            s.sslEnabled = true;
            m_sslExpires = QDateTime::currentSecsSinceEpoch() + 30 * 86400 + 600;
            s.sslExpiresAt = m_sslExpires;
            QVERIFY(m_t->core->sites().update(s).ok());
            const QString site = QStringLiteral("site");
            m_ops << addOperation(QStringLiteral("site.provision"), site, m_site, 1000)
                  << addOperation(QStringLiteral("site.disable"), site, m_site, 3000)
                  << addOperation(QStringLiteral("site.provision"), site, m_site, 5000);
            addOperation(QStringLiteral("site.provision"), site, m_other, 4000);
            addOperation(QStringLiteral("vps.bootstrap"), QStringLiteral("vps"), m_site, 6000);
        }
        m_guard = std::make_unique<GuiThreadGuard>(m_t->core->store());
        m_ctx = std::make_unique<AppContext>(*m_t->core, m_t->path());
        m_view = new SiteDetailView(*m_ctx, m_site);
        m_view->show();
        QTRY_VERIFY(m_view->site().has_value());
        QTRY_VERIFY(m_ctx->inventory().isLoaded());
    }
    void cleanup()
    {
        delete m_view;
        m_ctx.reset();
        const int uses = m_guard->uses();
        m_guard.reset();
        m_t.reset();
        QCOMPARE(uses, 0);
    }

    void showsTheRecord()
    {
        QCOMPARE(value(QStringLiteral("detailTitle")), QStringLiteral("alpha.example.com"));
        QTRY_COMPARE(value(QStringLiteral("tenantValue")), QStringLiteral("Acme"));
        QCOMPARE(value(QStringLiteral("vpsValue")), QStringLiteral("web-1"));
        QCOMPARE(value(QStringLiteral("typeValue")), QStringLiteral("PHP"));
        QCOMPARE(value(QStringLiteral("phpValue")), QStringLiteral("8.3"));
        QCOMPARE(value(QStringLiteral("statusValue")), QStringLiteral("failed"));
        QCOMPARE(value(QStringLiteral("failureValue")),
                 QStringLiteral("nginx -t refused the vhost"));
        QCOMPARE(value(QStringLiteral("attemptsValue")), QStringLiteral("2"));
        QCOMPARE(value(QStringLiteral("databaseValue")), QStringLiteral("alpha_db"));
        QVERIFY2(value(QStringLiteral("documentRootValue"))
                     .contains(QStringLiteral("/var/www/sites/alpha.example.com")),
                 qPrintable(value(QStringLiteral("documentRootValue"))));
        QVERIFY(value(QStringLiteral("createdValue")).startsWith(QStringLiteral("20")));
        QVERIFY2(value(QStringLiteral("sslValue")).contains(QStringLiteral("30 days left")),
                 qPrintable(value(QStringLiteral("sslValue"))));
        QVERIFY(!m_view->findChild<QPushButton*>(QStringLiteral("logsButton"))->isEnabled());
        QCOMPARE(SiteDetailView::siteUrl(*m_view->site()).toString(),
                 QStringLiteral("https://alpha.example.com/"));
        Site plain = *m_view->site();
        plain.sslEnabled = false;
        QCOMPARE(SiteDetailView::siteUrl(plain).toString(),
                 QStringLiteral("http://alpha.example.com/"));
    }

    void servedCertificateIsComparedWithTheRecord()
    {
        QCOMPARE(value(QStringLiteral("certState")), QStringLiteral("Not probed yet."));
        QVERIFY(value(QStringLiteral("certWarning")).isEmpty());

        m_view->setServedCertificate(
            cert({QStringLiteral("www.other.example")}, false, m_sslExpires + 10 * 86400));
        QCOMPARE(value(QStringLiteral("certIssuer")), QStringLiteral("Test CA"));
        QCOMPARE(value(QStringLiteral("certNames")), QStringLiteral("www.other.example"));
        QCOMPARE(value(QStringLiteral("certNamesMatch")), QStringLiteral("no"));
        QVERIFY2(value(QStringLiteral("certTo")).contains(QStringLiteral("40 days left")),
                 qPrintable(value(QStringLiteral("certTo"))));
        const QString warning = value(QStringLiteral("certWarning"));
        QVERIFY2(warning.contains(QStringLiteral("does not cover alpha.example.com")),
                 qPrintable(warning));
        QVERIFY2(warning.contains(QStringLiteral("but the record says")), qPrintable(warning));

        // The certificate the record expects: nothing to warn about.
        m_view->setServedCertificate(
            cert({QStringLiteral("alpha.example.com")}, true, m_sslExpires));
        QVERIFY2(value(QStringLiteral("certWarning")).isEmpty(),
                 qPrintable(value(QStringLiteral("certWarning"))));
        QCOMPARE(value(QStringLiteral("certNamesMatch")), QStringLiteral("yes"));

        ServedCertificate down;
        down.address = QStringLiteral("192.0.2.1:443");
        down.errorCode = QStringLiteral("CONNECT_REFUSED");
        down.error = QStringLiteral("connection refused");
        m_view->setServedCertificate(down);
        QVERIFY(value(QStringLiteral("certState")).contains(QStringLiteral("connection refused")));
        QVERIFY(value(QStringLiteral("certWarning")).contains(QStringLiteral("SSL is on")));
    }

    void recentOperationsNewestFirstAndOpenable()
    {
        SiteOperationsList* list = m_view->operations();
        QTRY_COMPARE(list->table()->rowCount(), 3);
        QCOMPARE(list->operationAt(0), m_ops[2]);
        QCOMPARE(list->operationAt(1), m_ops[1]);
        QCOMPARE(list->operationAt(2), m_ops[0]);
        QCOMPARE(list->table()->item(1, 1)->text(), QStringLiteral("site.disable"));
        QCOMPARE(list->table()->item(1, 3)->text(), QStringLiteral("boom 3000"));

        QSignalSpy requested(m_view.data(), &SiteDetailView::operationRequested);
        list->table()->setFocus();
        list->table()->selectRow(1);
        QTest::keyClick(list->table(), Qt::Key_Return);
        QCOMPARE(requested.size(), 1);
        QCOMPARE(requested.at(0).at(0).value<Id>(), m_ops[1]);
    }

    void followsChangesToTheSite()
    {
        QCOMPARE(value(QStringLiteral("statusValue")), QStringLiteral("failed"));
        {
            Unguarded write(m_t->core->store());
            QVERIFY(m_t->core->sites().setStatus(m_site, SiteStatus::Disabled).ok());
        }
        QTRY_COMPARE(value(QStringLiteral("statusValue")), QStringLiteral("disabled"));
        QVERIFY(!m_view->isDeleted());
    }

    void saysWhenTheSiteIsDeleted()
    {
        QVERIFY(value(QStringLiteral("deletedLabel")).isEmpty());
        {
            Unguarded write(m_t->core->store());
            QVERIFY(m_t->core->sites().remove(m_site).ok());
        }
        QTRY_VERIFY(m_view->isDeleted());
        QVERIFY(value(QStringLiteral("deletedLabel")).contains(QStringLiteral("deleted")));
        QVERIFY(
            !m_view->findChild<QPushButton*>(QStringLiteral("openInBrowserButton"))->isEnabled());
        QCOMPARE(value(QStringLiteral("detailTitle")), QStringLiteral("alpha.example.com"));
    }

    // Enter on a Sites row opens its details; their Metrics asks the window.
    void openedFromTheSitesPage()
    {
        SitesPage page(*m_ctx);
        page.resize(1000, 600);
        page.show();
        QTRY_VERIFY(page.isLoaded());
        QTableView* rows = page.view();
        const QModelIndexList match = rows->model()->match(
            rows->model()->index(0, 0), Qt::DisplayRole, QStringLiteral("beta.example.com"));
        QCOMPARE(match.size(), 1);
        rows->setFocus();
        rows->selectRow(match.first().row());
        QTest::keyClick(rows, Qt::Key_Return);
        SiteDetailView* view = nullptr;
        for (auto* v : page.findChildren<SiteDetailView*>())
            if (v->siteId() == m_other && v->isVisible())
                view = v;
        QVERIFY(view);
        QTRY_VERIFY(view->site().has_value());
        QSignalSpy metrics(&page, &SitesPage::metricsRequested);
        view->findChild<QPushButton*>(QStringLiteral("metricsButton"))->click();
        QCOMPARE(metrics.size(), 1);
        QCOMPARE(metrics.at(0).at(0).toString(), QStringLiteral("beta.example.com"));
        QCOMPARE(metrics.at(0).at(1).value<Id>(), m_vps);
    }
};

QTEST_MAIN(TestSiteDetailView)
#include "tst_sitedetailview.moc"
