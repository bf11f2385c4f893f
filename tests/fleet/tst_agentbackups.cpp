// The agent's backups on restic against a real nginx, PHP-FPM and MariaDB of
// the test's own (tests/support/WebStack: 127.0.0.1:18096, MariaDB on
// 127.0.0.1:18314) and a real restic repository in the stack's sandbox:
// the password only on stdin, one snapshot holding the consistent dump, the
// manifest and the files, a portable export the console's archive check
// accepts, no snapshot when the dump fails, list, verify,
// retention and delete, a wrong password, and stale locks removed only when
// their process is gone.

#include "AgentProcess.h"
#include "WebStack.h"
#include "backups/ArchiveInspector.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using chom::test::AgentReply;
using chom::test::WebStack;

namespace {
const QString kPassword = QStringLiteral("correct horse battery staple");
}

class TestAgentBackups : public QObject
{
    Q_OBJECT
    WebStack m_stack;
    QTemporaryDir m_tmp;
    const QString m_site = QStringLiteral("bk.example.test");

    AgentReply agent(const QStringList& args) { return chom::test::runAgent(m_stack.root(), args); }
    AgentReply secret(const QStringList& args, const QString& fail = {})
    {
        QStringList withPassword{args.value(0), kPassword};
        withPassword += args.mid(1);
        return chom::test::runAgentStdin(m_stack.root(), withPassword, fail);
    }
    QString repository() const
    {
        return m_stack.root() + QStringLiteral("/var/backups/chom/restic");
    }
    // restic itself on the repository (the test's own view of what is there).
    QByteArray restic(const QStringList& args, int* exitCode = nullptr)
    {
        QProcess p;
        p.start(QStringLiteral("restic"),
                QStringList{QStringLiteral("--repo"), repository(),
                            QStringLiteral("--password-file"), m_tmp.filePath(QStringLiteral("pw")),
                            QStringLiteral("--no-cache")} +
                    args);
        p.waitForFinished(120000);
        if (exitCode)
            *exitCode = p.exitCode();
        return p.readAllStandardOutput();
    }
    QJsonArray snapshots()
    {
        const AgentReply r = secret({QStringLiteral("backup:list"), m_site});
        return r.data()[QLatin1String("snapshots")].toArray();
    }
    QString stage() const
    {
        return m_stack.root() + QStringLiteral("/var/backups/chom/staging/") + m_site;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why = WebStack::unavailableReason();
        if (why.isEmpty())
            why = WebStack::databaseUnavailableReason();
        if (why.isEmpty() && QStandardPaths::findExecutable(QStringLiteral("restic")).isEmpty())
            why = QStringLiteral("restic is not installed (scripts/install-deps.sh test)");
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY(chom::test::writeFile(m_tmp.filePath(QStringLiteral("pw")), kPassword.toUtf8()));
        m_stack.setDatabasePort(18314);
        QVERIFY2(m_stack.start(18096), qPrintable(m_stack.error()));
        const AgentReply c = agent(
            {QStringLiteral("site:create"), m_site, QStringLiteral("php"), m_stack.phpVersion()});
        QVERIFY2(c.ok(), qPrintable(c.describe()));
        m_stack.sql(QStringLiteral("CREATE TABLE chomt_bk_example_test.posts (id INT PRIMARY KEY, "
                                   "title TEXT); INSERT INTO chomt_bk_example_test.posts VALUES "
                                   "(1, 'hello');"));
        QCOMPARE(
            m_stack.sql(QStringLiteral("SELECT title FROM chomt_bk_example_test.posts;")).trimmed(),
            QStringLiteral("hello"));
    }
    void cleanupTestCase()
    {
        agent({QStringLiteral("site:delete"), m_site});
        const QStringList left =
            WebStack::siteUsers() + m_stack.siteDatabases() + m_stack.siteDatabaseUsers();
        m_stack.stop();
        QCOMPARE(left, QStringList());
    }

