// What the coherency check makes of a VPS's site:audit answer against the
// store: every kind of finding from a hand-written audit (the shape the
// agent prints; tst_agentsitetypes checks the agent prints it), the heal
// offered only for configs, and the report read back from the journal.

#include "TestStore.h"
#include "ops/OperationKind.h"
#include "sites/CoherencyCheck.h"
#include "sites/CoherencyFindingModel.h"
#include "sites/SiteCoherency.h"
#include "store/OperationJournal.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace chom;

namespace {
constexpr qint64 kNow = 1'800'000'000;
constexpr qint64 kDay = 86400;

Site site(Id id, const QString& domain, SiteType type, SiteStatus status = SiteStatus::Active)
{
    Site s;
    s.id = id;
    s.vpsId = 7;
    s.domain = domain;
    s.type = type;
    s.status = status;
    return s;
}

QJsonObject row(const QString& domain, const QString& type, bool linked = true)
{
    return {{"domain", domain},
            {"type", type},
            {"php_version", "8.2"},
            {"enabled", linked},
            {"ssl", false},
            {"vhost", "same"},
            {"pool", "same"},
            {"linked", linked},
            {"user", true},
            {"database", "none"},
            {"database_user", "none"},
            {"certificate", QJsonValue()}};
}

QJsonObject certificate(const QString& name, qint64 from, qint64 to)
{
    return {{"domain", name},  {"certificate", true},       {"not_before", from},
            {"not_after", to}, {"names", QJsonArray{name}}, {"issuer", "Pebble"}};
}

QJsonObject audit(const QJsonArray& sites, const QJsonObject& unknown = {})
{
    return {{"sites", sites},
            {"count", sites.size()},
            {"unknown", unknown},
            {"invalid", QJsonArray{}},
            {"database", QJsonObject{{"checked", true}, {"message", ""}}}};
}

QStringList kinds(const QVector<CoherencyFinding>& found)
{
    QStringList out;
    for (const CoherencyFinding& f : found)
        out << f.domain + QLatin1Char(':') + f.kind;
    return out;
}

Vps vps()
{
    Vps v;
    v.id = 7;
    v.hostname = QStringLiteral("web-7");
    return v;
}
} // namespace

