#include "secrets/SecretSealing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <memory>

namespace chom::sealing {
namespace {

constexpr int kNonce = 12, kTag = 16;

Error err(const QString& m)
{
    return makeError(QStringLiteral("secrets"), m);
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* bytes(const QByteArray& b)
{
    return reinterpret_cast<const unsigned char*>(b.constData());
}

// AES-256-GCM: ciphertext || tag, or an error when any step fails.
Result<QByteArray> seal(const QByteArray& key, const QByteArray& nonce, const QByteArray& aad,
                        const QByteArray& plain)
{
    const Error failed =
        err(QStringLiteral("Sealing a secret failed (OpenSSL); nothing was written."));
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx || key.size() != kKeyBytes || nonce.size() != kNonce)
        return failed;
    QByteArray out(plain.size() + kTag, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    int len = 0;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), int(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), o, &len, bytes(plain), int(plain.size())) != 1)
        return failed;
    int total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), o + total, &len) != 1)
        return failed;
    total += len;
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, o + total) != 1)
        return failed;
    return out;
}

std::optional<QByteArray> open(const QByteArray& key, const QByteArray& nonce,
                               const QByteArray& aad, const QByteArray& sealed)
{
    if (sealed.size() < kTag || nonce.size() != kNonce || key.size() != kKeyBytes)
        return std::nullopt;
    const int n = int(sealed.size()) - kTag;
    CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    QByteArray plain(n, '\0');
    auto* p = reinterpret_cast<unsigned char*>(plain.data());
    int len = 0;
    const bool ok =
        ctx &&
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), int(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), p, &len, bytes(sealed), n) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag,
                            const_cast<char*>(sealed.constData() + n)) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), p + len, &len) == 1;
    return ok ? std::optional<QByteArray>(plain) : std::nullopt;
}

} // namespace

Result<QByteArray> randomBytes(int n)
{
    QByteArray b(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(b.data()), n) != 1)
        return err(QStringLiteral("The system's random generator failed; nothing was written."));
    return b;
}

Result<QByteArray> deriveKey(const QString& passphrase, const QByteArray& salt, quint64 n,
                             quint64 r, quint64 p)
{
    QByteArray key(kKeyBytes, '\0');
    const QByteArray pass = passphrase.toUtf8();
    if (salt.isEmpty() ||
        EVP_PBE_scrypt(pass.constData(), size_t(pass.size()), bytes(salt), size_t(salt.size()), n,
                       r, p, 512ull * 1024 * 1024, reinterpret_cast<unsigned char*>(key.data()),
                       kKeyBytes) != 1)
        return err(QStringLiteral("Key derivation failed."));
    return key;
}

Result<QJsonObject> sealEntry(const QByteArray& key, const QString& name, const QByteArray& plain)
{
    auto nonce = randomBytes(kNonce);
    if (!nonce)
        return nonce.error();
    auto sealed = seal(key, nonce.value(), name.toUtf8(), plain);
    if (!sealed)
        return sealed.error();
    return QJsonObject{{QStringLiteral("nonce"), QString::fromLatin1(nonce.value().toBase64())},
                       {QStringLiteral("data"), QString::fromLatin1(sealed.value().toBase64())}};
}

std::optional<QByteArray> openEntry(const QByteArray& key, const QString& name,
                                    const QJsonObject& entry)
{
    return open(key,
                QByteArray::fromBase64(entry.value(QStringLiteral("nonce")).toString().toLatin1()),
                name.toUtf8(),
                QByteArray::fromBase64(entry.value(QStringLiteral("data")).toString().toLatin1()));
}

namespace {

Result<QByteArray> hmac(const QByteArray& key, const QByteArray& data)
{
    QByteArray out(32, '\0');
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), key.constData(), int(key.size()), bytes(data), size_t(data.size()),
              reinterpret_cast<unsigned char*>(out.data()), &len) ||
        len != 32)
        return err(QStringLiteral("Computing the secrets file's MAC failed (OpenSSL)."));
    return out;
}

} // namespace

Result<QByteArray> fileMac(const QByteArray& key, quint64 generation, const QJsonObject& check,
                           const QJsonObject& entries)
{
    auto macKey = hmac(key, "chom-secrets-mac-key");
    if (!macKey)
        return macKey;
    QByteArray material("chom-secrets-2");
    auto field = [&](const QByteArray& b) { material += QByteArray::number(b.size()) + ':' + b; };
    field(QByteArray::number(generation));
    auto entry = [&](const QString& name, const QJsonObject& e) {
        field(name.toUtf8());
        field(e.value(QStringLiteral("nonce")).toString().toLatin1());
        field(e.value(QStringLiteral("data")).toString().toLatin1());
    };
    entry(QStringLiteral("check"), check);
    for (auto it = entries.constBegin(); it != entries.constEnd(); ++it) // sorted by name
        entry(it.key(), it.value().toObject());
    return hmac(macKey.value(), material);
}

} // namespace chom::sealing
