#include "ssh/SshKeys.h"

#include "secrets/SecretStore.h"

#include <QCoreApplication>

#include <libssh/libssh.h>

namespace chom::sshkeys {
namespace {

Error keyError(const QString& m)
{
    return makeError(QStringLiteral("ssh_key"), m);
}

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::sshkeys", text);
}

QString fingerprintOf(ssh_key key)
{
    unsigned char* hash = nullptr;
    size_t len = 0;
    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != 0)
        return {};
    char* fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    const QString out = QString::fromLatin1(fp);
    ssh_string_free_char(fp);
    ssh_clean_pubkey_hash(&hash);
    return out;
}

Result<QString> publicLine(ssh_key key, const QString& comment)
{
    char* b64 = nullptr;
    if (ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK)
        return keyError(QStringLiteral("Cannot export the public key."));
    QString line = QString::fromLatin1(ssh_key_type_to_char(ssh_key_type(key))) + QLatin1Char(' ') +
                   QString::fromLatin1(b64);
    ssh_string_free_char(b64);
    if (!comment.isEmpty())
        line += QLatin1Char(' ') + comment;
    return line;
}

} // namespace

Result<GeneratedKey> generateEd25519(const QString& comment, const QString& passphrase)
{
    ssh_key key = nullptr;
    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK || !key)
        return keyError(QStringLiteral("Ed25519 key generation failed."));
    GeneratedKey g;
    char* priv = nullptr;
    const QByteArray pass = passphrase.toUtf8();
    const int rc = ssh_pki_export_privkey_base64(key, pass.isEmpty() ? nullptr : pass.constData(),
                                                 nullptr, nullptr, &priv);
    if (rc != SSH_OK) {
        ssh_key_free(key);
        return keyError(QStringLiteral("Cannot export the private key."));
    }
    g.privateKey = QByteArray(priv);
    ssh_string_free_char(priv);
    auto line = publicLine(key, comment);
    g.fingerprint = fingerprintOf(key);
    ssh_key_free(key);
    if (!line)
        return line.error();
    g.publicKeyLine = line.value();
    return g;
}

Status save(SecretStore& secrets, const QString& name, const GeneratedKey& key)
{
    return secrets.write(QStringLiteral("ssh-key/") + name, key.privateKey);
}

Result<SshIdentity> load(SecretStore& secrets, const QString& name)
{
    auto priv = secrets.read(QStringLiteral("ssh-key/") + name);
    if (!priv)
        return priv.error();
    SshIdentity id;
    id.privateKeyText = priv.value();
    id.name = name;
    return id;
}

Result<StoredKey> loadOrCreate(SecretStore& secrets, const QString& name, const QString& comment)
{
    const auto suffixed = [&comment](const QString& line) {
        return comment.isEmpty() ? line : line + QLatin1Char(' ') + comment;
    };
    StoredKey out;
    auto existing = load(secrets, name);
    if (existing) {
        out.existed = true;
        out.identity = existing.value();
        auto pub = publicKeyOf(out.identity.privateKeyText);
        if (!pub)
            return makeError(
                QStringLiteral("ssh_key_unreadable"),
                tr("The stored SSH key \"%1\" is unreadable: %2").arg(name, pub.errorMessage()));
        out.publicKey = suffixed(pub.value());
        return out;
    }
    if (existing.error().code != QLatin1String("not_found"))
        return makeError(
            QStringLiteral("secret_store"),
            tr("The secret store could not be opened: %1").arg(existing.errorMessage()));
    auto key = generateEd25519(comment);
    if (!key)
        return keyError(tr("The SSH key could not be generated: %1").arg(key.errorMessage()));
    if (const Status saved = save(secrets, name, key.value()); !saved)
        return makeError(QStringLiteral("secret_store"),
                         tr("The new SSH key could not be saved in the secret store: %1")
                             .arg(saved.errorMessage()));
    auto loaded = load(secrets, name);
    if (!loaded)
        return makeError(QStringLiteral("secret_store"),
                         tr("The new SSH key could not be read back from the secret store: %1")
                             .arg(loaded.errorMessage()));
    out.identity = loaded.value();
    out.publicKey = key.value().publicKeyLine;
    return out;
}

Result<QString> publicKeyOf(const QByteArray& privateKeyText, const QString& passphrase)
{
    ssh_key key = nullptr;
    const QByteArray pass = passphrase.toUtf8();
    if (ssh_pki_import_privkey_base64(privateKeyText.constData(),
                                      pass.isEmpty() ? nullptr : pass.constData(), nullptr, nullptr,
                                      &key) != SSH_OK)
        return keyError(
            QStringLiteral("Cannot read the private key (wrong passphrase or not a key)."));
    auto line = publicLine(key, QString());
    ssh_key_free(key);
    return line;
}

} // namespace chom::sshkeys
