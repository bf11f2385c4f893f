// chomctl end to end, operations: help and version without a display, usage
// and exit codes, JSON output, stats, audit verification and demo data.

#include "ChomctlFixture.h"
#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "store/OperationJournal.h"
#include "store/Sql.h"

#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>

using chom::test::ChomctlFixture;
using chom::test::Run;

namespace {

// One step that waits (up to 30 s) for its cancel flag; *sawCancel records it.
chom::Recipe longRecipe(std::atomic<bool>* sawCancel)
{
    chom::Recipe r;
    r.type = QStringLiteral("test.long");
    r.targetType = QStringLiteral("fleet");
    r.steps << chom::Step{QStringLiteral("wait"),
                          [sawCancel](chom::StepContext& ctx) {
                              QElapsedTimer t;
                              t.start();
                              while (!ctx.cancelled() && t.elapsed() < 30000)
                                  QThread::msleep(10);
                              *sawCancel = ctx.cancelled();
                              return chom::StepOutcome::failure(QStringLiteral("stopped"));
                          },
                          60000};
    return r;
}

} // namespace

class TestChomctlOps : public ChomctlFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        freshStore();
        QVERIFY(storeDirValid());
    }

    void versionAndHelpWithoutDisplay()
    {
        QTemporaryDir home;
        QProcessEnvironment env = headlessEnv();
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
        QVERIFY(!env.contains(QStringLiteral("QT_QPA_PLATFORM")));
        QVERIFY(!env.contains(QStringLiteral("DISPLAY")));

        const Run version = exec({QStringLiteral("--version")}, env);
        CHECK_OK(version);
        QVERIFY2(version.out.startsWith(QLatin1String("chomctl 0.")), qPrintable(version.out));

        const Run help = exec({QStringLiteral("--help")}, env);
        CHECK_OK(help);
        for (const char* word : {"tenants", "vps", "sites", "stats", "audit", "demo", "--data-dir",
                                 "--json", "--demo-sites", "Exit codes"})
            QVERIFY2(help.out.contains(QLatin1String(word)), word);

        const Run topic = exec({QStringLiteral("help"), QStringLiteral("sites")}, env);
        CHECK_OK(topic);
        QVERIFY(topic.out.contains(QLatin1String("chomctl sites add --tenant ID --domain DOMAIN")));
        const Run flag = exec({QStringLiteral("vps"), QStringLiteral("--help")}, env);
        CHECK_OK(flag);
        QVERIFY(flag.out.contains(QLatin1String("chomctl vps add --hostname")));
        // Neither touched a store.
        QVERIFY(!QFile::exists(home.path() + QStringLiteral("/chom-console")));
    }

    void usageErrors()
    {
        CHECK_FAILS(run({}), 2);
        CHECK_FAILS(run({QStringLiteral("frobnicate")}), 2);
        QVERIFY(!QFile::exists(storePath())); // refused before opening the store
        CHECK_FAILS(run({QStringLiteral("help"), QStringLiteral("frobnicate")}), 2);
        CHECK_FAILS(run({QStringLiteral("tenants"), QStringLiteral("frobnicate")}), 2);
        CHECK_FAILS(run({QStringLiteral("tenants"), QStringLiteral("add")}), 2);
        CHECK_FAILS(
            run({QStringLiteral("tenants"), QStringLiteral("add"), QStringLiteral("--name")}), 2);
        CHECK_FAILS(
            run({QStringLiteral("sites"), QStringLiteral("list"), QStringLiteral("--bogus")}), 2);
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("list"), QStringLiteral("--limit"),
                         QStringLiteral("many")}),
                    2);
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("list"),
                         QStringLiteral("--status"), QStringLiteral("sleeping")}),
                    2);
        CHECK_FAILS(run({QStringLiteral("--demo-sites"), QStringLiteral("abc")}), 2);
        CHECK_FAILS(run({QStringLiteral("audit")}), 2);
        // Not found is its own code, for IDs, slugs, host names and domains.
        CHECK_FAILS(run({QStringLiteral("tenants"), QStringLiteral("show"), QStringLiteral("999")}),
                    3);
        CHECK_FAILS(
            run({QStringLiteral("tenants"), QStringLiteral("show"), QStringLiteral("nobody")}), 3);
        CHECK_FAILS(
            run({QStringLiteral("vps"), QStringLiteral("show"), QStringLiteral("ghost.example")}),
            3);
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("show"),
                         QStringLiteral("nope.example.com")}),
                    3);
        // A store that cannot be created is a store error.
        QFile blocker(m_dir->path() + QStringLiteral("/file"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const Run store =
            exec({QStringLiteral("--data-dir"), blocker.fileName() + QStringLiteral("/sub"),
                  QStringLiteral("stats")},
                 headlessEnv());
        CHECK_FAILS(store, 4);
    }

    void jsonOutputsParse()
    {
        const qint64 t = addTenant(QStringLiteral("Jason"));
        const qint64 vps =
            addVps(QStringLiteral("json-1.example.net"), QStringLiteral("192.0.2.30"));
        const qint64 site = addSite(t, QStringLiteral("json.example.com"),
                                    {QStringLiteral("--vps"), QString::number(vps)});
        QVERIFY(t > 0 && vps > 0 && site > 0);
        const QList<QStringList> arrays{{QStringLiteral("tenants"), QStringLiteral("list")},
                                        {QStringLiteral("vps"), QStringLiteral("list")},
                                        {QStringLiteral("sites"), QStringLiteral("list")},
                                        {QStringLiteral("audit"), QStringLiteral("list")}};
        for (const QStringList& args : arrays) {
            const Run r = runJson(args);
            CHECK_OK(r);
            QJsonParseError e{};
            const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &e);
            QVERIFY2(e.error == QJsonParseError::NoError && doc.isArray(),
                     qPrintable(r.describe()));
            QVERIFY(!doc.array().isEmpty());
        }
        const QList<QStringList> objects{
            {QStringLiteral("tenants"), QStringLiteral("show"), QString::number(t)},
            {QStringLiteral("vps"), QStringLiteral("show"), QString::number(vps)},
            {QStringLiteral("sites"), QStringLiteral("show"), QString::number(site)},
            {QStringLiteral("stats")},
            {QStringLiteral("stats"), QStringLiteral("--tenant"), QString::number(t)},
            {QStringLiteral("audit"), QStringLiteral("verify")}};
        for (const QStringList& args : objects) {
            const Run r = runJson(args);
            CHECK_OK(r);
            QJsonParseError e{};
            const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &e);
            QVERIFY2(e.error == QJsonParseError::NoError && doc.isObject(),
                     qPrintable(r.describe()));
        }
        const QJsonObject siteJson = runJson({QStringLiteral("sites"), QStringLiteral("show"),
                                              QStringLiteral("json.example.com")})
                                         .object();
        QCOMPARE(siteJson.value(QStringLiteral("vps_id")).toInteger(), vps);
        QCOMPARE(siteJson.value(QStringLiteral("tenant_id")).toInteger(), t);
        // --json is accepted after the command too; errors stay off stdout.
        CHECK_OK(run({QStringLiteral("sites"), QStringLiteral("list"), QStringLiteral("--json")}));
        CHECK_FAILS(
            runJson({QStringLiteral("sites"), QStringLiteral("show"), QStringLiteral("999")}), 3);
    }

    void statsMatchAfterAdds()
    {
        QCOMPARE(stats().value(QStringLiteral("total_sites")).toInteger(), 0);
        const qint64 a = addTenant(QStringLiteral("Counted"), QStringLiteral("pro"));
        const qint64 b = addTenant(QStringLiteral("Other"), QStringLiteral("enterprise"));
        const QStringList active{QStringLiteral("--status"), QStringLiteral("active"),
                                 QStringLiteral("--storage-mb"), QStringLiteral("100")};
        for (int i = 0; i < 4; ++i)
            QVERIFY(addSite(a, QStringLiteral("a%1.example.com").arg(i), active) > 0);
        QVERIFY(addSite(a, QStringLiteral("a-new.example.com")) > 0);
        QVERIFY(addSite(b, QStringLiteral("b1.example.com"),
                        {QStringLiteral("--ssl-expires"), QStringLiteral("+3d")}) > 0);
        QVERIFY(addSite(b, QStringLiteral("b2.example.com"),
                        {QStringLiteral("--ssl-expires"), QStringLiteral("+90d")}) > 0);

        QJsonObject s = stats();
        QCOMPARE(s.value(QStringLiteral("total_sites")).toInteger(), 7);
        QCOMPARE(s.value(QStringLiteral("active_sites")).toInteger(), 4);
        QCOMPARE(s.value(QStringLiteral("storage_used_mb")).toInteger(), 400);
        QCOMPARE(s.value(QStringLiteral("ssl_expiring_soon")).toInteger(), 1);
        const QJsonObject byStatus = s.value(QStringLiteral("sites_by_status")).toObject();
        QCOMPARE(byStatus.value(QStringLiteral("active")).toInteger(), 4);
        QCOMPARE(byStatus.value(QStringLiteral("creating")).toInteger(), 3);
        QCOMPARE(byStatus.value(QStringLiteral("disabled")).toInteger(), 0);

        const QJsonObject perTenant = stats({QStringLiteral("--tenant"), QString::number(b)});
        QCOMPARE(perTenant.value(QStringLiteral("total_sites")).toInteger(), 2);
        QCOMPARE(perTenant.value(QStringLiteral("ssl_expiring_soon")).toInteger(), 1);

        CHECK_OK(run(
            {QStringLiteral("sites"), QStringLiteral("delete"), QStringLiteral("a0.example.com")}));
        s = stats();
        QCOMPARE(s.value(QStringLiteral("total_sites")).toInteger(), 6);
        QCOMPARE(s.value(QStringLiteral("active_sites")).toInteger(), 3);

        const Run text = run({QStringLiteral("stats")});
        CHECK_OK(text);
        QVERIFY(text.out.contains(QRegularExpression(QStringLiteral("Sites:\\s+6\\n"))));
        QVERIFY(text.out.contains(QLatin1String("SSL expiring (14 days)")));
    }

    // The renewal verdicts the console's hourly pass works from, read-only
    // here (no SSH): due when a third of the lifetime is left, waiting
    // otherwise, skipped for a disabled site.
    void renewalsListEachSslSitesVerdict()
    {
        const qint64 t = addTenant(QStringLiteral("Renewing"), QStringLiteral("enterprise"));
        const qint64 vps =
            addVps(QStringLiteral("renew-1.example.net"), QStringLiteral("192.0.2.31"));
        const QStringList active{QStringLiteral("--status"), QStringLiteral("active"),
                                 QStringLiteral("--vps"), QString::number(vps)};
        QVERIFY(addSite(t, QStringLiteral("soon.renew.test"),
                        active + QStringList{QStringLiteral("--ssl-expires"),
                                             QStringLiteral("+3d")}) > 0);
        QVERIFY(addSite(t, QStringLiteral("later.renew.test"),
                        active + QStringList{QStringLiteral("--ssl-expires"),
                                             QStringLiteral("+89d")}) > 0);
        QVERIFY(addSite(t, QStringLiteral("off.renew.test"),
                        {QStringLiteral("--status"), QStringLiteral("disabled"),
                         QStringLiteral("--vps"), QString::number(vps),
                         QStringLiteral("--ssl-expires"), QStringLiteral("+3d")}) > 0);
        QVERIFY(addSite(t, QStringLiteral("plain.renew.test"), active) > 0);
        const Run r = runJson({QStringLiteral("sites"), QStringLiteral("renewals")});
        CHECK_OK(r);
        QHash<QString, QString> verdicts;
        for (const QJsonValue& v : r.array())
            verdicts.insert(v.toObject().value("domain").toString(),
                            v.toObject().value("verdict").toString());
        QCOMPARE(verdicts.value("soon.renew.test"), QStringLiteral("due"));
        QCOMPARE(verdicts.value("later.renew.test"), QStringLiteral("waiting"));
        QCOMPARE(verdicts.value("off.renew.test"), QStringLiteral("skipped"));
        QVERIFY(!verdicts.contains("plain.renew.test"));
        const Run text = run({QStringLiteral("sites"), QStringLiteral("renewals")});
        CHECK_OK(text);
        QVERIFY2(text.out.contains(QLatin1String("VERDICT")), qPrintable(text.out));
    }

    void auditVerifyDetectsTampering()
    {
        const qint64 t = addTenant(QStringLiteral("Audited"));
        QVERIFY(addSite(t, QStringLiteral("audit.example.com")) > 0);
        CHECK_OK(run({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(t),
                      QStringLiteral("--name"), QStringLiteral("Audited Ltd")}));

        const Run list = runJson({QStringLiteral("audit"), QStringLiteral("list")});
        CHECK_OK(list);
        QCOMPARE(list.array().size(), 3);
        QCOMPARE(list.array().at(0).toObject().value(QStringLiteral("action")).toString(),
                 QStringLiteral("tenant.updated"));

        const Run good = run({QStringLiteral("audit"), QStringLiteral("verify")});
        CHECK_OK(good);
        QCOMPARE(good.out.trimmed(), QStringLiteral("audit chain intact (3 entries)"));

        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("tamper"));
            db.setDatabaseName(storePath());
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("UPDATE audit_log SET details='x' WHERE id=2")));
            QCOMPARE(q.numRowsAffected(), 1);
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("tamper"));

        const Run bad = run({QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.out.contains(QLatin1String("entry #2")), qPrintable(bad.describe()));
        const QStringList errLines = bad.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(errLines.size(), 1);
        QVERIFY2(errLines.first().startsWith(QLatin1String("chomctl: ")) &&
                     errLines.first().contains(QLatin1String("entry #2")),
                 qPrintable(bad.err));

        const Run badJson = runJson({QStringLiteral("audit"), QStringLiteral("verify")});
        QCOMPARE(badJson.code, 1);
        QCOMPARE(badJson.object().value(QStringLiteral("ok")).toBool(true), false);
        QVERIFY(badJson.object()
                    .value(QStringLiteral("problems"))
                    .toArray()
                    .at(0)
                    .toString()
                    .contains(QLatin1String("#2")));
    }

    void demoFillsOnlyAnEmptyStore()
    {
        const Run demo =
            run({QStringLiteral("--demo"), QStringLiteral("--demo-sites"), QStringLiteral("1000")});
        CHECK_OK(demo);
        QVERIFY2(demo.out.contains(QLatin1String("1000")), qPrintable(demo.out));
        const QJsonObject s = stats();
        QCOMPARE(s.value(QStringLiteral("total_sites")).toInteger(), 1000);
        qint64 sum = 0;
        const QJsonObject byStatus = s.value(QStringLiteral("sites_by_status")).toObject();
        for (auto it = byStatus.begin(); it != byStatus.end(); ++it)
            sum += it.value().toInteger();
        QCOMPARE(sum, 1000);
        QVERIFY(!s.value(QStringLiteral("recent_operations")).toArray().isEmpty());
        QCOMPARE(runJson({QStringLiteral("sites"), QStringLiteral("list"),
                          QStringLiteral("--limit"), QStringLiteral("25")})
                     .array()
                     .size(),
                 25);
        // The demo fleet passes its own audit check and respects quotas.
        CHECK_OK(run({QStringLiteral("audit"), QStringLiteral("verify")}));
        const QJsonArray tenants =
            runJson({QStringLiteral("tenants"), QStringLiteral("list")}).array();
        QVERIFY(!tenants.isEmpty());
        for (const QJsonValue& v : tenants) {
            const QJsonObject t = v.toObject();
            const int max = t.value(QStringLiteral("max_sites")).toInt();
            QVERIFY(max < 0 || t.value(QStringLiteral("site_count")).toInt() <= max);
        }

        // A second --demo leaves the store as it is and says why.
        for (const QStringList& again :
             {QStringList{QStringLiteral("--demo")},
              QStringList{QStringLiteral("demo"), QStringLiteral("--sites"), QStringLiteral("10")},
              QStringList{QStringLiteral("--demo"), QStringLiteral("stats")}}) {
            const Run r = run(again);
            CHECK_FAILS(r, 5);
            QVERIFY2(r.err.contains(QLatin1String("already holds data")), qPrintable(r.err));
        }
        QCOMPARE(stats().value(QStringLiteral("total_sites")).toInteger(), 1000);
    }

    // This test process plays the console: its runner owns the operations,
    // the real chomctl cancels them through the store.
    void cancelAcrossProcesses()
    {
        auto core = chom::Core::open(chom::sqliteConfigFor(m_dir->path()));
        QVERIFY2(core.ok(), qPrintable(core.errorMessage()));
        chom::OperationJournal journal(core.value()->store());
        chom::OperationRunner runner(core.value()->store());
        std::atomic<bool> saw{false}, saw2{false};
        const chom::Id id = runner.start(longRecipe(&saw)).value();
        const QString ids = QString::number(id);

        const Run r = run({QStringLiteral("ops"), QStringLiteral("cancel"), ids});
        CHECK_OK(r);
        QVERIFY2(r.out.contains(QStringLiteral("Operation #%1 cancelled").arg(id)),
                 qPrintable(r.out));
        QVERIFY(runner.waitForFinished(id, 5000));
        QVERIFY(saw.load());
        QCOMPARE(chom::toString(journal.get(id).value().status), QStringLiteral("cancelled"));

        // Finished: invalid state (5); unknown: not found (3).
        const Run late = run({QStringLiteral("ops"), QStringLiteral("cancel"), ids});
        CHECK_FAILS(late, 5);
        QVERIFY2(late.err.contains(QLatin1String("already cancelled")), qPrintable(late.err));
        CHECK_FAILS(run({QStringLiteral("ops"), QStringLiteral("cancel"), QStringLiteral("99999")}),
                    3);

        // --no-wait --json answers at once; the runner still cancels.
        const chom::Id id2 = runner.start(longRecipe(&saw2)).value();
        const Run now = runJson({QStringLiteral("ops"), QStringLiteral("cancel"),
                                 QString::number(id2), QStringLiteral("--no-wait")});
        CHECK_OK(now);
        QCOMPARE(now.object().value(QStringLiteral("id")).toInteger(), id2);
        QVERIFY(now.object().value(QStringLiteral("cancel_requested")).toBool());
        QVERIFY(runner.waitForFinished(id2, 5000));
        QVERIFY(saw2.load());

        // The owning process is gone: said so, no waiting.
        chom::Operation op;
        op.type = QStringLiteral("vps.sweep");
        op.status = chom::OperationStatus::Running;
        const chom::Id orphan = journal.insert(op).value();
        QVERIFY(chom::execSql(
                    core.value()->store().db(),
                    QStringLiteral("UPDATE operations SET owner = ? WHERE id = ?"),
                    {QString(QSysInfo::machineHostName() + QStringLiteral(":999999999")), orphan})
                    .ok());
        const Run dead =
            run({QStringLiteral("ops"), QStringLiteral("cancel"), QString::number(orphan)});
        CHECK_FAILS(dead, 5);
        QVERIFY2(dead.err.contains(QLatin1String("is gone")), qPrintable(dead.err));

        // Another workstation's run that never answers: the wait times out (1).
        const chom::Id remote = journal.insert(op).value();
        QVERIFY(chom::execSql(core.value()->store().db(),
                              QStringLiteral("UPDATE operations SET owner = ? WHERE id = ?"),
                              {QStringLiteral("elsewhere.example:4242"), remote})
                    .ok());
        const Run slow =
            run({QStringLiteral("ops"), QStringLiteral("cancel"), QString::number(remote),
                 QStringLiteral("--timeout"), QStringLiteral("1")});
        CHECK_FAILS(slow, 1);
        QVERIFY2(slow.err.contains(QLatin1String("elsewhere.example:4242 has not stopped it")),
                 qPrintable(slow.err));
    }

    void demoFlagThenCommand()
    {
        const Run r = runJson(
            {QStringLiteral("--demo-sites"), QStringLiteral("50"), QStringLiteral("stats")});
        CHECK_OK(r);
        QCOMPARE(r.object().value(QStringLiteral("total_sites")).toInteger(), 50);
    }
};

QTEST_GUILESS_MAIN(TestChomctlOps)
#include "tst_chomctl_ops.moc"
