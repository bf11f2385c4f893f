// Backups of sites through the core on a real "VPS": a loopback sshd host
// that lets root in (tests/support/SshFleet, 127.0.0.77) whose sandbox holds
// nginx, PHP-FPM and MariaDB of the test's own (tests/support/WebStack,
// 127.0.0.1:18098, MariaDB 18315) and a restic repository. The repository
// password made once per VPS and kept in the secret store (an in-memory one
// here), a row per backup with its snapshot, dump checksum and expiry,
// refusals before any remote call, a failed dump recorded as such, and a
// retry that runs only the failed site.
#include "SiteFleetFixture.h"
#include "backups/BackupPasswords.h"
#include "backups/SiteBackups.h"
#include "ops/OperationKind.h"
#include "secrets/SecretStore.h"
#include "store/BackupRepository.h"
#include "store/OperationJournal.h"

#include <QMutex>
#include <QStandardPaths>
#include <QtTest>

using namespace chom;
using chom::test::SiteFleetFixture;
using chom::test::WebStack;

namespace {

// The secret store's contract, in memory, shared by every opener call.
class MemorySecretStore final : public SecretStore
{
public:
    explicit MemorySecretStore(QHash<QString, QByteArray>& values, QMutex& mutex)
        : m_values(values), m_mutex(mutex)
    {
    }
    Status write(const QString& name, const QByteArray& secret) override
    {
        QMutexLocker lock(&m_mutex);
        m_values.insert(name, secret);
        return okStatus();
    }
    Result<QByteArray> read(const QString& name) override
    {
        QMutexLocker lock(&m_mutex);
        if (!m_values.contains(name))
            return makeError(QStringLiteral("not_found"), QStringLiteral("no secret ") + name);
        return m_values.value(name);
    }
    Status remove(const QString& name) override
    {
        QMutexLocker lock(&m_mutex);
        m_values.remove(name);
        return okStatus();
    }
    QString backend() const override { return QStringLiteral("memory"); }

private:
    QHash<QString, QByteArray>& m_values;
    QMutex& m_mutex;
};

} // namespace

class TestSiteBackups : public QObject
{
    Q_OBJECT
    SiteFleetFixture m_f;
    QHash<QString, QByteArray> m_secrets;
    QMutex m_secretsMutex;
    std::unique_ptr<BackupPasswords> m_passwords;
    std::unique_ptr<SiteBackups> m_backups;
    Id m_php = 0;
    Id m_html = 0;

