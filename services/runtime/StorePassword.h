#pragma once

#include "base/Result.h"
#include "inventory/Core.h"
#include "secrets/SecretStore.h"
#include "store/Store.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace chom::storepassword {

// A PostgreSQL store's password, kept in the SecretStore (the OS keychain, or
// the encrypted file) under secretName(). libpq's own sources come first
// (PGPASSFILE, ~/.pgpass): the SecretStore is read only when the server asks
// for a password they did not give, so a store that needs none never opens
// the keychain nor asks for the master passphrase.

// "store-password:postgresql://user@host:port/db" (never the password).
QString secretName(const StoreConfig& config);
// The URL the operator types for this store: postgresql://user@host:port/db.
QString storeUrl(const StoreConfig& config);
// True when an open failed because the server wants a password nobody gave.
bool isAsked(const Error& error);

// `config` with the saved password; a clear error saying how to give one
// when none is saved. Blocking: on a worker.
Result<StoreConfig> withSaved(const StoreConfig& config, SecretStore& secrets);
Status save(SecretStore& secrets, const StoreConfig& config, const QString& password);
Status forget(SecretStore& secrets, const StoreConfig& config); // not_found when none

using SecretsOpener = std::function<std::unique_ptr<SecretStore>()>;
// The SecretStore of dataDir, with the session's master passphrase; a store
// whose encrypted file does not exist yet is not opened (nothing to ask).
std::unique_ptr<SecretStore> openForRead(const QString& dataDir);

// Opens the core; when the server asks for a password, reads the saved one
// through `secrets` and opens again. Blocking (chomctl, tests).
Result<std::unique_ptr<Core>> openCore(const StoreConfig& config, const SecretsOpener& secrets);

// The console's way: the first open on the calling thread; when the server
// asks for a password, the SecretStore is read on the blocking pool (its
// master-passphrase prompt is answered meanwhile, no nested event loop) and
// the core opened again on `context`'s thread, which then gets `done`.
using Opened = std::function<void(Result<std::unique_ptr<Core>>)>;
void openCoreAsync(const StoreConfig& config, SecretsOpener secrets, QObject* context, Opened done);

} // namespace chom::storepassword