class TestCoherencyCheck : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void coherentSitesGiveNoFinding()
    {
        const QVector<Site> sites{site(1, "a.test", SiteType::Html),
                                  site(2, "b.test", SiteType::Php, SiteStatus::Disabled)};
        const auto found = CoherencyCheck::compare(
            vps(), sites, {}, audit({row("a.test", "html"), row("b.test", "php", false)}), kNow);
        QVERIFY2(found.isEmpty(), qPrintable(kinds(found).join(' ')));
    }

    void missingAndUnknownSites()
    {
        const QVector<Site> sites{site(1, "gone.test", SiteType::Html),
                                  site(2, "new.test", SiteType::Html, SiteStatus::Creating)};
        const auto found = CoherencyCheck::compare(
            vps(), sites, {{"moved.test", 9}},
            audit({row("stray.test", "html"), row("moved.test", "html")}), kNow);
        QCOMPARE(kinds(found), (QStringList{"gone.test:missing_on_vps", "stray.test:unknown_on_vps",
                                            "moved.test:unknown_on_vps"}));
        QCOMPARE(found.at(0).siteId, Id(1));
        QCOMPARE(found.at(0).severity, CoherencyFinding::Severity::Error);
        QCOMPARE(found.at(1).siteId, Id(0));
        QVERIFY(found.at(2).message.contains("another VPS"));
        QVERIFY(found.at(0).heal.isEmpty()); // never re-created by the check
    }

    void servedStateTypeAndPhp()
    {
        QJsonObject php = row("p.test", "php");
        php["php_version"] = "8.3";
        const QVector<Site> sites{site(1, "off.test", SiteType::Html, SiteStatus::Disabled),
                                  site(2, "on.test", SiteType::Html),
                                  site(3, "t.test", SiteType::WordPress),
                                  site(4, "p.test", SiteType::Php)};
        const auto found = CoherencyCheck::compare(
            vps(), sites, {},
            audit({row("off.test", "html", true), row("on.test", "html", false),
                   row("t.test", "html"), php}),
            kNow);
        QCOMPARE(kinds(found), (QStringList{"off.test:state_mismatch", "on.test:state_mismatch",
                                            "t.test:type_mismatch", "p.test:php_mismatch"}));
        QVERIFY(found.at(0).message.contains("still served"));
    }

    void driftedAndMissingConfigsOfferARender()
    {
        QJsonObject a = row("a.test", "php");
        a["vhost"] = "drifted";
        a["pool"] = "missing";
        a["user"] = false;
        a["database"] = "missing";
        a["database_user"] = "missing";
        const auto found = CoherencyCheck::compare(vps(), {site(1, "a.test", SiteType::Php)}, {},
                                                   audit({a}), kNow);
        QCOMPARE(kinds(found),
                 (QStringList{"a.test:drifted_vhost", "a.test:missing_pool", "a.test:missing_user",
                              "a.test:missing_database", "a.test:missing_database_user"}));
        QCOMPARE(found.at(0).heal, QStringLiteral("render"));
        QCOMPARE(found.at(1).heal, QStringLiteral("render"));
        for (int i = 2; i < found.size(); ++i)
            QVERIFY2(found.at(i).heal.isEmpty(), qPrintable(found.at(i).kind));
    }

    void certificates_data()
    {
        QTest::addColumn<QJsonValue>("cert");
        QTest::addColumn<qint64>("recordedExpiry");
        QTest::addColumn<QStringList>("expected");
        const qint64 from = kNow - 10 * kDay;
        QTest::newRow("fresh") << QJsonValue(certificate("c.test", from, from + 90 * kDay))
                               << from + 90 * kDay << QStringList{};
        QTest::newRow("a third left")
            << QJsonValue(certificate("c.test", kNow - 70 * kDay, kNow + 20 * kDay))
            << kNow + 20 * kDay << QStringList{"c.test:certificate_expiring"};
        QTest::newRow("expired") << QJsonValue(certificate("c.test", kNow - 91 * kDay, kNow - kDay))
                                 << kNow - kDay << QStringList{"c.test:certificate_expired"};
        QTest::newRow("other name") << QJsonValue(certificate("other.test", from, from + 90 * kDay))
                                    << from + 90 * kDay << QStringList{"c.test:certificate_names"};
        QTest::newRow("not the recorded one")
            << QJsonValue(certificate("c.test", from, from + 90 * kDay)) << from + 30 * kDay
            << QStringList{"c.test:certificate_unrecorded"};
        QTest::newRow("none") << QJsonValue() << from << QStringList{"c.test:certificate_missing"};
        QTest::newRow("unreadable")
            << QJsonValue(QJsonObject{{"certificate", false}, {"error", "openssl cannot read it"}})
            << from << QStringList{"c.test:certificate_missing"};
    }
    void certificates()
    {
        QFETCH(QJsonValue, cert);
        QFETCH(qint64, recordedExpiry);
        QFETCH(QStringList, expected);
        Site s = site(1, "c.test", SiteType::Html);
        s.sslEnabled = true;
        s.sslExpiresAt = recordedExpiry;
        QJsonObject a = row("c.test", "html");
        a["ssl"] = true;
        a["certificate"] = cert;
        const auto found = CoherencyCheck::compare(vps(), {s}, {}, audit({a}), kNow);
        QCOMPARE(kinds(found), expected);
    }

    void orphansAreFlaggedNeverHealed()
    {
        const QJsonObject unknown{
            {"vhosts", QJsonArray{"v.test"}},
            {"pools",
             QJsonArray{
                 QJsonObject{{"domain", "a.test"}, {"php_version", "8.3"}, {"registered", true}},
                 QJsonObject{{"domain", "z.test"}, {"php_version", "8.2"}, {"registered", false}}}},
            {"users", QJsonArray{"site-old"}},
            {"directories", QJsonArray{"old.test"}},
            {"databases", QJsonArray{"site_old"}},
            {"database_users", QJsonArray{"site_old@localhost"}}};
        QJsonObject a = audit({row("a.test", "php")}, unknown);
        a["invalid"] = QJsonArray{"bad..name"};
        a["database"] = QJsonObject{{"checked", false}, {"message", "MariaDB is down"}};
        const auto found =
            CoherencyCheck::compare(vps(), {site(1, "a.test", SiteType::Php)}, {}, a, kNow);
        QCOMPARE(kinds(found),
                 (QStringList{"v.test:orphan_vhost", "a.test:orphan_pool", "z.test:orphan_pool",
                              "site-old:orphan_user", "old.test:orphan_directory",
                              "site_old:orphan_database", "site_old@localhost:orphan_database_user",
                              "bad..name:invalid_registry_entry", ":database_unchecked"}));
        QVERIFY(found.at(1).message.contains("another PHP version"));
        QVERIFY(found.at(4).message.contains("kept"));
        QVERIFY(found.last().message.contains("MariaDB is down"));
        for (const CoherencyFinding& f : found) {
            QVERIFY(f.heal.isEmpty());
            QCOMPARE(f.siteId, Id(0));
        }
    }

    void garbageAuditGivesNoCrashAndNoFalseOrphan()
    {
        const auto found = CoherencyCheck::compare(vps(), {}, {}, QJsonObject{{"sites", 3}}, kNow);
        QVERIFY(found.isEmpty());
    }

    void findingsRoundTripThroughJson()
    {
        const CoherencyFinding f{7,         "web-7",         3,
                                 "a.test",  "drifted_vhost", CoherencyFinding::Severity::Warning,
                                 "differs", "render"};
        const CoherencyFinding g = coherencyFindingFrom(toJson(f));
        QCOMPARE(toJson(g), toJson(f));
    }

    void findingModelUnderTheTester()
    {
        CoherencyFindingModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setFindings({{7, "web-7", 3, "a.test", "drifted_vhost",
                            CoherencyFinding::Severity::Warning, "differs", "render"},
                           {7, "web-7", 0, "old.test", "orphan_directory",
                            CoherencyFinding::Severity::Info, "kept", ""}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, CoherencyFindingModel::KindColumn).data().toString(),
                 QStringLiteral("Drifted vhost"));
        QCOMPARE(model.index(0, CoherencyFindingModel::RepairColumn).data().toString(),
                 QStringLiteral("Re-render"));
        QCOMPARE(model.index(1, CoherencyFindingModel::RepairColumn).data().toString(),
                 QStringLiteral("Review"));
        QCOMPARE(model.index(0, 0).data(CoherencyFindingModel::SiteIdRole).toLongLong(), 3);
        QCOMPARE(model.index(1, 0).data(Qt::ToolTipRole).toString(), QStringLiteral("kept"));
        model.setFindings({});
        QCOMPARE(model.rowCount(), 0);
    }

    // The report is read back from the journal: the findings of the hosts
    // that answered and the reason of the ones that did not.
    void reportReadsTheLatestCheckFromTheJournal()
    {
        test::TempCore t;
        Store& store = t.core->store();
        auto none = SiteCoherency::latest(store);
        QVERIFY2(none, qPrintable(none.errorMessage()));
        QCOMPARE(none.value().operationId, Id(0));

        OperationJournal journal(store);
        Operation op;
        op.type = optype::kSitesCoherency;
        op.targetType = QStringLiteral("fleet");
        auto ids = journal.insertWithSteps(op, {QStringLiteral("web-7"), QStringLiteral("web-8")});
        QVERIFY2(ids, qPrintable(ids.errorMessage()));
        const CoherencyFinding f{7,         "web-7",         3,
                                 "a.test",  "drifted_vhost", CoherencyFinding::Severity::Warning,
                                 "differs", "render"};
        const QJsonObject out{{"vps_id", 7}, {"findings", QJsonArray{toJson(f)}}};
        QVERIFY(journal.markFinished(ids.value().second.at(0), OperationStatus::Completed, {},
                                     QString::fromUtf8(QJsonDocument(out).toJson())));
        QVERIFY(journal.markFinished(ids.value().second.at(1), OperationStatus::Failed,
                                     "ssh: connection refused", {}));
        QVERIFY(
            journal.markFinished(ids.value().first, OperationStatus::Failed, "1 host failed", {}));

        auto r = SiteCoherency::latest(store);
        QVERIFY2(r, qPrintable(r.errorMessage()));
        QCOMPARE(r.value().operationId, ids.value().first);
        QCOMPARE(toString(r.value().status), QStringLiteral("failed"));
        QCOMPARE(r.value().hostsChecked, 1);
        QCOMPARE(r.value().findings.size(), 1);
        QCOMPARE(r.value().findings.first().domain, QStringLiteral("a.test"));
        QCOMPARE(r.value().failures, QStringList{"web-8: ssh: connection refused"});
        QCOMPARE(SiteCoherency::toJson(r.value()).value("hosts_checked").toInt(), 1);
    }
};

QTEST_GUILESS_MAIN(TestCoherencyCheck)
#include "tst_coherencycheck.moc"