    QString waitFor(Id op) { return m_f.waitFor(op, 120000); }
    QVector<SiteBackup> rows(Id site)
    {
        return BackupRepository(m_f.t->core->store()).list(site).value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = SiteFleetFixture::unavailableReason(true); !why.isEmpty())
            QSKIP(qPrintable(why));
        if (QStandardPaths::findExecutable(QStringLiteral("restic")).isEmpty())
            QSKIP("restic is not installed (scripts/install-deps.sh test)");
        QVERIFY2(m_f.start(77, 18098, 18315, QStringLiteral("pro")), qPrintable(m_f.error()));
        m_passwords = std::make_unique<BackupPasswords>([this]() -> std::unique_ptr<SecretStore> {
            return std::make_unique<MemorySecretStore>(m_secrets, m_secretsMutex);
        });
        m_backups = std::make_unique<SiteBackups>(*m_f.service, *m_passwords);
        m_f.service->addKind(m_backups->createKind());
        m_php = m_f.provision(QStringLiteral("shop.example.test"), SiteType::Php);
        m_html = m_f.provision(QStringLiteral("static.example.test"), SiteType::Html);
        QVERIFY(m_php && m_html);
    }
    void cleanupTestCase()
    {
        for (Id id : {m_php, m_html})
            if (id && m_f.t && m_f.t->core->sites().get(id))
                if (auto del = m_f.sites->startDelete(id))
                    waitFor(del.value());
        m_f.runner.reset(); // every step joined before what they use goes
        m_backups.reset();
        const QStringList left = m_f.stack.siteDatabases() + m_f.stack.siteDatabaseUsers();
        m_f.stop();
        QCOMPARE(WebStack::siteUsers(), QStringList());
        QCOMPARE(left, QStringList());
    }

    void aBackupOfTwoSitesRecordsEachSnapshot()
    {
        const qint64 before = QDateTime::currentSecsSinceEpoch();
        auto op = m_backups->startCreate({{m_php, m_html}, QStringLiteral("full"), 2});
        QVERIFY2(op, qPrintable(op.errorMessage()));
        const QString done = waitFor(op.value());
        QVERIFY2(done == QLatin1String("completed"),
                 qPrintable(rows(m_php).value(0).error + QLatin1String(" | ") +
                            rows(m_html).value(0).error));
        for (Id site : {m_php, m_html}) {
            const QVector<SiteBackup> r = rows(site);
            QCOMPARE(r.size(), 1);
            QCOMPARE(r.first().status, QStringLiteral("completed"));
            QVERIFY(!r.first().snapshotId.isEmpty());
            QVERIFY(!r.first().backupUid.isEmpty());
            QCOMPARE(r.first().vpsId, m_f.vps);
            QVERIFY(r.first().sizeBytes > 0);
            QVERIFY(r.first().completedAt >= before);
            // The pro tier keeps backups for its retention days.
            QVERIFY2(r.first().expiresAt >= before + 7 * 86400,
                     qPrintable(QString::number(r.first().expiresAt - before)));
        }
        QCOMPARE(rows(m_php).first().checksum.size(), 64); // the dump's SHA-256
        QVERIFY(rows(m_html).first().checksum.isEmpty());  // no database
        // One password for the VPS, made once, kept in the secret store.
        QCOMPARE(m_secrets.size(), 1);
        const QByteArray password = m_secrets.value(BackupPasswords::secretName(m_f.vps));
        QCOMPARE(password.size(), 43);
        // What the repository holds, asked with that password.
        auto vps = m_f.t->core->vps().get(m_f.vps);
        QVERIFY(vps);
        const AgentReply list = m_f.service->callAgent(vps.value(), QStringLiteral("backup:list"),
                                                       {QString::fromLatin1(password)});
        QVERIFY2(list.ok(), qPrintable(list.message));
        QStringList uids;
        for (const QJsonValue& s : list.data.value(QStringLiteral("snapshots")).toArray())
            uids << s.toObject().value(QStringLiteral("backup_id")).toString();
        QVERIFY(uids.contains(rows(m_php).first().backupUid));
        QVERIFY(uids.contains(rows(m_html).first().backupUid));
    }

    void refusalsComeBeforeAnyRemoteCall()
    {
        const int logins = m_f.fleet.acceptedAuthCount(0);
        QCOMPARE(m_backups->startCreate({{m_html}, QStringLiteral("database"), 4}).error().code,
                 QStringLiteral("no_database"));
        QCOMPARE(m_backups->startCreate({{}, QStringLiteral("full"), 4}).error().code,
                 QStringLiteral("invalid_input"));
        QCOMPARE(m_backups->startCreate({{m_php}, QStringLiteral("everything"), 4}).error().code,
                 QStringLiteral("invalid_input"));
        const Id unplaced = m_f.t->addSite(m_f.tenant, QStringLiteral("nowhere.example.test"));
        QCOMPARE(m_backups->startCreate({{unplaced}, QStringLiteral("full"), 4}).error().code,
                 QStringLiteral("not_placed"));
        QVERIFY(m_f.t->core->sites().remove(unplaced));
        QCOMPARE(m_f.fleet.acceptedAuthCount(0), logins);
    }

    // The php site's dump fails (its database user is renamed away): its
    // row says why, the html site's completes, and the retry after the
    // repair runs only the failed site.
    void aFailedDumpIsRecordedAndOnlyItIsRetried()
    {
        m_f.stack.sql(QStringLiteral("RENAME USER 'chomt_shop_example_test'@'127.0.0.1' TO "
                                     "'chomt_shop_gone'@'127.0.0.1';"));
        auto op = m_backups->startCreate({{m_php, m_html}, QStringLiteral("full"), 2});
        QVERIFY(op);
        const QString done = waitFor(op.value());
        m_f.stack.sql(QStringLiteral("RENAME USER 'chomt_shop_gone'@'127.0.0.1' TO "
                                     "'chomt_shop_example_test'@'127.0.0.1';"));
        QCOMPARE(done, QStringLiteral("failed"));
        const SiteBackup failed = rows(m_php).first();
        QCOMPARE(failed.status, QStringLiteral("failed"));
        QVERIFY2(failed.error.contains(QLatin1String("DUMP_FAILED")), qPrintable(failed.error));
        QVERIFY(failed.snapshotId.isEmpty());
        QCOMPARE(rows(m_html).first().status, QStringLiteral("completed"));
        auto again = m_f.service->retryOperation(op.value());
        QVERIFY2(again, qPrintable(again.errorMessage()));
        QCOMPARE(waitFor(again.value()), QStringLiteral("completed"));
        QCOMPARE(OperationJournal(m_f.t->core->store()).steps(again.value()).value().size(), 1);
        QCOMPARE(rows(m_php).first().status, QStringLiteral("completed"));
        QCOMPARE(rows(m_php).size(), 3);
        QCOMPARE(rows(m_html).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSiteBackups)
#include "tst_sitebackups.moc"
