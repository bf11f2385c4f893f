#include "secrets/EncryptedFileSecretStore.h"
#include "secrets/SessionPassphrase.h"
#include "ssh/SshKeys.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <memory>
#include <vector>

using namespace chom;

class TestSecrets : public QObject
{
    Q_OBJECT
private:
    static MasterPassphraseProvider pass(const QString& p)
    {
        return [p] { return p; };
    }
    static QJsonObject readDoc(const QString& path)
    {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        return QJsonDocument::fromJson(f.readAll()).object();
    }
    static void writeDoc(const QString& path, const QJsonObject& o)
    {
        QFile f(path);
        f.open(QIODevice::WriteOnly | QIODevice::Truncate);
        f.write(QJsonDocument(o).toJson());
    }

private Q_SLOTS:
    void roundTripAcrossInstances()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.json"));
        {
            EncryptedFileSecretStore s(path, pass(QStringLiteral("correct horse")));
            QVERIFY(s.write(QStringLiteral("ssh-key/ops"), QByteArray("PRIVATE\0KEY", 11)).ok());
            QVERIFY(s.write(QStringLiteral("token/grafana"), "abc").ok());
        }
        QCOMPARE(QFile::permissions(path) & (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());
        QFile raw(path);
        QVERIFY(raw.open(QIODevice::ReadOnly));
        QVERIFY(!raw.readAll().contains("PRIVATE")); // never in clear
        EncryptedFileSecretStore again(path, pass(QStringLiteral("correct horse")));
        QCOMPARE(again.read(QStringLiteral("ssh-key/ops")).value(), QByteArray("PRIVATE\0KEY", 11));
        QCOMPARE(again.read(QStringLiteral("missing")).error().code, QStringLiteral("not_found"));
        QVERIFY(again.remove(QStringLiteral("token/grafana")).ok());
        QCOMPARE(again.read(QStringLiteral("token/grafana")).error().code,
                 QStringLiteral("not_found"));
    }

