// Sites provisioned through the core on a real "VPS": SiteOperations over
// the SSH pool and the agent, against a loopback sshd host that lets root
// in (tests/support/SshFleet, 127.0.0.68) whose sandbox holds a real nginx
// and PHP-FPM stack (tests/support/WebStack, 127.0.0.1:18083). Placement,
// the journaled provision with its outcome on the site, refusals before any
// remote call, failure and retry, enable/disable/delete.
#include "SiteFleetFixture.h"
#include "ops/OperationKind.h"
#include "store/OperationJournal.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QtTest>

using namespace chom;
using chom::test::SiteFleetFixture;
using chom::test::SshFleet;
using chom::test::WebStack;

class TestSiteProvision : public QObject
{
    Q_OBJECT
    SiteFleetFixture m_f;
    SshFleet& m_fleet = m_f.fleet;
    WebStack& m_stack = m_f.stack;

    QString waitFor(Id op) { return m_f.waitFor(op, 60000); }
    Site site(Id id) const { return m_f.t->core->sites().get(id).value(); }
    Site request(const QString& domain, SiteType type) const
    {
        Site s;
        s.tenantId = m_f.tenant;
        s.domain = domain;
        s.type = type;
        s.phpVersion = m_stack.phpVersion();
        return s;
    }
    int operations() const
    {
        return int(OperationJournal(m_f.t->core->store()).recent(100000).value().size());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = SiteFleetFixture::unavailableReason(false); !why.isEmpty())
            QSKIP(qPrintable(why));
        // php and wordpress sites get a database
        QVERIFY2(m_f.start(68, 18083, 18309), qPrintable(m_f.error()));
        QVERIFY2(m_stack.startAcme(14300), qPrintable(m_stack.error()));
    }
    void cleanupTestCase()
    {
        m_f.stop();
        QCOMPARE(WebStack::siteUsers(), QStringList());
    }

    void anHtmlSiteIsPlacedCreatedAndVerified()
    {
        auto started =
            m_f.sites->startCreate(request(QStringLiteral("shop.example.test"), SiteType::Html));
        QVERIFY2(started, qPrintable(started.errorMessage()));
        const QString done = waitFor(started.value().operationId);
        const Site s = site(started.value().siteId);
        QVERIFY2(done == QLatin1String("completed"), qPrintable(done + ": " + s.failureReason));
        QCOMPARE(toString(s.status), toString(SiteStatus::Active));
        QCOMPARE(s.vpsId, m_f.vps); // automatic placement: the one active VPS
        QCOMPARE(s.provisionAttempts, 1);
        QVERIFY(s.failureReason.isEmpty());
        QVERIFY2(s.documentRoot.endsWith(QLatin1String("/shop.example.test/public")),
                 qPrintable(s.documentRoot));
        QCOMPARE(m_stack.get(QStringLiteral("shop.example.test")).status, 200);

        // Disable, enable, delete: the record follows what the VPS serves.
        auto off = m_f.sites->startSetEnabled(s.id, false);
        QVERIFY(off);
        QCOMPARE(waitFor(off.value()), QStringLiteral("completed"));
        QCOMPARE(toString(site(s.id).status), toString(SiteStatus::Disabled));
        QCOMPARE(m_stack.get(QStringLiteral("shop.example.test")).status, 404);
        auto on = m_f.sites->startSetEnabled(s.id, true);
        QVERIFY(on);
        QCOMPARE(waitFor(on.value()), QStringLiteral("completed"));
        QCOMPARE(toString(site(s.id).status), toString(SiteStatus::Active));
        QCOMPARE(m_stack.get(QStringLiteral("shop.example.test")).status, 200);
        auto del = m_f.sites->startDelete(s.id);
        QVERIFY(del);
        QCOMPARE(waitFor(del.value()), QStringLiteral("completed"));
        QVERIFY(!m_f.t->core->sites().get(s.id));
        QCOMPARE(m_stack.get(QStringLiteral("shop.example.test")).status, 404);
        QCOMPARE(WebStack::siteUsers(), QStringList());
    }

    void refusalsComeBeforeAnyRemoteCall()
    {
        const int ops = operations();
        const int logins = m_fleet.acceptedAuthCount(0);
        auto bad = m_f.sites->startCreate(request(QStringLiteral("not a domain"), SiteType::Html));
        QVERIFY(!bad);
        auto first =
            m_f.sites->startCreate(request(QStringLiteral("twice.example.test"), SiteType::Html));
        QVERIFY(first);
        QCOMPARE(waitFor(first.value().operationId), QStringLiteral("completed"));
        const int afterFirst = operations();
        auto dup =
            m_f.sites->startCreate(request(QStringLiteral("twice.example.test"), SiteType::Html));
        QVERIFY(!dup);
        QCOMPARE(dup.error().code, QStringLiteral("duplicate_domain"));
        // A tenant at its quota: refused by the store, the VPS never asked.
        const Id tiny = m_f.t->addTenant(QStringLiteral("Tiny"), QStringLiteral("starter"));
        for (int i = 0; i < 100; ++i) {
            Site fill = request(QStringLiteral("fill-%1.example.test").arg(i), SiteType::Html);
            fill.tenantId = tiny;
            fill.status = SiteStatus::Active;
            if (!m_f.t->core->sites().create(fill))
                break;
        }
        Site over = request(QStringLiteral("over.example.test"), SiteType::Html);
        over.tenantId = tiny;
        auto refused = m_f.sites->startCreate(over);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("quota_exceeded"));
        QCOMPARE(operations(), afterFirst);
        QCOMPARE(afterFirst, ops + 1);
        QCOMPARE(m_fleet.acceptedAuthCount(0), logins); // the pooled session, no new login
        auto del = m_f.sites->startDelete(first.value().siteId);
        QVERIFY(del);
        QCOMPARE(waitFor(del.value()), QStringLiteral("completed"));
    }

    // place → create (files, database, wp-config) → certificate → verify,
    // and the certificate recorded on the site.
    void aWordPressSiteWithSslEndToEnd()
    {
        Site r = request(QStringLiteral("blog.example.test"), SiteType::WordPress);
        r.sslEnabled = true;
        auto started = m_f.sites->startCreate(r);
        QVERIFY2(started, qPrintable(started.errorMessage()));
        QCOMPARE(waitFor(started.value().operationId), QStringLiteral("completed"));
        const Site s = site(started.value().siteId);
        QCOMPARE(toString(s.status), toString(SiteStatus::Active));
        QVERIFY(s.sslEnabled);
        QVERIFY(s.sslExpiresAt > QDateTime::currentSecsSinceEpoch());
        QCOMPARE(m_stack.get(s.domain).status, 301);
        const WebStack::Response installer =
            m_stack.getHttps(s.domain, QStringLiteral("/wp-admin/install.php"));
        QVERIFY2(installer.status == 200 && installer.body.contains("WordPress"),
                 installer.body.left(300).constData());
        QCOMPARE(m_stack.siteDatabases(), QStringList{QStringLiteral("chomt_blog_example_test")});
        auto del = m_f.sites->startDelete(s.id);
        QVERIFY(del);
        QCOMPARE(waitFor(del.value()), QStringLiteral("completed"));
        QCOMPARE(m_stack.siteDatabases(), QStringList());
        QCOMPARE(WebStack::siteUsers(), QStringList());
    }

    void aFailureIsRecordedOnTheSiteAndRetried()
    {
        Site r = request(QStringLiteral("old-php.example.test"), SiteType::Php);
        r.phpVersion = QStringLiteral("8.4"); // valid for the store, not installed here
        auto started = m_f.sites->startCreate(r);
        QVERIFY2(started, qPrintable(started.errorMessage()));
        QCOMPARE(waitFor(started.value().operationId), QStringLiteral("failed"));
        Site s = site(started.value().siteId);
        QCOMPARE(toString(s.status), toString(SiteStatus::Failed));
        QVERIFY2(s.failureReason.contains(QLatin1String("PHP_NOT_INSTALLED")) &&
                     s.failureReason.contains(m_stack.phpVersion()),
                 qPrintable(s.failureReason));
        QCOMPARE(s.provisionAttempts, 1);
        auto again = m_f.service->retryOperation(started.value().operationId);
        QVERIFY2(again, qPrintable(again.errorMessage()));
        QCOMPARE(waitFor(again.value()), QStringLiteral("failed"));
        QCOMPARE(site(s.id).provisionAttempts, 2);
        // Fixed by the operator: the right version, provisioned again.
        s = site(s.id);
        s.phpVersion = m_stack.phpVersion();
        QVERIFY(m_f.t->core->sites().update(s));
        auto fixed = m_f.sites->startProvision(s.id);
        QVERIFY(fixed);
        QCOMPARE(waitFor(fixed.value()), QStringLiteral("completed"));
        QCOMPARE(toString(site(s.id).status), toString(SiteStatus::Active));
        QCOMPARE(site(s.id).provisionAttempts, 3);
        auto del = m_f.sites->startDelete(s.id);
        QVERIFY(del);
        QCOMPARE(waitFor(del.value()), QStringLiteral("completed"));
    }
};

QTEST_GUILESS_MAIN(TestSiteProvision)
#include "tst_siteprovision.moc"
