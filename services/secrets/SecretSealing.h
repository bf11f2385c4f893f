#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace chom::sealing {

// The encrypted secrets file's cryptography (OpenSSL): scrypt for the key,
// AES-256-GCM per entry with a fresh random nonce and the entry's name as
// associated data. Every OpenSSL return code is checked: a failure is an
// error, never an all-zero nonce or an unsealed entry reported as sealed.

constexpr int kKeyBytes = 32;

Result<QByteArray> randomBytes(int n);
Result<QByteArray> deriveKey(const QString& passphrase, const QByteArray& salt, quint64 n,
                             quint64 r, quint64 p);
// {"nonce": b64(12 bytes), "data": b64(ciphertext || 16-byte tag)}
Result<QJsonObject> sealEntry(const QByteArray& key, const QString& name, const QByteArray& plain);
// nullopt when the entry does not open with this key and name (tampered, moved).
std::optional<QByteArray> openEntry(const QByteArray& key, const QString& name,
                                    const QJsonObject& entry);

// HMAC-SHA256 over the file's whole content (generation, check entry and
// every entry, in name order, each field length-prefixed), under a key of
// its own derived from the master key: an entry removed, added, swapped for
// an older copy, or the file rolled back changes it.
Result<QByteArray> fileMac(const QByteArray& key, quint64 generation, const QJsonObject& check,
                           const QJsonObject& entries);

} // namespace chom::sealing
