// The PostgreSQL store's password from the SecretStore, against a real
// PostgreSQL 15 on loopback whose role must log in with scram-sha-256:
// libpq's own sources (PGPASSFILE) come first, the saved password is read only
// when the server asks, off the calling thread in the console's way, and every
// failure says what to do.
#include "PostgresFixture.h"
#include "runtime/StorePassword.h"
#include "secrets/EncryptedFileSecretStore.h"

#include <QFile>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace chom;
using chom::test::PostgresFixture;

namespace {

const QString kPassword = QStringLiteral("c0rrect h0rse 'staple'");

std::unique_ptr<SecretStore> fileStore(const QString& dir)
{
    return std::make_unique<EncryptedFileSecretStore>(secretsFilePath(dir),
                                                      [] { return QStringLiteral("master"); });
}

} // namespace

class TestStorePassword : public QObject
{
    Q_OBJECT

    PostgresFixture m_pg;
    StoreConfig m_config;
    std::unique_ptr<QTemporaryDir> m_secretsDir;
    std::atomic<int> m_opened{0};

    // A SecretStore in this case's directory; counts how often it is opened.
    storepassword::SecretsOpener opener()
    {
        return [this] {
            ++m_opened;
            return fileStore(m_secretsDir->path());
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!PostgresFixture::available())
            QSKIP(qPrintable(PostgresFixture::unavailableReason()));
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
        const QString url = m_pg.createPasswordRole(QStringLiteral("keeper"), kPassword);
        QVERIFY2(!url.isEmpty(), qPrintable(m_pg.error()));
        auto config = StoreConfig::fromUrl(url);
        QVERIFY(config);
        m_config = config.value();
    }
    void cleanupTestCase() { m_pg.stop(); }
    void init()
    {
        qunsetenv("PGPASSFILE");
        qputenv("PGPASSFILE", "/nonexistent/pgpass"); // never the user's ~/.pgpass
        m_secretsDir = std::make_unique<QTemporaryDir>();
        m_opened = 0;
    }

