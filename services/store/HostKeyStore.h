#pragma once

#include "base/Result.h"

#include <QString>
#include <QVector>

#include <optional>

namespace chom {

class Store;

struct KnownHost
{
    QString host;
    int port = 22;
    QString keyType;     // ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa
    QString keyBase64;   // the public key blob
    QString fingerprint; // SHA256:… as OpenSSH prints it
    qint64 trustedAt = 0;
    QString trustedBy;
};

// The console's own known-hosts list, kept in the store (not ~/.ssh), so
// trust decisions are audited and shared with the team store later.
class HostKeyStore
{
public:
    explicit HostKeyStore(Store& store) : m_store(store) {}
    Result<std::optional<KnownHost>> lookup(const QString& host, int port) const;
    Status trust(const KnownHost& key); // first contact or explicit re-trust
    Status forget(const QString& host, int port);
    Result<QVector<KnownHost>> list() const;

private:
    Store& m_store;
};

} // namespace chom
