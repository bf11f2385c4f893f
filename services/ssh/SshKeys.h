#pragma once

#include "base/Result.h"
#include "ssh/SshTypes.h"

namespace chom {

class SecretStore;

struct GeneratedKey
{
    QByteArray privateKey; // OpenSSH private key text (encrypted when a passphrase was given)
    QString publicKeyLine; // "ssh-ed25519 AAAA… comment", for authorized_keys
    QString fingerprint;   // SHA256:…
};

// Operator SSH keys: generated in-app, kept in the SecretStore, loaded into
// an SshIdentity for the pool. Private keys never touch the store in clear.
namespace sshkeys {
Result<GeneratedKey> generateEd25519(const QString& comment, const QString& passphrase = {});
Status save(SecretStore& secrets, const QString& name, const GeneratedKey& key);
Result<SshIdentity> load(SecretStore& secrets, const QString& name);
// Public line of a private key text or file (for "show public key").
Result<QString> publicKeyOf(const QByteArray& privateKeyText, const QString& passphrase = {});
} // namespace sshkeys

} // namespace chom
