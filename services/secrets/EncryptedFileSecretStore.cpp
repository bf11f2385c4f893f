#include "secrets/EncryptedFileSecretStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QSaveFile>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace chom {
namespace {

constexpr int kNonce = 12, kTag = 16, kKey = 32;
const QString kFormat = QStringLiteral("chom-secrets-1");
const QByteArray kCheck = "chom-secrets-check";

Error err(const QString& m)
{
    return makeError(QStringLiteral("secrets"), m);
}

QByteArray randomBytes(int n)
{
    QByteArray b(n, '\0');
    RAND_bytes(reinterpret_cast<unsigned char*>(b.data()), n);
    return b;
}

Result<QByteArray> deriveKey(const QString& passphrase, const QByteArray& salt, quint64 n,
                             quint64 r, quint64 p)
{
    QByteArray key(kKey, '\0');
    const QByteArray pass = passphrase.toUtf8();
    if (EVP_PBE_scrypt(pass.constData(), size_t(pass.size()),
                       reinterpret_cast<const unsigned char*>(salt.constData()),
                       size_t(salt.size()), n, r, p, 64ull * 1024 * 1024,
                       reinterpret_cast<unsigned char*>(key.data()), kKey) != 1)
        return err(QStringLiteral("Key derivation failed."));
    return key;
}

// AES-256-GCM; returns ciphertext||tag.
QByteArray seal(const QByteArray& key, const QByteArray& nonce, const QByteArray& aad,
                const QByteArray& plain)
{
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    QByteArray out(plain.size() + kTag, '\0');
    int len = 0, total = 0;
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                       reinterpret_cast<const unsigned char*>(key.constData()),
                       reinterpret_cast<const unsigned char*>(nonce.constData()));
    EVP_EncryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.constData()),
                      aad.size());
    EVP_EncryptUpdate(ctx, o, &len, reinterpret_cast<const unsigned char*>(plain.constData()),
                      plain.size());
    total = len;
    EVP_EncryptFinal_ex(ctx, o + total, &len);
    total += len;
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTag, o + total);
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

std::optional<QByteArray> open(const QByteArray& key, const QByteArray& nonce,
                               const QByteArray& aad, const QByteArray& sealed)
{
    if (sealed.size() < kTag || nonce.size() != kNonce)
        return std::nullopt;
    const int n = int(sealed.size()) - kTag;
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    QByteArray plain(n, '\0');
    int len = 0;
    auto* p = reinterpret_cast<unsigned char*>(plain.data());
    EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                       reinterpret_cast<const unsigned char*>(key.constData()),
                       reinterpret_cast<const unsigned char*>(nonce.constData()));
    EVP_DecryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.constData()),
                      aad.size());
    EVP_DecryptUpdate(ctx, p, &len, reinterpret_cast<const unsigned char*>(sealed.constData()), n);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTag, const_cast<char*>(sealed.constData() + n));
    const bool ok = EVP_DecryptFinal_ex(ctx, p + len, &len) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok ? std::optional<QByteArray>(plain) : std::nullopt;
}

QJsonObject entry(const QByteArray& key, const QString& name, const QByteArray& plain)
{
    const QByteArray nonce = randomBytes(kNonce);
    return {{QStringLiteral("nonce"), QString::fromLatin1(nonce.toBase64())},
            {QStringLiteral("data"),
             QString::fromLatin1(seal(key, nonce, name.toUtf8(), plain).toBase64())}};
}

std::optional<QByteArray> unseal(const QByteArray& key, const QString& name, const QJsonObject& e)
{
    return open(key, QByteArray::fromBase64(e.value(QStringLiteral("nonce")).toString().toLatin1()),
                name.toUtf8(),
                QByteArray::fromBase64(e.value(QStringLiteral("data")).toString().toLatin1()));
}

} // namespace

EncryptedFileSecretStore::EncryptedFileSecretStore(QString path,
                                                   MasterPassphraseProvider passphrase)
    : m_path(std::move(path)), m_passphrase(std::move(passphrase))
{
}

