#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QString>

#include <functional>
#include <memory>

namespace chom {

class SecretStore;

// The restic repository password of each VPS: made by the console on first
// use (32 random bytes, base64url) and kept only in its SecretStore (the
// keychain or the encrypted file), never in the store. Blocking (the
// SecretStore is): from operation steps or workers only.
class BackupPasswords
{
public:
    using Opener = std::function<std::unique_ptr<SecretStore>()>;
    explicit BackupPasswords(Opener open) : m_open(std::move(open)) {}

    [[nodiscard]] Result<QString> forVps(Id vpsId);
    static QString secretName(Id vpsId);

private:
    Opener m_open;
};

} // namespace chom
