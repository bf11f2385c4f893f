#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

class Store;

class VpsRepository
{
public:
    explicit VpsRepository(Store& store) : m_store(store) {}
    Result<QVector<Vps>> list() const; // with per-VPS site counts
    Result<Vps> get(Id id) const;
    Result<Id> insert(const Vps& v);
    Status update(const Vps& v);
    Status remove(Id id);
    Result<int> siteCount(Id id) const;
    Result<bool> hostnameTaken(const QString& hostname, Id exceptId) const;
    // Routine readings from the fleet layer (no audit entry, updated_at kept).
    Status recordHealth(Id id, VpsHealth health, const QString& error, qint64 checkedAt);
    Status recordCheck(Id id, qint64 checkedAt); // last_health_check_at only
    Status setAgentVersion(Id id, const QString& version);

private:
    Store& m_store;
};

} // namespace chom