    void theServerAskingForAPasswordIsToldApart()
    {
        auto opened = Core::open(m_config);
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, QStringLiteral("password_required"));
        QVERIFY(storepassword::isAsked(opened.error()));
        QVERIFY(opened.error().kind() == ErrorKind::Store);
    }

    void opensWithTheSavedPassword()
    {
        QVERIFY(storepassword::save(*fileStore(m_secretsDir->path()), m_config, kPassword));
        // The secret's name says which store, never the password.
        QVERIFY(!storepassword::secretName(m_config).contains(QLatin1String("h0rse")));
        QCOMPARE(storepassword::secretName(m_config),
                 QStringLiteral("store-password:postgresql://keeper@127.0.0.1:%1/keeper")
                     .arg(m_pg.port()));
        auto core = storepassword::openCore(m_config, opener());
        QVERIFY2(core, qPrintable(core.errorMessage()));
        QCOMPARE(m_opened.load(), 1);
        auto tiers = core.value()->tenants().tiers(); // the migrations ran as that role
        QVERIFY2(tiers, qPrintable(tiers.errorMessage()));
        QVERIFY(!tiers.value().isEmpty());
    }

    void aRefusedSavedPasswordIsNamed()
    {
        QVERIFY(storepassword::save(*fileStore(m_secretsDir->path()), m_config,
                                    QStringLiteral("yesterday's password")));
        auto core = storepassword::openCore(m_config, opener());
        QVERIFY(!core);
        QCOMPARE(core.error().code, QStringLiteral("password_refused"));
        QVERIFY2(core.error().message.contains(QLatin1String("saved")),
                 qPrintable(core.errorMessage()));
        QVERIFY2(core.error().message.contains(QLatin1String("store password")),
                 qPrintable(core.errorMessage()));
    }

    void noneSavedSaysHowToGiveOne()
    {
        for (const bool withFile : {false, true}) {
            storepassword::SecretsOpener secrets = opener();
            if (withFile) // a secrets file that holds other secrets only
                QVERIFY(fileStore(m_secretsDir->path())->write(QStringLiteral("other"), "x"));
            else
                secrets = [] { return std::unique_ptr<SecretStore>(); };
            auto core = storepassword::openCore(m_config, secrets);
            QVERIFY(!core);
            QCOMPARE(core.error().code, QStringLiteral("password_required"));
            const QString msg = core.error().message;
            QVERIFY2(msg.contains(QLatin1String("PGPASSFILE")), qPrintable(msg));
            QVERIFY2(msg.contains(QStringLiteral("chomctl --store "
                                                 "postgresql://keeper@127.0.0.1:%1/keeper store "
                                                 "password")
                                      .arg(m_pg.port())),
                     qPrintable(msg));
        }
    }

    void aPgpassFileComesFirst()
    {
        const QString pgpass = m_secretsDir->filePath(QStringLiteral("pgpass"));
        QFile f(pgpass);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QString escaped = kPassword;
        escaped.replace(QLatin1String("\\"), QLatin1String("\\\\"));
        f.write(QStringLiteral("127.0.0.1:%1:keeper:keeper:%2\n")
                    .arg(m_pg.port())
                    .arg(escaped)
                    .toUtf8());
        f.close();
        QVERIFY(f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        qputenv("PGPASSFILE", pgpass.toLocal8Bit());
        auto core = storepassword::openCore(m_config, opener());
        QVERIFY2(core, qPrintable(core.errorMessage()));
        QCOMPARE(m_opened.load(), 0); // no keychain, no master passphrase
    }

    void theConsoleReadsTheSecretOffItsThread()
    {
        QVERIFY(storepassword::save(*fileStore(m_secretsDir->path()), m_config, kPassword));
        std::atomic<QThread*> readOn{nullptr};
        storepassword::SecretsOpener secrets = [&] {
            readOn = QThread::currentThread();
            return fileStore(m_secretsDir->path());
        };
        QObject context;
        std::optional<Result<std::unique_ptr<Core>>> result;
        QThread* deliveredOn = nullptr;
        storepassword::openCoreAsync(m_config, secrets, &context,
                                     [&](Result<std::unique_ptr<Core>> opened) {
                                         deliveredOn = QThread::currentThread();
                                         result.emplace(std::move(opened));
                                     });
        QVERIFY(!result); // not answered synchronously: the secret is read on a worker
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 30000);
        QVERIFY2(result->ok(), qPrintable(result->errorMessage()));
        QVERIFY(readOn.load() && readOn.load() != QThread::currentThread());
        QCOMPARE(deliveredOn, QThread::currentThread());
    }

    void withoutASecretsFileNothingIsAsked()
    {
        qputenv("CHOM_SECRETS_BACKEND", "file");
        // No file: nothing saved, and no master passphrase to choose for it.
        QVERIFY(!storepassword::openForRead(m_secretsDir->path()));
        QVERIFY(!QFile::exists(secretsFilePath(m_secretsDir->path())));
        QVERIFY(fileStore(m_secretsDir->path())->write(QStringLiteral("other"), "x"));
        QVERIFY(storepassword::openForRead(m_secretsDir->path()));
    }

    void forgettingTellsWhetherOneWasSaved()
    {
        auto secrets = fileStore(m_secretsDir->path());
        QVERIFY(storepassword::save(*secrets, m_config, kPassword));
        QVERIFY(storepassword::forget(*secrets, m_config));
        const Status again = storepassword::forget(*secrets, m_config);
        QVERIFY(!again);
        QVERIFY(again.error().kind() == ErrorKind::NotFound);
        QVERIFY(!storepassword::save(*secrets, m_config, QString())); // empty: refused
    }
};

QTEST_GUILESS_MAIN(TestStorePassword)
#include "tst_storepassword.moc"
