#pragma once

#include "secrets/SecretStore.h"

namespace chom {

// The OS keychain via QtKeychain. Jobs are asynchronous; each call waits for
// its job in a local event loop, so call it from a worker thread.
class KeychainSecretStore : public SecretStore
{
public:
    explicit KeychainSecretStore(QString service = QStringLiteral("chom-console"))
        : m_service(std::move(service))
    {
    }
    Status write(const QString& name, const QByteArray& secret) override;
    Result<QByteArray> read(const QString& name) override;
    Status remove(const QString& name) override;
    QString backend() const override { return QStringLiteral("os-keychain"); }

    static bool available(); // a keychain service answers on this machine

private:
    QString m_service;
};

} // namespace chom
