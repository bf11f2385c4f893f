#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace chom {

// Where private keys, passphrases and API tokens live: never in the store in
// clear. Blocking calls: use from worker threads (the keychain backend runs
// a local event loop while D-Bus answers).
class SecretStore
{
public:
    virtual ~SecretStore() = default;
    virtual Status write(const QString& name, const QByteArray& secret) = 0;
    virtual Result<QByteArray> read(const QString& name) = 0; // error code not_found when absent
    virtual Status remove(const QString& name) = 0;
    virtual QString backend() const = 0;
};

// Supplies the master passphrase of the encrypted file (asked once).
using MasterPassphraseProvider = std::function<QString()>;

// The OS keychain (Secret Service, macOS Keychain, Windows Credential Store)
// through QtKeychain when one answers; otherwise the encrypted file.
// CHOM_SECRETS_BACKEND=file forces the file (the tests use it).
std::unique_ptr<SecretStore> openSecretStore(const QString& dataDir,
                                             MasterPassphraseProvider passphrase);
QString secretsFilePath(const QString& dataDir); // the encrypted file's place

} // namespace chom
