// sshkeys::loadOrCreate: the console's key found in, or added to, a
// SecretStore (an in-memory one here, with the failures a real one has).
#include "secrets/SecretStore.h"
#include "ssh/SshKeys.h"

#include <QHash>
#include <QtTest>

using namespace chom;

namespace {

class MemorySecretStore : public SecretStore
{
public:
    QHash<QString, QByteArray> secrets;
    std::optional<Error> readError;  // every read fails with it
    std::optional<Error> writeError; // every write fails with it
    int writes = 0;

    Status write(const QString& name, const QByteArray& secret) override
    {
        ++writes;
        if (writeError)
            return *writeError;
        secrets.insert(name, secret);
        return okStatus();
    }
    Result<QByteArray> read(const QString& name) override
    {
        if (readError)
            return *readError;
        const auto it = secrets.constFind(name);
        if (it == secrets.constEnd())
            return makeError(QStringLiteral("not_found"), QStringLiteral("no secret %1").arg(name));
        return *it;
    }
    Status remove(const QString& name) override
    {
        secrets.remove(name);
        return okStatus();
    }
    QString backend() const override { return QStringLiteral("memory"); }
};

const QString kName = QStringLiteral("ed25519/chom-console");
const QString kComment = QStringLiteral("chom-console");

} // namespace

class TestSshKeys : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createsWhenMissingThenLoadsTheSameKey()
    {
        MemorySecretStore store;
        auto made = sshkeys::loadOrCreate(store, kName, kComment);
        QVERIFY2(made, qPrintable(made.errorMessage()));
        QVERIFY(!made->existed);
        QCOMPARE(store.writes, 1);
        const QByteArray stored = store.secrets.value(QStringLiteral("ssh-key/") + kName);
        QVERIFY(stored.contains("PRIVATE KEY"));
        QCOMPARE(made->identity.privateKeyText, stored); // read back from the store
        QCOMPARE(made->identity.name, kName);
        QVERIFY(made->identity.privateKeyPath.isEmpty() && !made->identity.useAgent);
        QVERIFY2(made->publicKey.startsWith(QLatin1String("ssh-ed25519 ")) &&
                     made->publicKey.endsWith(QLatin1String(" chom-console")),
                 qPrintable(made->publicKey));

        // Asked again: the stored key, never a new one written over it.
        auto again = sshkeys::loadOrCreate(store, kName, kComment);
        QVERIFY2(again, qPrintable(again.errorMessage()));
        QVERIFY(again->existed);
        QCOMPARE(store.writes, 1);
        QCOMPARE(again->identity.privateKeyText, stored);
        QCOMPARE(again->publicKey, made->publicKey);
    }

    void loadsAKeyStoredBefore()
    {
        MemorySecretStore store;
        auto key = sshkeys::generateEd25519(QStringLiteral("elsewhere"));
        QVERIFY(key);
        QVERIFY(sshkeys::save(store, kName, key.value()));
        auto found = sshkeys::loadOrCreate(store, kName, kComment);
        QVERIFY2(found, qPrintable(found.errorMessage()));
        QVERIFY(found->existed);
        QCOMPARE(store.writes, 1); // the save above only
        QCOMPARE(found->identity.privateKeyText, key->privateKey);
        QCOMPARE(found->publicKey, key->publicKeyLine.section(QLatin1Char(' '), 0, 1) +
                                       QStringLiteral(" chom-console"));
    }

    void brokenStoreIsAnErrorAndNothingIsWritten()
    {
        MemorySecretStore store;
        store.readError =
            makeError(QStringLiteral("wrong_passphrase"),
                      QStringLiteral("Wrong master passphrase for the secrets file."));
        auto r = sshkeys::loadOrCreate(store, kName, kComment);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("secret_store"));
        QVERIFY2(r.errorMessage().contains(QLatin1String("Wrong master passphrase")),
                 qPrintable(r.errorMessage()));
        QCOMPARE(store.writes, 0);
    }

    void unreadableStoredKeyIsAnError()
    {
        MemorySecretStore store;
        store.secrets.insert(QStringLiteral("ssh-key/") + kName, "not a key");
        auto r = sshkeys::loadOrCreate(store, kName, kComment);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("ssh_key_unreadable"));
        QVERIFY2(r.errorMessage().contains(kName), qPrintable(r.errorMessage()));
        QCOMPARE(store.writes, 0);
        QCOMPARE(store.secrets.value(QStringLiteral("ssh-key/") + kName), QByteArray("not a key"));
    }

    void failedSaveIsAnError()
    {
        MemorySecretStore store;
        store.writeError = makeError(QStringLiteral("store_io"), QStringLiteral("disk full"));
        auto r = sshkeys::loadOrCreate(store, kName, kComment);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("secret_store"));
        QVERIFY2(r.errorMessage().contains(QLatin1String("could not be saved")) &&
                     r.errorMessage().contains(QLatin1String("disk full")),
                 qPrintable(r.errorMessage()));
    }
};

QTEST_GUILESS_MAIN(TestSshKeys)
#include "tst_sshkeys.moc"
