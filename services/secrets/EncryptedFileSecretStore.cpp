#include "secrets/EncryptedFileSecretStore.h"

#include "secrets/SecretSealing.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QLockFile>
#include <QSaveFile>

#include <optional>

namespace chom {
namespace {

// About 0.4 s and 128 MiB on a 2-core workstation (scrypt's guidance for
// interactive logins); files keep the parameters they were made with.
constexpr quint64 kScryptN = 131072, kScryptR = 8, kScryptP = 1;
constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;
const QString kFormat = QStringLiteral("chom-secrets-2"); // with generation and MAC
const QString kFormatV1 = QStringLiteral("chom-secrets-1");
const QByteArray kCheck = "chom-secrets-check";

Error err(const QString& m)
{
    return makeError(QStringLiteral("secrets"), m);
}

Result<QJsonObject> readFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return err(QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()));
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.read(kMaxFileBytes), &pe);
    const QString format = doc.object().value(QStringLiteral("format")).toString();
    if (pe.error != QJsonParseError::NoError || (format != kFormat && format != kFormatV1))
        return err(
            QStringLiteral("%1 is not a CHOM secrets file (or is corrupt); it was left untouched.")
                .arg(path));
    return doc.object();
}

QJsonObject entriesOf(const QJsonObject& doc)
{
    return doc.value(QStringLiteral("entries")).toObject();
}

quint64 generationOf(const QJsonObject& doc)
{
    return quint64(doc.value(QStringLiteral("generation")).toInteger());
}

// The highest generation this process has seen per file: a file replaced by
// an older copy (or by the first format) while the console runs is refused.
struct SeenGenerations
{
    QMutex mutex;
    QHash<QString, quint64> byPath;
};
SeenGenerations& seen()
{
    static SeenGenerations s;
    return s;
}
quint64 seenGeneration(const QString& path)
{
    QMutexLocker lock(&seen().mutex);
    return seen().byPath.value(path, 0);
}
void noteGeneration(const QString& path, quint64 generation)
{
    QMutexLocker lock(&seen().mutex);
    quint64& g = seen().byPath[path];
    g = qMax(g, generation);
}

} // namespace

EncryptedFileSecretStore::EncryptedFileSecretStore(QString path,
                                                   MasterPassphraseProvider passphrase)
    : m_path(std::move(path)), m_passphrase(std::move(passphrase))
{
}

// One caller of this process at a time (m_mutex), one process at a time (the
// lock file); a lock left by a crashed process is taken over once stale.
Status EncryptedFileSecretStore::locked(const std::function<Status()>& work)
{
    QMutexLocker lock(&m_mutex);
    QLockFile fileLock(m_path + QStringLiteral(".lock"));
    if (!fileLock.tryLock(kLockWaitMs))
        return err(QStringLiteral("The secrets file %1 is busy: another CHOM process has held its "
                                  "lock for over %2 s.")
                       .arg(m_path)
                       .arg(kLockWaitMs / 1000));
    return work();
}

Status EncryptedFileSecretStore::create(const QString& passphrase)
{
    auto salt = sealing::randomBytes(16);
    if (!salt)
        return salt.error();
    auto key = sealing::deriveKey(passphrase, salt.value(), kScryptN, kScryptR, kScryptP);
    if (!key)
        return key.error();
    auto check = sealing::sealEntry(key.value(), QStringLiteral("check"), kCheck);
    if (!check)
        return check.error();
    m_key = key.value();
    m_salt = QString::fromLatin1(salt.value().toBase64());
    m_doc = {{QStringLiteral("format"), kFormat},
             {QStringLiteral("kdf"), QJsonObject{{QStringLiteral("alg"), QStringLiteral("scrypt")},
                                                 {QStringLiteral("N"), qint64(kScryptN)},
                                                 {QStringLiteral("r"), qint64(kScryptR)},
                                                 {QStringLiteral("p"), qint64(kScryptP)},
                                                 {QStringLiteral("salt"), m_salt}}},
             {QStringLiteral("check"), check.value()},
             {QStringLiteral("generation"), 0},
             {QStringLiteral("entries"), QJsonObject()}};
    return save();
}

// The key for this file: kept while the file keeps its salt, else derived
// again from the passphrase (asked once) and checked.
Status EncryptedFileSecretStore::useKey(const QJsonObject& doc)
{
    const QJsonObject kdf = doc.value(QStringLiteral("kdf")).toObject();
    const QString salt = kdf.value(QStringLiteral("salt")).toString();
    if (!m_key.isEmpty() && salt == m_salt)
        return okStatus();
    const QString pass = m_passphrase ? m_passphrase() : QString();
    if (pass.isEmpty())
        return err(QStringLiteral("No master passphrase was given for the secrets file."));
    auto key = sealing::deriveKey(pass, QByteArray::fromBase64(salt.toLatin1()),
                                  quint64(kdf.value(QStringLiteral("N")).toInt()),
                                  quint64(kdf.value(QStringLiteral("r")).toInt()),
                                  quint64(kdf.value(QStringLiteral("p")).toInt()));
    if (!key)
        return key.error();
    if (sealing::openEntry(key.value(), QStringLiteral("check"),
                           doc.value(QStringLiteral("check")).toObject()) != kCheck)
        return makeError(
            QStringLiteral("wrong_passphrase"),
            QCoreApplication::translate("chom::EncryptedFileSecretStore",
                                        "Wrong master passphrase for the secrets file."));
    m_key = key.value();
    m_salt = salt;
    return okStatus();
}

