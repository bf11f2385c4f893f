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
// A key in the SecretStore, found there or just made.
struct StoredKey
{
    bool existed = false; // already stored: nothing was written
    SshIdentity identity; // as loaded from the store (privateKeyText, name)
    QString publicKey;    // "ssh-ed25519 AAAA… comment", for authorized_keys
};

namespace sshkeys {
Result<GeneratedKey> generateEd25519(const QString& comment, const QString& passphrase = {});
Status save(SecretStore& secrets, const QString& name, const GeneratedKey& key);
Result<SshIdentity> load(SecretStore& secrets, const QString& name);
// The key stored under `name`; when there is none (not_found), a new
// Ed25519 key with `comment` is generated, saved and read back. Never
// replaces a stored key. Blocks (key generation, keychain, scrypt): workers
// only. Errors: the store cannot be read (secret_store), the stored key is
// unreadable (ssh_key_unreadable), or generating, saving or reading back the
// new key failed (ssh_key, secret_store).
Result<StoredKey> loadOrCreate(SecretStore& secrets, const QString& name, const QString& comment);
// Public line of a private key text or file (for "show public key").
Result<QString> publicKeyOf(const QByteArray& privateKeyText, const QString& passphrase = {});
} // namespace sshkeys

} // namespace chom