    void thePasswordNeverComesOnTheCommandLine()
    {
        const AgentReply r = agent({QStringLiteral("backup:list"), kPassword});
        QCOMPARE(r.code(), QStringLiteral("PASSWORD_ON_ARGV"));
        QVERIFY(!QFileInfo::exists(repository() + QStringLiteral("/config"))); // nothing made
    }

    void oneSnapshotHoldsTheDumpTheManifestAndTheFiles()
    {
        const AgentReply r = secret({QStringLiteral("backup:create"), m_site, QStringLiteral("b-1"),
                                     QStringLiteral("full")});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        const QJsonObject manifest = r.data()[QLatin1String("manifest")].toObject();
        QCOMPARE(manifest["site_domain"].toString(), m_site);
        QCOMPARE(manifest["format_version"].toInt(), 1);
        QCOMPARE(manifest["backup_id"].toString(), QStringLiteral("b-1"));
        QCOMPARE(manifest["site_type"].toString(), QStringLiteral("php"));
        QCOMPARE(manifest["database_sha256"].toString().size(), 64);
        QVERIFY(manifest["file_count"].toInt() > 0);
        QVERIFY(!manifest["restic_version"].toString().isEmpty());
        const QString id = r.data()[QLatin1String("summary")].toObject()["snapshot_id"].toString();
        QVERIFY(!id.isEmpty());
        const QByteArray listing = restic({QStringLiteral("ls"), id});
        QVERIFY2(listing.contains("/database.sql") && listing.contains("/manifest.json") &&
                     listing.contains("/bk.example.test/.env"),
                 listing.right(1500).constData());
        const QByteArray dump = restic({QStringLiteral("dump"), id, stage() + "/database.sql"});
        QVERIFY2(dump.contains("hello"), dump.left(400).constData());
        QCOMPARE(QCryptographicHash::hash(dump, QCryptographicHash::Sha256).toHex(),
                 manifest["database_sha256"].toString().toLatin1());
        QVERIFY(!QFileInfo::exists(stage())); // staging removed
        const QJsonArray list = snapshots();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.at(0).toObject()["backup_id"].toString(), QStringLiteral("b-1"));
        QCOMPARE(list.at(0).toObject()["type"].toString(), QStringLiteral("full"));
    }

    // backup:export stages a portable archive that the console's own check
    // accepts: manifest first with every member, the dump, the files.
    void anExportIsAnArchiveTheConsoleAccepts()
    {
        const QJsonArray list = snapshots();
        QVERIFY(!list.isEmpty());
        const QString snap = list.at(0).toObject()["snapshot_id"].toString();
        const AgentReply r = secret({QStringLiteral("backup:export"), snap});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        const QString path = m_stack.root() + r.data()[QLatin1String("path")].toString();
        QVERIFY2(QFileInfo(path).isFile(), qPrintable(path));
        QCOMPARE(QFileInfo(path).size(), r.data()[QLatin1String("size_bytes")].toInteger());
        const auto summary = chom::ArchiveInspector().inspect(path);
        QVERIFY2(summary, qPrintable(summary.errorMessage()));
        QCOMPARE(summary.value().manifest.siteDomain, m_site);
        QVERIFY(summary.value().hasDatabase);
        QVERIFY(summary.value().fileCount > 0);
        QCOMPARE(summary.value().manifest.members.size(), summary.value().fileCount + 1);
        QVERIFY(!QFileInfo::exists(m_stack.root() +
                                   QStringLiteral("/var/backups/chom/staging/export-") + snap));
        QVERIFY(agent({QStringLiteral("backup:export-remove"), snap}).ok());
        QVERIFY(!QFileInfo::exists(path));
    }

    // A dump that fails (the site's database user is gone) leaves no
    // snapshot and no staging behind, and says why.
    void aFailedDumpGivesNoSnapshot()
    {
        const int before = snapshots().size();
        m_stack.sql(QStringLiteral("RENAME USER 'chomt_bk_example_test'@'127.0.0.1' TO "
                                   "'chomt_bk_gone'@'127.0.0.1';"));
        const auto restore = qScopeGuard([&] {
            m_stack.sql(QStringLiteral("RENAME USER 'chomt_bk_gone'@'127.0.0.1' TO "
                                       "'chomt_bk_example_test'@'127.0.0.1';"));
        });
        const AgentReply r = secret({QStringLiteral("backup:create"), m_site, QStringLiteral("b-2"),
                                     QStringLiteral("full")});
        QCOMPARE(r.code(), QStringLiteral("DUMP_FAILED"));
        QVERIFY2(r.message().contains(QLatin1String("no snapshot")), qPrintable(r.message()));
        QCOMPARE(snapshots().size(), before);
        QVERIFY(!QFileInfo::exists(stage()));
    }

    void listVerifyRetentionAndDelete()
    {
        for (const char* id : {"b-3", "b-4"})
            QVERIFY(secret({QStringLiteral("backup:create"), m_site, QString::fromLatin1(id),
                            QStringLiteral("full")})
                        .ok());
        QCOMPARE(snapshots().size(), 3);
        AgentReply r = secret({QStringLiteral("backup:verify"), QStringLiteral("1/2")});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(secret({QStringLiteral("backup:verify"), QStringLiteral("3/2")}).code(),
                 QStringLiteral("USAGE"));
        // Keep one daily: the two older full snapshots of today go.
        r = secret({QStringLiteral("backup:forget"), m_site, QStringLiteral("0"),
                    QStringLiteral("1"), QStringLiteral("0"), QStringLiteral("0")});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.data()[QLatin1String("removed")].toArray().size(), 2);
        QJsonArray list = snapshots();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.at(0).toObject()["backup_id"].toString(), QStringLiteral("b-4"));
        r = secret(
            {QStringLiteral("backup:delete"), list.at(0).toObject()["snapshot_id"].toString()});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(snapshots().size(), 0);
        QCOMPARE(secret({QStringLiteral("backup:delete"), QStringLiteral("not-hex")}).code(),
                 QStringLiteral("USAGE"));
    }

    void aWrongPasswordIsNamed()
    {
        const AgentReply r = chom::test::runAgentStdin(
            m_stack.root(), {QStringLiteral("backup:list"), QStringLiteral("wrong")});
        QCOMPARE(r.code(), QStringLiteral("WRONG_PASSWORD"));
    }

    // A restic killed mid-backup leaves its lock; backup:unlock removes it
    // because its process is gone, and leaves a lock whose process runs.
    void staleLocksGoOnlyWhenTheirProcessIsGone()
    {
        QProcess holder; // a backup from a pipe kept open: holds its lock
        holder.start(QStringLiteral("restic"),
                     {QStringLiteral("--repo"), repository(), QStringLiteral("--password-file"),
                      m_tmp.filePath(QStringLiteral("pw")), QStringLiteral("--no-cache"),
                      QStringLiteral("backup"), QStringLiteral("--stdin")});
        QVERIFY(holder.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(
            !restic({QStringLiteral("list"), QStringLiteral("locks"), QStringLiteral("--no-lock")})
                 .trimmed()
                 .isEmpty(),
            20000);
        AgentReply r = secret({QStringLiteral("backup:unlock")});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.data()[QLatin1String("held")].toInt(), 1);
        QCOMPARE(r.data()[QLatin1String("removed")].toInt(), 0);
        holder.kill(); // SIGKILL: restic cannot remove its lock
        holder.waitForFinished();
        r = secret({QStringLiteral("backup:unlock")});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.data()[QLatin1String("removed")].toInt(), 1);
        QVERIFY(r.data()[QLatin1String("locks")].toArray().at(0).toObject()["stale"].toBool());
        QVERIFY(
            restic({QStringLiteral("list"), QStringLiteral("locks"), QStringLiteral("--no-lock")})
                .trimmed()
                .isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAgentBackups)
#include "tst_agentbackups.moc"