Status EncryptedFileSecretStore::load()
{
    if (!QFile::exists(m_path)) { // first use: new salt, check entry
        const QString pass = m_passphrase ? m_passphrase() : QString();
        if (pass.isEmpty())
            return err(QStringLiteral("No master passphrase was given for the secrets file."));
        return create(pass);
    }
    auto doc = readFile(m_path);
    if (!doc)
        return doc.error();
    if (auto st = useKey(doc.value()); !st)
        return st;
    if (auto st = checkWhole(doc.value()); !st)
        return st;
    m_doc = doc.value();
    return okStatus();
}

// The MAC over everything, and no step back: a removed, added or replayed
// entry, or an older copy of the file, is refused rather than read.
Status EncryptedFileSecretStore::checkWhole(const QJsonObject& doc) const
{
    const quint64 generation = generationOf(doc);
    const quint64 before = seenGeneration(m_path);
    if (doc.value(QStringLiteral("format")).toString() == kFormatV1)
        return before == 0 ? okStatus() // the first format, upgraded on the next write
                           : err(QStringLiteral("The secrets file %1 went back to an older "
                                                "format while in use; it was not read.")
                                     .arg(m_path));
    auto mac = sealing::fileMac(m_key, generation, doc.value(QStringLiteral("check")).toObject(),
                                entriesOf(doc));
    if (!mac)
        return mac.error();
    if (QByteArray::fromBase64(doc.value(QStringLiteral("mac")).toString().toLatin1()) !=
        mac.value())
        return makeError(QStringLiteral("secrets_tampered"),
                         QStringLiteral("The secrets file %1 was changed outside CHOM (entries "
                                        "removed, added or replaced); it was not read.")
                             .arg(m_path));
    if (generation < before)
        return makeError(QStringLiteral("secrets_tampered"),
                         QStringLiteral("The secrets file %1 was replaced by an older copy "
                                        "(generation %2 after %3); it was not read.")
                             .arg(m_path)
                             .arg(generation)
                             .arg(before));
    noteGeneration(m_path, generation);
    return okStatus();
}

Status EncryptedFileSecretStore::checkPassphrase(const QString& path, const QString& passphrase)
{
    auto doc = readFile(path);
    if (!doc)
        return doc.error();
    EncryptedFileSecretStore probe(path, [passphrase] { return passphrase; });
    return probe.useKey(doc.value());
}

Status EncryptedFileSecretStore::save()
{
    const quint64 generation = qMax(generationOf(m_doc), seenGeneration(m_path)) + 1;
    auto mac = sealing::fileMac(m_key, generation, m_doc.value(QStringLiteral("check")).toObject(),
                                entriesOf(m_doc));
    if (!mac)
        return mac.error();
    m_doc.insert(QStringLiteral("format"), kFormat);
    m_doc.insert(QStringLiteral("generation"), qint64(generation));
    m_doc.insert(QStringLiteral("mac"), QString::fromLatin1(mac.value().toBase64()));
    QSaveFile f(m_path); // atomic replace: a crash never leaves half a file
    if (!f.open(QIODevice::WriteOnly))
        return err(QStringLiteral("Cannot write %1: %2").arg(m_path, f.errorString()));
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    f.write(QJsonDocument(m_doc).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return err(QStringLiteral("Cannot write %1: %2").arg(m_path, f.errorString()));
    noteGeneration(m_path, generation);
    return okStatus();
}

// Read, change and write back under the lock: the others' entries stay.
Status EncryptedFileSecretStore::update(const Change& change)
{
    return locked([&]() -> Status {
        if (auto st = load(); !st)
            return st;
        QJsonObject entries = entriesOf(m_doc);
        if (auto st = change(entries); !st)
            return st;
        m_doc.insert(QStringLiteral("entries"), entries);
        return save();
    });
}

Status EncryptedFileSecretStore::write(const QString& name, const QByteArray& secret)
{
    return update([&](QJsonObject& entries) -> Status {
        auto sealed = sealing::sealEntry(m_key, name, secret);
        if (!sealed)
            return sealed.error();
        entries.insert(name, sealed.value());
        return okStatus();
    });
}

Status EncryptedFileSecretStore::remove(const QString& name)
{
    return update([&](QJsonObject& entries) {
        entries.remove(name);
        return okStatus();
    });
}

Result<QByteArray> EncryptedFileSecretStore::read(const QString& name)
{
    std::optional<QByteArray> plain;
    bool found = false;
    if (auto st = locked([&]() -> Status {
            if (auto loaded = load(); !loaded)
                return loaded;
            const QJsonObject entries = entriesOf(m_doc);
            found = entries.contains(name);
            if (found)
                plain = sealing::openEntry(m_key, name, entries.value(name).toObject());
            return okStatus();
        });
        !st)
        return st.error();
    if (!found)
        return makeError(
            QStringLiteral("not_found"),
            QCoreApplication::translate("chom::EncryptedFileSecretStore", "No secret named %1.")
                .arg(name));
    if (!plain)
        return err(QStringLiteral("The secret %1 failed its integrity check (tampered or corrupt).")
                       .arg(name));
    return *plain;
}

} // namespace chom