    // Two live instances on one file (the console opens one per worker job):
    // each write keeps what the other wrote.
    void liveInstancesMergeTheirWrites()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.json"));
        EncryptedFileSecretStore a(path, pass(QStringLiteral("pw")));
        EncryptedFileSecretStore b(path, pass(QStringLiteral("pw")));
        QVERIFY(a.write(QStringLiteral("seed"), "0").ok()); // both unlocked, both hold a copy
        QVERIFY(b.read(QStringLiteral("seed")).ok());
        QVERIFY(a.write(QStringLiteral("endpoint/prometheus"), "token").ok());
        QVERIFY(b.write(QStringLiteral("ssh-key/new"), "key").ok());
        QCOMPARE(b.read(QStringLiteral("endpoint/prometheus")).value(), QByteArray("token"));
        QVERIFY(a.remove(QStringLiteral("seed")).ok());
        QVERIFY(b.write(QStringLiteral("token/grafana"), "g").ok()); // must not bring seed back
        EncryptedFileSecretStore fresh(path, pass(QStringLiteral("pw")));
        QCOMPARE(fresh.read(QStringLiteral("endpoint/prometheus")).value(), QByteArray("token"));
        QCOMPARE(fresh.read(QStringLiteral("ssh-key/new")).value(), QByteArray("key"));
        QCOMPARE(fresh.read(QStringLiteral("token/grafana")).value(), QByteArray("g"));
        QCOMPARE(fresh.read(QStringLiteral("seed")).error().code, QStringLiteral("not_found"));
    }

    // Writers on several threads and instances at once, from the file's
    // first use: every entry lands, and all under one salt.
    void concurrentWritersLoseNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.json"));
        constexpr int kWriters = 4, kEach = 5;
        std::vector<std::unique_ptr<QThread>> threads;
        std::atomic<int> failures{0};
        for (int w = 0; w < kWriters; ++w) {
            threads.emplace_back(QThread::create([&, w] {
                EncryptedFileSecretStore s(path, pass(QStringLiteral("pw")));
                for (int i = 0; i < kEach; ++i) {
                    if (!s.write(QStringLiteral("w%1/%2").arg(w).arg(i), "v").ok())
                        ++failures;
                }
            }));
            threads.back()->start();
        }
        for (auto& t : threads)
            QVERIFY(t->wait(120000));
        QCOMPARE(failures.load(), 0);
        EncryptedFileSecretStore fresh(path, pass(QStringLiteral("pw")));
        for (int w = 0; w < kWriters; ++w) {
            for (int i = 0; i < kEach; ++i)
                QVERIFY2(fresh.read(QStringLiteral("w%1/%2").arg(w).arg(i)).ok(),
                         qPrintable(QStringLiteral("w%1/%2 lost").arg(w).arg(i)));
        }
    }

    // The session's passphrase check runs inside an instance's locked call:
    // it must not wait for that lock, and a wrong answer is still asked again.
    void sessionPassphraseIsCheckedUnderTheLock()
    {
        QTemporaryDir dir;
        const QString path = secretsFilePath(dir.path());
        QVERIFY(EncryptedFileSecretStore(path, pass(QStringLiteral("pw")))
                    .write(QStringLiteral("k"), "v")
                    .ok());
        SessionPassphrase& session = SessionPassphrase::instance();
        session.forget();
        session.setSecretsDir(dir.path());
        QStringList answers{QStringLiteral("wrong"), QStringLiteral("pw")};
        int asked = 0;
        session.setAsk([&](const QString&) -> std::optional<QString> {
            ++asked;
            return answers.isEmpty() ? std::nullopt : std::optional<QString>(answers.takeFirst());
        });
        EncryptedFileSecretStore s(path, session.provider());
        const auto read = s.read(QStringLiteral("k"));
        QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
        QCOMPARE(read.value(), QByteArray("v"));
        QCOMPARE(asked, 2);
        session.setAsk({});
        session.forget();
    }

    void wrongPassphraseIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.json"));
        QVERIFY(EncryptedFileSecretStore(path, pass(QStringLiteral("right")))
                    .write(QStringLiteral("a"), "1")
                    .ok());
        EncryptedFileSecretStore wrong(path, pass(QStringLiteral("wrong")));
        QCOMPARE(wrong.read(QStringLiteral("a")).error().code, QStringLiteral("wrong_passphrase"));
        EncryptedFileSecretStore none(path, pass(QString()));
        QVERIFY(!none.read(QStringLiteral("a")).ok());
    }

    void tamperingIsDetected()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.json"));
        {
            EncryptedFileSecretStore s(path, pass(QStringLiteral("p")));
            QVERIFY(s.write(QStringLiteral("a"), "secret-a").ok());
            QVERIFY(s.write(QStringLiteral("b"), "secret-b").ok());
        }
        QJsonObject doc = readDoc(path);
        QJsonObject entries = doc.value(QStringLiteral("entries")).toObject();
        // Swap: b's sealed blob under a's name must not open (name is bound as AAD).
        entries.insert(QStringLiteral("a"), entries.value(QStringLiteral("b")));
        doc.insert(QStringLiteral("entries"), entries);
        writeDoc(path, doc);
        EncryptedFileSecretStore s(path, pass(QStringLiteral("p")));
        QVERIFY(!s.read(QStringLiteral("a")).ok());
        QCOMPARE(s.read(QStringLiteral("a")).error().code, QStringLiteral("secrets_tampered"));
        QCOMPARE(s.read(QStringLiteral("b")).error().code, QStringLiteral("secrets_tampered"));
        // Garbage file: clear error, file untouched.
        writeDoc(path, QJsonObject{{QStringLiteral("format"), QStringLiteral("nope")}});
        EncryptedFileSecretStore g(path, pass(QStringLiteral("p")));
        QVERIFY(g.read(QStringLiteral("b"))
                    .error()
                    .message.contains(QStringLiteral("not a CHOM secrets file")));
    }

    // The MAC covers the whole entry list: an entry removed, added or put
    // back from an older copy is refused, and so is an older copy of the file.
    void removalReplayAndRollbackAreDetected()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("secrets.json"));
        EncryptedFileSecretStore s(path, pass(QStringLiteral("p")));
        QVERIFY(s.write(QStringLiteral("a"), "v1").ok());
        QVERIFY(s.write(QStringLiteral("b"), "keep").ok());
        const QJsonObject withV1 = readDoc(path);
        QVERIFY(s.write(QStringLiteral("a"), "v2").ok());
        const QJsonObject current = readDoc(path);
        QVERIFY(current.value(QStringLiteral("generation")).toInteger() >
                withV1.value(QStringLiteral("generation")).toInteger());

        auto withEntries = [&](const QJsonObject& entries) {
            QJsonObject doc = current;
            doc.insert(QStringLiteral("entries"), entries);
            return doc;
        };
        QJsonObject removed = current.value(QStringLiteral("entries")).toObject();
        removed.remove(QStringLiteral("b"));
        QJsonObject replayed = current.value(QStringLiteral("entries")).toObject();
        replayed.insert(
            QStringLiteral("a"),
            withV1.value(QStringLiteral("entries")).toObject().value(QStringLiteral("a")));
        for (const QJsonObject& forged : {withEntries(removed), withEntries(replayed), withV1}) {
            writeDoc(path, forged);
            EncryptedFileSecretStore reader(path, pass(QStringLiteral("p")));
            const auto r = reader.read(QStringLiteral("a"));
            QVERIFY2(!r, "a forged secrets file was read");
            QCOMPARE(r.error().code, QStringLiteral("secrets_tampered"));
        }
        writeDoc(path, current);
        EncryptedFileSecretStore reader(path, pass(QStringLiteral("p")));
        QCOMPARE(reader.read(QStringLiteral("a")).value(), QByteArray("v2"));
    }

    // A file of the first format (no MAC) is read, and upgraded on its next
    // write; new files use the current key-derivation cost.
    void firstFormatIsUpgraded()
    {
        QTemporaryDir dir;
        const QString made = dir.filePath(QStringLiteral("made.json"));
        {
            EncryptedFileSecretStore s(made, pass(QStringLiteral("p")));
            QVERIFY(s.write(QStringLiteral("a"), "old").ok());
        }
        QJsonObject doc = readDoc(made);
        QCOMPARE(doc.value(QStringLiteral("format")).toString(), QStringLiteral("chom-secrets-2"));
        QCOMPARE(doc.value(QStringLiteral("kdf")).toObject().value(QStringLiteral("N")).toInteger(),
                 131072);
        doc.insert(QStringLiteral("format"), QStringLiteral("chom-secrets-1"));
        doc.remove(QStringLiteral("mac"));
        doc.remove(QStringLiteral("generation"));
        const QString old = dir.filePath(QStringLiteral("old.json")); // never seen by this process
        writeDoc(old, doc);
        EncryptedFileSecretStore s(old, pass(QStringLiteral("p")));
        QCOMPARE(s.read(QStringLiteral("a")).value(), QByteArray("old"));
        QVERIFY(s.write(QStringLiteral("b"), "new").ok());
        QCOMPARE(readDoc(old).value(QStringLiteral("format")).toString(),
                 QStringLiteral("chom-secrets-2"));
        QVERIFY(readDoc(old).contains(QStringLiteral("mac")));
        // Once upgraded, a return to the first format is refused.
        writeDoc(old, doc);
        EncryptedFileSecretStore again(old, pass(QStringLiteral("p")));
        QVERIFY(!again.read(QStringLiteral("a")));
    }

    void generatedKeysRoundTrip()
    {
        auto key = sshkeys::generateEd25519(QStringLiteral("ops@console"));
        QVERIFY2(key.ok(), qPrintable(key.errorMessage()));
        QVERIFY(key->privateKey.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"));
        QVERIFY(key->publicKeyLine.startsWith(QStringLiteral("ssh-ed25519 AAAA")));
        QVERIFY(key->publicKeyLine.endsWith(QStringLiteral(" ops@console")));
        QVERIFY(key->fingerprint.startsWith(QStringLiteral("SHA256:")));
        QTemporaryDir dir;
        EncryptedFileSecretStore s(dir.filePath(QStringLiteral("secrets.json")),
                                   pass(QStringLiteral("p")));
        QVERIFY(sshkeys::save(s, QStringLiteral("default"), key.value()).ok());
        auto id = sshkeys::load(s, QStringLiteral("default"));
        QVERIFY(id.ok());
        QCOMPARE(id->privateKeyText, key->privateKey);
        QCOMPARE(sshkeys::publicKeyOf(id->privateKeyText).value() + QStringLiteral(" ops@console"),
                 key->publicKeyLine);
        // Passphrase-protected export needs the passphrase back.
        auto locked = sshkeys::generateEd25519(QString(), QStringLiteral("s3cret"));
        QVERIFY(locked.ok());
        QVERIFY(!sshkeys::publicKeyOf(locked->privateKey).ok());
        QVERIFY(sshkeys::publicKeyOf(locked->privateKey, QStringLiteral("s3cret")).ok());
    }
};

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
