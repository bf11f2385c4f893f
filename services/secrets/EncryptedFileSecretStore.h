#pragma once

#include "secrets/SecretStore.h"

#include <QJsonObject>
#include <QMutex>

#include <functional>

namespace chom {

// Fallback where no keychain service runs. One JSON file (mode 0600):
//   {"format":"chom-secrets-2","kdf":{"alg":"scrypt","N":131072,"r":8,"p":1,"salt":b64},
//    "check": entry, "generation": n, "entries": {name: entry}, "mac": b64}
//   entry = {"nonce": b64(12 bytes), "data": b64(AES-256-GCM ciphertext || 16-byte tag)}
// The key is scrypt(master passphrase, salt); each entry is sealed with a
// fresh random nonce and its name as associated data, so entries cannot be
// swapped between names. "check" seals a constant to tell a wrong passphrase
// from a corrupt file. "mac" (sealing::fileMac) covers the generation and
// every entry, so removing, adding or replaying an entry is detected;
// every write raises the generation, and a file that goes back to a lower
// one while the process runs is refused (secrets_tampered). A
// "chom-secrets-1" file (no MAC) is read and upgraded on its next write.
//
// Several instances (the console opens one per worker job, chomctl its own)
// share the file: every call holds the sidecar lock "<file>.lock" (QLockFile)
// and works on the file as it is on disk now, so a write merges into what
// the others wrote instead of replacing it with a stale copy.
class EncryptedFileSecretStore : public SecretStore
{
public:
    EncryptedFileSecretStore(QString path, MasterPassphraseProvider passphrase);
    Status write(const QString& name, const QByteArray& secret) override;
    Result<QByteArray> read(const QString& name) override;
    Status remove(const QString& name) override;
    QString backend() const override { return QStringLiteral("encrypted-file"); }

    static constexpr int kLockWaitMs = 10000;
    // Whether `passphrase` opens the file at `path` (error wrong_passphrase
    // when not). Takes no lock: a provider may call it while an instance
    // holds one, and the file is only ever replaced whole.
    static Status checkPassphrase(const QString& path, const QString& passphrase);

private:
    using Change = std::function<Status(QJsonObject& entries)>;
    Status locked(const std::function<Status()>& work);
    Status load(); // the file as it is now; created on first use
    Status create(const QString& passphrase);
    Status useKey(const QJsonObject& doc);
    Status checkWhole(const QJsonObject& doc) const;
    Status update(const Change& change);
    Status save();
    QString m_path;
    MasterPassphraseProvider m_passphrase;
    QMutex m_mutex;
    QByteArray m_key;  // derived, in memory only
    QString m_salt;    // the salt m_key was derived with
    QJsonObject m_doc; // as loaded under the lock
};

} // namespace chom
