// chomctl on either store backend (--store): several chomctl processes
// writing to one store at once keep its rules. Adding sites to one tenant at
// its quota never exceeds the quota, and the audit chain stays one chain, on
// SQLite (BEGIN IMMEDIATE) and on a real PostgreSQL 15 (row locks) that the
// test starts on loopback. Also: --store errors are clear and quick, and a
// role that must give a password logs in with the one "store password" saved.
#include "ChomctlFixture.h"
#include "PostgresFixture.h"

#include <QElapsedTimer>
#include <QFile>

#include <memory>
#include <vector>

using chom::test::PostgresFixture;
using chom::test::Run;

class TestChomctlStore : public chom::test::ChomctlFixture
{
    Q_OBJECT

    PostgresFixture m_pg;
    QString m_pgSkip;
    int m_databases = 0;

    // The global options that put chomctl on this test's store.
    QStringList storeArgs(const QString& backend)
    {
        QStringList args{QStringLiteral("--data-dir"), m_dir->path()};
        if (backend == QLatin1String("postgresql")) {
            const QString url = m_pg.createDatabase(QStringLiteral("cli_%1").arg(++m_databases));
            if (url.isEmpty())
                qFatal("createdb: %s", qPrintable(m_pg.error()));
            args << QStringLiteral("--store") << url;
        }
        return args;
    }

