#pragma once

#include "Domain.h"
#include "Result.h"

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

private:
    Store& m_store;
};

} // namespace chom
