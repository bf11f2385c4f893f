// Backups of sites through the core on a real "VPS": a loopback sshd host
// that lets root in (tests/support/SshFleet, 127.0.0.77) whose sandbox holds
// nginx, PHP-FPM and MariaDB of the test's own (tests/support/WebStack,
// 127.0.0.1:18098, MariaDB 18315) and a restic repository. The repository
// password made once per VPS and kept in the secret store (an in-memory one
// here), a row per backup with its snapshot, dump checksum and expiry,
// refusals before any remote call, a failed dump recorded as such, and a
// retry that runs only the failed site.
#include "SshFleet.h"
#include "TestStore.h"
#include "WebStack.h"
#include "backups/BackupPasswords.h"
#include "backups/SiteBackups.h"
#include "fleet/FleetService.h"
#include "ops/OperationKind.h"
#include "ops/OperationRunner.h"
#include "secrets/SecretStore.h"
#include "sites/SiteOperations.h"
#include "ssh/SshPool.h"
#include "store/BackupRepository.h"
#include "store/OperationJournal.h"

#include <QMutex>
#include <QStandardPaths>
#include <QtTest>

using namespace chom;
using chom::test::SshFleet;
using chom::test::TempCore;
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
    SshFleet m_fleet;
    WebStack m_stack;
    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<SshPool> m_pool;
    std::unique_ptr<OperationRunner> m_runner;
    std::unique_ptr<FleetService> m_service;
    std::unique_ptr<SiteOperations> m_sites;
    QHash<QString, QByteArray> m_secrets;
    QMutex m_secretsMutex;
    std::unique_ptr<BackupPasswords> m_passwords;
    std::unique_ptr<SiteBackups> m_backups;
    Id m_tenant = 0;
    Id m_vps = 0;
    Id m_php = 0;
    Id m_html = 0;

    QString waitFor(Id op)
    {
        QElapsedTimer clock;
        clock.start();
        OperationStatus st = OperationStatus::Pending;
        while (clock.elapsed() < 120000) {
            st = OperationJournal(m_t->core->store()).get(op).value().status;
            if (st != OperationStatus::Pending && st != OperationStatus::Running)
                break;
            QTest::qWait(50);
        }
        return toString(st);
    }
    Id provision(const QString& domain, SiteType type)
    {
        Site s;
        s.tenantId = m_tenant;
        s.domain = domain;
        s.type = type;
        s.phpVersion = m_stack.phpVersion();
        auto started = m_sites->startCreate(s);
        if (!started || waitFor(started.value().operationId) != QLatin1String("completed"))
            return 0;
        return started.value().siteId;
    }
    QVector<SiteBackup> rows(Id site)
    {
        return BackupRepository(m_t->core->store()).list(site).value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = WebStack::fleetUnavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        if (const QString why = WebStack::databaseUnavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        if (QStandardPaths::findExecutable(QStringLiteral("restic")).isEmpty())
            QSKIP("restic is not installed (scripts/install-deps.sh test)");
        m_stack.setDatabasePort(18315);
        QVERIFY2(m_stack.startOnFleetHost(m_fleet, 77, 18098), qPrintable(m_stack.error()));
        const auto host = m_fleet.hosts().at(0);
        m_t = std::make_unique<TempCore>();
        m_tenant = m_t->addTenant(QStringLiteral("Acme"), QStringLiteral("pro"));
        Vps v;
        v.hostname = QStringLiteral("web-77.fleet.test");
        v.ipAddress = host.address;
        v.sshPort = host.port;
        v.sshUser = QStringLiteral("root");
        v.status = VpsStatus::Active;
        auto id = m_t->core->vps().create(v);
        QVERIFY2(id, qPrintable(id.errorMessage()));
        m_vps = id.value();
        SshPool::Config c;
        c.trustNewHostKeys = true;
        m_pool = std::make_unique<SshPool>(m_t->core->store(), c);
        m_runner = std::make_unique<OperationRunner>(m_t->core->store(), &m_t->core->notifier());
        m_service = std::make_unique<FleetService>(*m_t->core, *m_pool, *m_runner);
        SshIdentity key;
        key.privateKeyPath = m_fleet.clientKeyPath();
        m_service->setIdentity(key);
        m_sites = std::make_unique<SiteOperations>(*m_service);
        m_passwords = std::make_unique<BackupPasswords>([this]() -> std::unique_ptr<SecretStore> {
            return std::make_unique<MemorySecretStore>(m_secrets, m_secretsMutex);
        });
        m_backups = std::make_unique<SiteBackups>(*m_service, *m_passwords);
        m_service->addKind(m_backups->createKind());
        m_php = provision(QStringLiteral("shop.example.test"), SiteType::Php);
        m_html = provision(QStringLiteral("static.example.test"), SiteType::Html);
        QVERIFY(m_php && m_html);
    }
    void cleanupTestCase()
    {
        for (Id id : {m_php, m_html})
            if (id && m_t && m_t->core->sites().get(id))
                if (auto del = m_sites->startDelete(id))
                    waitFor(del.value());
        m_runner.reset();
        m_backups.reset();
        m_sites.reset();
        m_service.reset();
        m_pool.reset();
        const QStringList left = m_stack.siteDatabases() + m_stack.siteDatabaseUsers();
        m_t.reset();
        m_stack.stop();
        m_fleet.stop();
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
            QCOMPARE(r.first().vpsId, m_vps);
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
        const QByteArray password = m_secrets.value(BackupPasswords::secretName(m_vps));
        QCOMPARE(password.size(), 43);
        // What the repository holds, asked with that password.
        auto vps = m_t->core->vps().get(m_vps);
        QVERIFY(vps);
        const AgentReply list = m_service->callAgent(vps.value(), QStringLiteral("backup:list"),
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
        const int logins = m_fleet.acceptedAuthCount(0);
        QCOMPARE(m_backups->startCreate({{m_html}, QStringLiteral("database"), 4}).error().code,
                 QStringLiteral("no_database"));
        QCOMPARE(m_backups->startCreate({{}, QStringLiteral("full"), 4}).error().code,
                 QStringLiteral("invalid_input"));
        QCOMPARE(m_backups->startCreate({{m_php}, QStringLiteral("everything"), 4}).error().code,
                 QStringLiteral("invalid_input"));
        const Id unplaced = m_t->addSite(m_tenant, QStringLiteral("nowhere.example.test"));
        QCOMPARE(m_backups->startCreate({{unplaced}, QStringLiteral("full"), 4}).error().code,
                 QStringLiteral("not_placed"));
        QVERIFY(m_t->core->sites().remove(unplaced));
        QCOMPARE(m_fleet.acceptedAuthCount(0), logins);
    }

    // The php site's dump fails (its database user is renamed away): its
    // row says why, the html site's completes, and the retry after the
    // repair runs only the failed site.
    void aFailedDumpIsRecordedAndOnlyItIsRetried()
    {
        m_stack.sql(QStringLiteral("RENAME USER 'chomt_shop_example_test'@'127.0.0.1' TO "
                                   "'chomt_shop_gone'@'127.0.0.1';"));
        auto op = m_backups->startCreate({{m_php, m_html}, QStringLiteral("full"), 2});
        QVERIFY(op);
        const QString done = waitFor(op.value());
        m_stack.sql(QStringLiteral("RENAME USER 'chomt_shop_gone'@'127.0.0.1' TO "
                                   "'chomt_shop_example_test'@'127.0.0.1';"));
        QCOMPARE(done, QStringLiteral("failed"));
        const SiteBackup failed = rows(m_php).first();
        QCOMPARE(failed.status, QStringLiteral("failed"));
        QVERIFY2(failed.error.contains(QLatin1String("DUMP_FAILED")), qPrintable(failed.error));
        QVERIFY(failed.snapshotId.isEmpty());
        QCOMPARE(rows(m_html).first().status, QStringLiteral("completed"));
        auto again = m_service->retryOperation(op.value());
        QVERIFY2(again, qPrintable(again.errorMessage()));
        QCOMPARE(waitFor(again.value()), QStringLiteral("completed"));
        QCOMPARE(OperationJournal(m_t->core->store()).steps(again.value()).value().size(), 1);
        QCOMPARE(rows(m_php).first().status, QStringLiteral("completed"));
        QCOMPARE(rows(m_php).size(), 3);
        QCOMPARE(rows(m_html).size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestSiteBackups)
#include "tst_sitebackups.moc"