    // chomctl processes started together, each with its own arguments.
    static std::vector<Run> runTogether(const QList<QStringList>& argLists)
    {
        std::vector<std::unique_ptr<QProcess>> procs;
        for (const QStringList& args : argLists) {
            auto p = std::make_unique<QProcess>();
            p->setProcessEnvironment(headlessEnv());
            p->start(QStringLiteral(CHOMCTL_PATH), args);
            procs.push_back(std::move(p));
        }
        std::vector<Run> runs;
        for (auto& p : procs) {
            Run r;
            if (p->waitForFinished(60000) && p->exitStatus() == QProcess::NormalExit)
                r.code = p->exitCode();
            else
                p->kill();
            r.out = QString::fromUtf8(p->readAllStandardOutput());
            r.err = QString::fromUtf8(p->readAllStandardError());
            runs.push_back(r);
        }
        return runs;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!PostgresFixture::available())
            m_pgSkip = PostgresFixture::unavailableReason();
        else if (!m_pg.start())
            QFAIL(qPrintable(m_pg.error()));
    }
    void cleanupTestCase() { m_pg.stop(); }
    void init() { freshStore(); }

    void backends_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    void concurrentAddsNeverExceedTheQuota_data() { backends_data(); }
    void concurrentAddsNeverExceedTheQuota()
    {
        QFETCH(QString, backend);
        if (backend == QLatin1String("postgresql") && !m_pgSkip.isEmpty())
            QSKIP(qPrintable(m_pgSkip));
        const QStringList store = storeArgs(backend);
        const Run made = exec(
            store + QStringList{"--json", "tenants", "add", "--name", "Acme", "--tier", "starter"},
            headlessEnv());
        QVERIFY2(made.code == 0, qPrintable(made.describe()));
        const QString tenant = QString::number(made.object().value("id").toInteger());
        const int quota = made.object().value("max_sites").toInt();
        QCOMPARE(quota, 5);

        // Three rounds of twelve writers racing for the last free slots.
        constexpr int kWriters = 12;
        int added = 0;
        for (int round = 0; round < 3; ++round) {
            QList<QStringList> adds;
            for (int i = 0; i < kWriters; ++i)
                adds << store +
                            QStringList{"sites",
                                        "add",
                                        "--tenant",
                                        tenant,
                                        "--domain",
                                        QStringLiteral("r%1-s%2.example.com").arg(round).arg(i)};
            for (const Run& r : runTogether(adds)) {
                if (r.code == 0) {
                    ++added;
                    continue;
                }
                // Refused by the quota, in one clear line; never a store error.
                QVERIFY2(r.code == 5 && r.isOneLineError(), qPrintable(r.describe()));
                QVERIFY2(r.err.contains(QLatin1String("quota"), Qt::CaseInsensitive) ||
                             r.err.contains(QLatin1String("limit"), Qt::CaseInsensitive),
                         qPrintable(r.describe()));
            }
        }
        QCOMPARE(added, quota);
        const Run list =
            exec(store + QStringList{"--json", "sites", "list", "--tenant", tenant}, headlessEnv());
        QVERIFY2(list.code == 0, qPrintable(list.describe()));
        QCOMPARE(list.array().size(), quota);
        const Run show =
            exec(store + QStringList{"--json", "tenants", "show", tenant}, headlessEnv());
        QCOMPARE(show.object().value("site_count").toInt(), quota);

        // Every writer appended to one chain: verify walks it end to end.
        const Run verify = exec(store + QStringList{"audit", "verify"}, headlessEnv());
        QVERIFY2(verify.code == 0, qPrintable(verify.describe()));
        const Run audit =
            exec(store + QStringList{"--json", "audit", "list", "--limit", "100"}, headlessEnv());
        int created = 0;
        for (const QJsonValue v : audit.array())
            created += v.toObject().value("action").toString() == QLatin1String("site.created");
        QCOMPARE(created, quota);
    }

    void storeOptionErrors()
    {
        const Run scheme =
            exec({"--store", "mysql://chom@127.0.0.1/x", "tenants", "list"}, headlessEnv());
        QCOMPARE(scheme.code, 2);
        QVERIFY2(scheme.isOneLineError(), qPrintable(scheme.describe()));
        const Run password = exec(
            {"--store", "postgresql://chom:secret@127.0.0.1/x", "tenants", "list"}, headlessEnv());
        QCOMPARE(password.code, 2);
        QVERIFY(password.err.contains(QLatin1String("PGPASSFILE")));
        QVERIFY(!password.err.contains(QLatin1String("secret")));
        // Nothing listens on port 1: a store error at once, not a hang.
        QElapsedTimer clock;
        clock.start();
        const Run dead =
            exec({"--store", "postgresql://chom@127.0.0.1:1/x", "tenants", "list"}, headlessEnv());
        QCOMPARE(dead.code, 4);
        QVERIFY2(dead.isOneLineError(), qPrintable(dead.describe()));
        QVERIFY(clock.elapsed() < 30000);
    }

    // The same store through CHOM_STORE, as a team sets it once per shell.
    void savedPasswordLogsIn()
    {
        if (!m_pgSkip.isEmpty())
            QSKIP(qPrintable(m_pgSkip));
        const QString url =
            m_pg.createPasswordRole(QStringLiteral("cli_keeper"), QStringLiteral("s3cret pass"));
        QVERIFY2(!url.isEmpty(), qPrintable(m_pg.error()));
        const QString passFile = m_dir->filePath(QStringLiteral("master"));
        QFile f(passFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("master passphrase\n");
        f.close();
        QProcessEnvironment env = headlessEnv();
        env.insert(QStringLiteral("CHOM_SECRETS_BACKEND"), QStringLiteral("file"));
        env.insert(QStringLiteral("PGPASSFILE"), m_dir->filePath(QStringLiteral("no-pgpass")));
        const QStringList store{QStringLiteral("--data-dir"),        m_dir->path(),
                                QStringLiteral("--passphrase-file"), passFile,
                                QStringLiteral("--store"),           url};
        const QStringList list = store + QStringList{"tenants", "list"};

        // None saved: refused, with both ways to give one.
        Run r = exec(list, env);
        QVERIFY2(r.code == 4 && r.isOneLineError(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QLatin1String("PGPASSFILE")) &&
                     r.err.contains(QLatin1String("store password")),
                 qPrintable(r.describe()));

        // A password the server refuses is not saved.
        r = exec(store + QStringList{"store", "password"}, env, "wrong\n");
        QVERIFY2(r.code == 4 && r.isOneLineError(), qPrintable(r.describe()));
        QVERIFY2(r.err.contains(QLatin1String("Nothing was saved")), qPrintable(r.describe()));
        QVERIFY(!QFile::exists(m_dir->filePath(QStringLiteral("secrets.json"))));

        // The right one from stdin (never argv): saved, and then used.
        r = exec(store + QStringList{"--json", "store", "password"}, env, "s3cret pass\n");
        QVERIFY2(r.code == 0, qPrintable(r.describe()));
        QCOMPARE(r.object().value(QStringLiteral("backend")).toString(),
                 QStringLiteral("encrypted-file"));
        QFile secrets(m_dir->filePath(QStringLiteral("secrets.json")));
        QVERIFY(secrets.open(QIODevice::ReadOnly));
        QVERIFY(!secrets.readAll().contains("s3cret")); // sealed, not in clear
        CHECK_OK(exec(store + QStringList{"tenants", "add", "--name", "Keyed"}, env));
        r = exec(store + QStringList{"--json", "tenants", "list"}, env);
        QVERIFY2(r.code == 0 && r.array().size() == 1, qPrintable(r.describe()));

        // A wrong master passphrase cannot read it.
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("not the master\n");
        f.close();
        r = exec(list, env);
        QVERIFY2(r.code != 0 && r.isOneLineError(), qPrintable(r.describe()));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("master passphrase\n");
        f.close();

        // Forgotten: refused again; forgetting twice says none is saved.
        CHECK_OK(exec(store + QStringList{"store", "forget-password"}, env));
        r = exec(list, env);
        QVERIFY2(r.code == 4 && r.err.contains(QLatin1String("none is saved")),
                 qPrintable(r.describe()));
        CHECK_FAILS(exec(store + QStringList{"store", "forget-password"}, env), 3);
        // The SQLite file has no password to save.
        CHECK_FAILS(exec({"--data-dir", m_dir->path(), "store", "password"}, env, "x\n"), 2);
    }

    void storeFromTheEnvironment()
    {
        if (!m_pgSkip.isEmpty())
            QSKIP(qPrintable(m_pgSkip));
        const QString url = m_pg.createDatabase(QStringLiteral("cli_env"));
        QVERIFY2(!url.isEmpty(), qPrintable(m_pg.error()));
        QProcessEnvironment env = headlessEnv();
        env.insert(QStringLiteral("CHOM_STORE"), url);
        const QStringList dir{QStringLiteral("--data-dir"), m_dir->path()};
        QCOMPARE(exec(dir + QStringList{"tenants", "add", "--name", "Env"}, env).code, 0);
        const Run viaUrl =
            exec(dir + QStringList{"--store", url, "--json", "tenants", "list"}, headlessEnv());
        QCOMPARE(viaUrl.array().size(), 1);
        // The local SQLite file in the data directory was never written.
        QVERIFY(!QFile::exists(storePath()));
    }
};

QTEST_GUILESS_MAIN(TestChomctlStore)
#include "tst_chomctl_store.moc"
