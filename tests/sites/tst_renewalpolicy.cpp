// When certificates renew: a third of the lifetime before expiry (not a
// fixed number of days, so 90-, 64- and 45-day certificates all renew in
// time), a per-domain jitter that spreads renewals and stays stable,
// backoff after failures, and the sites that are never renewed.

#include "TestStore.h"
#include "inventory/SiteService.h"
#include "inventory/TenantService.h"
#include "ops/OperationKind.h"
#include "sites/RenewalPass.h"
#include "sites/RenewalPlan.h"
#include "sites/RenewalPolicy.h"
#include "store/OperationJournal.h"

#include <QDateTime>
#include <QSet>
#include <QtTest>

using namespace chom;

namespace {
constexpr qint64 kDay = 86400;
constexpr qint64 kT0 = 1'800'000'000; // an issue time

Site sslSite(const QString& domain, qint64 lifetimeDays)
{
    Site s;
    s.id = 1;
    s.vpsId = 1;
    s.domain = domain;
    s.status = SiteStatus::Active;
    s.sslEnabled = true;
    s.sslIssuedAt = kT0;
    s.sslExpiresAt = kT0 + lifetimeDays * kDay;
    return s;
}

QString verdict(const RenewalDecision& d)
{
    return RenewalPolicy::toString(d.verdict);
}
} // namespace

class TestRenewalPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aThirdOfTheLifetimeRemains_data()
    {
        QTest::addColumn<qint64>("lifetimeDays");
        QTest::newRow("90 days (today)") << qint64(90);
        QTest::newRow("64 days (2027)") << qint64(64);
        QTest::newRow("45 days (2028)") << qint64(45);
        QTest::newRow("one year") << qint64(365);
        QTest::newRow("6 days (short-lived)") << qint64(6);
    }
    void aThirdOfTheLifetimeRemains()
    {
        QFETCH(qint64, lifetimeDays);
        const Site s = sslSite(QStringLiteral("shop.example.test"), lifetimeDays);
        const qint64 lifetime = lifetimeDays * kDay;
        const qint64 due = RenewalPolicy::dueAt(s.domain, s.sslIssuedAt, s.sslExpiresAt);
        const qint64 third = s.sslExpiresAt - lifetime / 3;
        QVERIFY(due >= third);
        QVERIFY(due <= third + std::min<qint64>(lifetime / 50, kDay)); // jitter bounded
        QCOMPARE(verdict(RenewalPolicy::decide(s, true, {}, due - 1)), QStringLiteral("waiting"));
        QCOMPARE(verdict(RenewalPolicy::decide(s, true, {}, due)), QStringLiteral("due"));
        // Always well before expiry: at least a quarter of the lifetime left.
        QVERIFY(s.sslExpiresAt - due >= lifetime / 4);
    }
    void anUnknownIssueTimeAssumesNinetyDays()
    {
        Site s = sslSite(QStringLiteral("old.example.test"), 90);
        const qint64 known = RenewalPolicy::dueAt(s.domain, s.sslIssuedAt, s.sslExpiresAt);
        QCOMPARE(RenewalPolicy::dueAt(s.domain, 0, s.sslExpiresAt), known);
    }
    void jitterSpreadsDomainsAndIsStable()
    {
        QSet<qint64> dues;
        for (int i = 0; i < 200; ++i) {
            const QString d = QStringLiteral("site%1.example.test").arg(i);
            const qint64 a = RenewalPolicy::dueAt(d, kT0, kT0 + 90 * kDay);
            QCOMPARE(RenewalPolicy::dueAt(d, kT0, kT0 + 90 * kDay), a); // stable
            dues.insert(a / 3600);
        }
        QVERIFY2(dues.size() > 15, "200 sites issued together renew over many hours");
    }
    void failuresBackOffAndKeepTheMessage()
    {
        const Site s = sslSite(QStringLiteral("flaky.example.test"), 90);
        const qint64 due = RenewalPolicy::dueAt(s.domain, s.sslIssuedAt, s.sslExpiresAt);
        RenewalHistory h{1, due + 10, QStringLiteral("Detail: returned 403")};
        RenewalDecision d = RenewalPolicy::decide(s, true, h, due + 20);
        QCOMPARE(verdict(d), QStringLiteral("backing_off"));
        QCOMPARE(d.dueAt, due + 10 + 3600);
        QVERIFY(d.reason.contains(QLatin1String("returned 403")));
        QCOMPARE(verdict(RenewalPolicy::decide(s, true, h, due + 10 + 3600)),
                 QStringLiteral("due"));
        QCOMPARE(RenewalPolicy::backoff(2), qint64(7200));
        QCOMPARE(RenewalPolicy::backoff(5), qint64(16 * 3600));
        QCOMPARE(RenewalPolicy::backoff(9), qint64(86400)); // capped
        QCOMPARE(RenewalPolicy::backoff(0), qint64(0));
    }
    void anExpiredCertificateIsDueAtOnce()
    {
        const Site s = sslSite(QStringLiteral("late.example.test"), 90);
        const RenewalDecision d = RenewalPolicy::decide(s, true, {}, s.sslExpiresAt + kDay);
        QCOMPARE(verdict(d), QStringLiteral("due"));
        QCOMPARE(d.reason, QStringLiteral("expired"));
    }
    void sitesThatAreNeverRenewed_data()
    {
        QTest::addColumn<int>("change");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("disabled") << 0 << "disabled";
        QTest::newRow("suspended tenant") << 1 << "suspended";
        QTest::newRow("no SSL") << 2 << "no certificate";
        QTest::newRow("not placed") << 3 << "not placed";
        QTest::newRow("failed site") << 4 << "failed";
    }
    void sitesThatAreNeverRenewed()
    {
        QFETCH(int, change);
        QFETCH(QString, mentions);
        Site s = sslSite(QStringLiteral("skip.example.test"), 90);
        bool tenantActive = true;
        switch (change) {
        case 0:
            s.status = SiteStatus::Disabled;
            break;
        case 1:
            tenantActive = false;
            break;
        case 2:
            s.sslEnabled = false;
            break;
        case 3:
            s.vpsId = 0;
            break;
        default:
            s.status = SiteStatus::Failed;
            break;
        }
        const RenewalDecision d = RenewalPolicy::decide(s, tenantActive, {}, s.sslExpiresAt);
        QCOMPARE(verdict(d), QStringLiteral("skipped"));
        QVERIFY2(d.reason.contains(mentions), qPrintable(d.reason));
    }

    // The journal gives the history: failures since the last success.
    void historyCountsFailuresSinceTheLastSuccess()
    {
        const auto op = [](OperationStatus st, qint64 at, const char* error) {
            Operation o;
            o.status = st;
            o.completedAt = at;
            o.error = QString::fromLatin1(error);
            return o;
        };
        const RenewalHistory h = RenewalPlan::historyFrom(
            {op(OperationStatus::Failed, 300, "Detail: timeout"),
             op(OperationStatus::Cancelled, 250, ""), op(OperationStatus::Failed, 200, "older"),
             op(OperationStatus::Completed, 100, ""), op(OperationStatus::Failed, 50, "before")});
        QCOMPARE(h.failures, 2);
        QCOMPARE(h.lastFailureAt, qint64(300));
        QCOMPARE(h.lastError, QStringLiteral("Detail: timeout"));
        QCOMPARE(RenewalPlan::historyFrom({}).failures, 0);
    }
    // A pass starts the due sites, soonest expiry first, up to its limit,
    // and a failing one does not hold the others back.
    void aPassStartsTheDueOnesAndKeepsGoing()
    {
        QVector<Site> sites;
        for (int i = 0; i < 6; ++i) {
            Site s = sslSite(QStringLiteral("s%1.example.test").arg(i), 90);
            s.id = i + 1;
            s.tenantId = i == 5 ? 2 : 1;
            s.sslExpiresAt -= i * kDay; // s5 expires first
            sites << s;
        }
        sites[2].sslEnabled = false;
        const qint64 now = kT0 + 80 * kDay; // every certificate past its two-thirds
        QHash<Id, RenewalHistory> history;
        history.insert(5,
                       RenewalHistory{3, now - 60, QStringLiteral("Detail: 403")}); // backing off
        history.insert(2, RenewalHistory{1, now - 2 * 3600, QStringLiteral("old failure")});
        const QVector<RenewalRow> rows =
            RenewalPlan::plan(sites, {{1, true}, {2, false}}, history, now, 2);
        QCOMPARE(rows.size(), 5); // the site without SSL is not listed
        QStringList started, verdicts;
        for (const RenewalRow& r : rows) {
            if (r.startNow)
                started << r.site.domain;
            verdicts << r.site.domain + QLatin1Char('=') +
                            RenewalPolicy::toString(r.decision.verdict);
        }
        QCOMPARE(started, (QStringList{QStringLiteral("s3.example.test"),
                                       QStringLiteral("s1.example.test")}));
        QVERIFY(verdicts.contains(QStringLiteral("s4.example.test=backing_off")));
        QVERIFY(verdicts.contains(QStringLiteral("s5.example.test=skipped"))); // suspended tenant
        QVERIFY(verdicts.contains(QStringLiteral("s0.example.test=due")));     // next pass
    }

    // The pass reads what it decides on from the store: the SSL sites, their
    // tenants' status, and each site's failed renewals from the journal.
    void aPassReadsSitesTenantsAndHistoryFromTheStore()
    {
        test::TempCore t;
        Core& core = *t.core;
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const Id acme = t.addTenant(QStringLiteral("Acme"), QStringLiteral("enterprise"));
        const Id gone = t.addTenant(QStringLiteral("Gone"), QStringLiteral("enterprise"));
        const Id vps = t.addVps(QStringLiteral("web-1"));
        QHash<QString, Id> ids;
        for (const auto& [domain, tenant] :
             {std::pair{"due.example.test", acme}, std::pair{"failing.example.test", acme},
              std::pair{"fresh.example.test", acme}, std::pair{"suspended.example.test", gone},
              std::pair{"plain.example.test", acme}}) {
            const Id id = t.addSite(tenant, QString::fromLatin1(domain), vps);
            Site s = core.sites().get(id).value();
            s.status = SiteStatus::Active;
            s.sslEnabled = QByteArray(domain) != "plain.example.test";
            s.sslIssuedAt = now - 80 * kDay;
            s.sslExpiresAt = now + 10 * kDay;
            if (QByteArray(domain) == "fresh.example.test") {
                s.sslIssuedAt = now - kDay;
                s.sslExpiresAt = now + 89 * kDay;
            }
            QVERIFY(core.sites().update(s));
            ids.insert(QString::fromLatin1(domain), id);
        }
        QVERIFY(core.tenants().setStatus(gone, TenantStatus::Suspended));
        OperationJournal journal(core.store());
        Operation op;
        op.type = optype::kSiteSslRenew;
        op.targetType = QStringLiteral("site");
        op.targetId = ids.value(QStringLiteral("failing.example.test"));
        auto failed = journal.insert(op);
        QVERIFY(failed);
        QVERIFY(journal.markFinished(failed.value(), OperationStatus::Failed,
                                     QStringLiteral("Detail: rate limited"), {}));

        auto rows = RenewalPass::plan(core.store(), now, 10);
        QVERIFY2(rows, qPrintable(rows.errorMessage()));
        QHash<QString, RenewalRow> by;
        for (const RenewalRow& r : rows.value())
            by.insert(r.site.domain, r);
        QCOMPARE(by.size(), 4); // the site without SSL is not listed
        QCOMPARE(RenewalPolicy::toString(by["due.example.test"].decision.verdict),
                 QStringLiteral("due"));
        QVERIFY(by["due.example.test"].startNow);
        QCOMPARE(RenewalPolicy::toString(by["failing.example.test"].decision.verdict),
                 QStringLiteral("backing_off"));
        QVERIFY2(by["failing.example.test"].decision.reason.contains(QLatin1String("rate limited")),
                 qPrintable(by["failing.example.test"].decision.reason));
        QCOMPARE(RenewalPolicy::toString(by["fresh.example.test"].decision.verdict),
                 QStringLiteral("waiting"));
        QCOMPARE(RenewalPolicy::toString(by["suspended.example.test"].decision.verdict),
                 QStringLiteral("skipped"));
    }
};

QTEST_GUILESS_MAIN(TestRenewalPolicy)
#include "tst_renewalpolicy.moc"
