#pragma once

#include "secrets/SecretStore.h"

#include <QJsonObject>
#include <QMutex>

namespace chom {

// Fallback where no keychain service runs. One JSON file (mode 0600):
//   {"format":"chom-secrets-1","kdf":{"alg":"scrypt","N":32768,"r":8,"p":1,"salt":b64},
//    "check": entry, "entries": {name: entry}}
//   entry = {"nonce": b64(12 bytes), "data": b64(AES-256-GCM ciphertext || 16-byte tag)}
// The key is scrypt(master passphrase, salt); each entry is sealed with a
// fresh random nonce and its name as associated data, so entries cannot be
// swapped between names. "check" seals a constant to tell a wrong passphrase
// from a corrupt file.
class EncryptedFileSecretStore : public SecretStore
{
public:
    EncryptedFileSecretStore(QString path, MasterPassphraseProvider passphrase);
    Status write(const QString& name, const QByteArray& secret) override;
    Result<QByteArray> read(const QString& name) override;
    Status remove(const QString& name) override;
    QString backend() const override { return QStringLiteral("encrypted-file"); }

private:
    Status unlock();
    Status save();
    QString m_path;
    MasterPassphraseProvider m_passphrase;
    QMutex m_mutex;
    QByteArray m_key; // derived, in memory only
    QJsonObject m_doc;
};

} // namespace chom