Status EncryptedFileSecretStore::unlock()
{
    if (!m_key.isEmpty())
        return okStatus();
    const QString pass = m_passphrase ? m_passphrase() : QString();
    if (pass.isEmpty())
        return err(QStringLiteral("No master passphrase was given for the secrets file."));
    QFile f(m_path);
    if (!f.exists()) { // first use: new salt, check entry
        const QByteArray salt = randomBytes(16);
        auto key = deriveKey(pass, salt, 32768, 8, 1);
        if (!key)
            return key.error();
        m_key = key.value();
        m_doc = {{QStringLiteral("format"), kFormat},
                 {QStringLiteral("kdf"),
                  QJsonObject{{QStringLiteral("alg"), QStringLiteral("scrypt")},
                              {QStringLiteral("N"), 32768},
                              {QStringLiteral("r"), 8},
                              {QStringLiteral("p"), 1},
                              {QStringLiteral("salt"), QString::fromLatin1(salt.toBase64())}}},
                 {QStringLiteral("check"), entry(m_key, QStringLiteral("check"), kCheck)},
                 {QStringLiteral("entries"), QJsonObject()}};
        return save();
    }
    if (!f.open(QIODevice::ReadOnly))
        return err(QStringLiteral("Cannot read %1: %2").arg(m_path, f.errorString()));
    QJsonParseError pe{};
    const QJsonDocument doc = QJsonDocument::fromJson(f.read(16 * 1024 * 1024), &pe);
    if (pe.error != QJsonParseError::NoError ||
        doc.object().value(QStringLiteral("format")).toString() != kFormat)
        return err(
            QStringLiteral("%1 is not a CHOM secrets file (or is corrupt); it was left untouched.")
                .arg(m_path));
    const QJsonObject kdf = doc.object().value(QStringLiteral("kdf")).toObject();
    auto key = deriveKey(
        pass, QByteArray::fromBase64(kdf.value(QStringLiteral("salt")).toString().toLatin1()),
        quint64(kdf.value(QStringLiteral("N")).toInt()),
        quint64(kdf.value(QStringLiteral("r")).toInt()),
        quint64(kdf.value(QStringLiteral("p")).toInt()));
    if (!key)
        return key.error();
    if (unseal(key.value(), QStringLiteral("check"),
               doc.object().value(QStringLiteral("check")).toObject()) != kCheck)
        return makeError(
            QStringLiteral("wrong_passphrase"),
            QCoreApplication::translate("chom::EncryptedFileSecretStore",
                                        "Wrong master passphrase for the secrets file."));
    m_key = key.value();
    m_doc = doc.object();
    return okStatus();
}

Status EncryptedFileSecretStore::save()
{
    QSaveFile f(m_path); // atomic replace: a crash never leaves half a file
    if (!f.open(QIODevice::WriteOnly))
        return err(QStringLiteral("Cannot write %1: %2").arg(m_path, f.errorString()));
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    f.write(QJsonDocument(m_doc).toJson(QJsonDocument::Indented));
    if (!f.commit())
        return err(QStringLiteral("Cannot write %1: %2").arg(m_path, f.errorString()));
    return okStatus();
}

Status EncryptedFileSecretStore::write(const QString& name, const QByteArray& secret)
{
    QMutexLocker lock(&m_mutex);
    auto u = unlock();
    if (!u)
        return u;
    QJsonObject entries = m_doc.value(QStringLiteral("entries")).toObject();
    entries.insert(name, entry(m_key, name, secret));
    m_doc.insert(QStringLiteral("entries"), entries);
    return save();
}

Result<QByteArray> EncryptedFileSecretStore::read(const QString& name)
{
    QMutexLocker lock(&m_mutex);
    auto u = unlock();
    if (!u)
        return u.error();
    const QJsonObject entries = m_doc.value(QStringLiteral("entries")).toObject();
    if (!entries.contains(name))
        return makeError(
            QStringLiteral("not_found"),
            QCoreApplication::translate("chom::EncryptedFileSecretStore", "No secret named %1.")
                .arg(name));
    auto plain = unseal(m_key, name, entries.value(name).toObject());
    if (!plain)
        return err(QStringLiteral("The secret %1 failed its integrity check (tampered or corrupt).")
                       .arg(name));
    return *plain;
}

Status EncryptedFileSecretStore::remove(const QString& name)
{
    QMutexLocker lock(&m_mutex);
    auto u = unlock();
    if (!u)
        return u;
    QJsonObject entries = m_doc.value(QStringLiteral("entries")).toObject();
    entries.remove(name);
    m_doc.insert(QStringLiteral("entries"), entries);
    return save();
}

} // namespace chom
