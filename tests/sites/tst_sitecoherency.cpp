// The coherency check and the bulk actions through the core, on a real
// "VPS": a loopback sshd host that lets root in (tests/support/SshFleet,
// 127.0.0.76) whose sandbox holds nginx, PHP-FPM and MariaDB of the test's
// own (tests/support/WebStack, 127.0.0.1:18092, MariaDB 18312). The check
// finds a drifted vhost, a site served while the store has it disabled and a
// store site the VPS does not have; the heal re-renders only the config;
// bulk actions give one result row per site and retry only the failed ones.
#include "SiteFleetFixture.h"
#include "ops/OperationKind.h"
#include "sites/SiteBulk.h"
#include "sites/SiteCoherency.h"
#include "sites/SiteTools.h"
#include "store/OperationJournal.h"

#include <QFile>
#include <QtTest>

using namespace chom;
using chom::test::SiteFleetFixture;
using chom::test::WebStack;

class TestSiteCoherency : public QObject
{
    Q_OBJECT
    SiteFleetFixture m_f;
    std::unique_ptr<SiteTools> m_tools;
    std::unique_ptr<SiteCoherency> m_check;
    std::unique_ptr<SiteBulk> m_bulk;
    QHash<QString, Id> m_ids;

    QString waitFor(Id op) { return m_f.waitFor(op); }
    QVector<Operation> steps(Id op) const
    {
        return OperationJournal(m_f.t->core->store()).steps(op).value();
    }
    CoherencyReport check()
    {
        auto op = m_check->startCheck();
        if (!op)
            qFatal("coherency check: %s", qPrintable(op.errorMessage()));
        waitFor(op.value());
        return SiteCoherency::latest(m_f.t->core->store()).value();
    }
    static QStringList kinds(const CoherencyReport& r)
    {
        QStringList out;
        for (const CoherencyFinding& f : r.findings)
            out << f.domain + QLatin1Char(':') + f.kind;
        out.sort();
        return out;
    }
    QString vhostPath(const QString& domain) const
    {
        return m_f.stack.root() + QStringLiteral("/etc/nginx/sites-available/") + domain +
               QStringLiteral(".conf");
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = SiteFleetFixture::unavailableReason(true); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_f.start(76, 18092, 18312), qPrintable(m_f.error()));
        m_tools = std::make_unique<SiteTools>(*m_f.sites);
        m_check = std::make_unique<SiteCoherency>(*m_f.service, *m_tools);
        m_bulk = std::make_unique<SiteBulk>(*m_f.sites, *m_tools);
        m_f.service->addKind(m_check->kind());
        m_f.service->addKind(m_bulk->kind());
        for (const auto& [d, type] : {std::pair{"a.example.test", SiteType::Html},
                                      std::pair{"b.example.test", SiteType::Html},
                                      std::pair{"c.example.test", SiteType::Php}}) {
            const Id site = m_f.provision(QString::fromLatin1(d), type);
            QVERIFY2(site, d);
            m_ids.insert(QString::fromLatin1(d), site);
        }
    }
    void cleanupTestCase()
    {
        for (Id id : m_ids)
            if (m_f.t && m_f.t->core->sites().get(id))
                if (auto del = m_f.sites->startDelete(id))
                    waitFor(del.value());
        m_f.runner.reset(); // every step joined before what they use goes
        m_bulk.reset();
        m_check.reset();
        m_tools.reset();
        const QStringList left = m_f.stack.siteDatabases() + m_f.stack.siteDatabaseUsers();
        m_f.stop();
        QCOMPARE(WebStack::siteUsers(), QStringList());
        QCOMPARE(left, QStringList());
    }

    void aCoherentFleetGivesAnEmptyReport()
    {
        const CoherencyReport r = check();
        QCOMPARE(toString(r.status), QStringLiteral("completed"));
        QCOMPARE(r.hostsChecked, 1);
        QVERIFY2(r.findings.isEmpty(), qPrintable(kinds(r).join(' ')));
        QVERIFY(r.failures.isEmpty());
    }

    void driftStateAndMissingSitesAreFoundAndOnlyConfigHealed()
    {
        const QString a = QStringLiteral("a.example.test");
        QFile vhost(vhostPath(a));
        QVERIFY(vhost.open(QIODevice::ReadOnly));
        const QByteArray rendered = vhost.readAll();
        vhost.close();
        QVERIFY(vhost.open(QIODevice::WriteOnly | QIODevice::Truncate));
        vhost.write(
            QByteArray(rendered).replace("add_header X-Frame-Options SAMEORIGIN always;\n", ""));
        vhost.close();
        // The store says disabled; the VPS still serves it.
        QVERIFY(m_f.t->core->sites().setStatus(m_ids["b.example.test"], SiteStatus::Disabled));
        // A store site placed here that the VPS never got.
        const Id ghost = m_f.t->addSite(m_f.tenant, QStringLiteral("ghost.example.test"), m_f.vps);
        QVERIFY(m_f.t->core->sites().setStatus(ghost, SiteStatus::Active));
        m_ids.insert(QStringLiteral("ghost.example.test"), ghost);

        CoherencyReport r = check();
        QCOMPARE(kinds(r),
                 (QStringList{"a.example.test:drifted_vhost", "b.example.test:state_mismatch",
                              "ghost.example.test:missing_on_vps"}));
        QVector<Id> heal;
        for (const CoherencyFinding& f : r.findings)
            if (f.heal == QLatin1String("render"))
                heal << f.siteId;
        QCOMPARE(heal, QVector<Id>{m_ids[a]});
        auto ops = m_check->startHeal(heal);
        QVERIFY2(ops, qPrintable(ops.errorMessage()));
        QCOMPARE(waitFor(ops.value().at(0)), QStringLiteral("completed"));
        QVERIFY(vhost.open(QIODevice::ReadOnly));
        QCOMPARE(vhost.readAll(), rendered);
        vhost.close();

        r = check();
        QCOMPARE(kinds(r), (QStringList{"b.example.test:state_mismatch",
                                        "ghost.example.test:missing_on_vps"}));
        QCOMPARE(m_f.stack.get(QStringLiteral("b.example.test")).status,
                 200); // flagged, not changed
        QVERIFY(m_f.t->core->sites().setStatus(m_ids["b.example.test"], SiteStatus::Active));
    }

    void bulkActionsGiveOneRowPerSiteAndRetryOnlyTheFailed()
    {
        const QVector<Id> ab{m_ids["a.example.test"], m_ids["b.example.test"]};
        auto off = m_bulk->start({SiteBulk::Action::Disable, ab, {}, 2});
        QVERIFY2(off, qPrintable(off.errorMessage()));
        QCOMPARE(waitFor(off.value()), QStringLiteral("completed"));
        QCOMPARE(steps(off.value()).size(), 2);
        for (const char* d : {"a.example.test", "b.example.test"}) {
            QCOMPARE(m_f.stack.get(QString::fromLatin1(d)).status, 404);
            QCOMPARE(toString(m_f.t->core->sites().get(m_ids[d]).value().status),
                     QStringLiteral("disabled"));
        }
        // The ghost is not on the VPS: its row fails, the others complete.
        auto on = m_bulk->start(
            {SiteBulk::Action::Enable, ab + QVector<Id>{m_ids["ghost.example.test"]}, {}, 8});
        QVERIFY(on);
        QCOMPARE(waitFor(on.value()), QStringLiteral("failed"));
        const QVector<Operation> rows = steps(on.value());
        QCOMPARE(rows.size(), 3);
        QCOMPARE(toString(rows.at(0).status), QStringLiteral("completed"));
        QCOMPARE(toString(rows.at(1).status), QStringLiteral("completed"));
        QCOMPARE(toString(rows.at(2).status), QStringLiteral("failed"));
        QVERIFY2(rows.at(2).type.endsWith(QLatin1String("/ghost.example.test")),
                 qPrintable(rows.at(2).type));
        QVERIFY2(rows.at(2).error.contains(QLatin1String("SITE_NOT_FOUND")),
                 qPrintable(rows.at(2).error));
        QCOMPARE(m_f.stack.get(QStringLiteral("a.example.test")).status, 200);
        auto again = m_f.service->retryOperation(on.value());
        QVERIFY2(again, qPrintable(again.errorMessage()));
        QCOMPARE(waitFor(again.value()), QStringLiteral("failed"));
        QCOMPARE(steps(again.value()).size(), 1); // only the failed site ran again

        auto cache = m_bulk->start({SiteBulk::Action::CacheClear,
                                    {m_ids["a.example.test"], m_ids["c.example.test"]},
                                    {},
                                    8});
        QVERIFY(cache);
        QCOMPARE(waitFor(cache.value()), QStringLiteral("completed"));
    }

    void bulkRefusalsComeBeforeAnyRemoteCall()
    {
        const int logins = m_f.fleet.acceptedAuthCount(0);
        auto none = m_bulk->start({SiteBulk::Action::Enable, {}, {}, 8});
        QCOMPARE(none.error().code, QStringLiteral("invalid_input"));
        auto html = m_bulk->start(
            {SiteBulk::Action::Php, {m_ids["a.example.test"]}, m_f.stack.phpVersion(), 8});
        QCOMPARE(html.error().code, QStringLiteral("no_php"));
        auto noVersion = m_bulk->start({SiteBulk::Action::Php, {m_ids["c.example.test"]}, {}, 8});
        QCOMPARE(noVersion.error().code, QStringLiteral("invalid_input"));
        auto unknown = m_bulk->start({SiteBulk::Action::Enable, {999999}, {}, 8});
        QVERIFY(!unknown);
        QCOMPARE(m_f.fleet.acceptedAuthCount(0), logins);
    }
};

QTEST_GUILESS_MAIN(TestSiteCoherency)
#include "tst_sitecoherency.moc"
