#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

class Store;

class SiteRepository
{
public:
    explicit SiteRepository(Store& store) : m_store(store) {}
    Result<QVector<Site>> list(Id tenantId = 0) const; // 0 = all tenants
    // For the Sites table: only the listed columns (no document root or
    // database names), repeated short strings shared. A row from here is not
    // a basis for update(): fetch the full row with get() first.
    Result<QVector<Site>> listForTable() const;
    Result<QVector<Site>> getMany(const QVector<Id>& ids) const;
    Result<Site> get(Id id) const;
    Result<Site> byDomain(const QString& domain) const;
    Result<bool> domainTaken(const QString& domain, Id exceptId) const;
    Result<Id> insert(const Site& s);
    Status update(const Site& s);
    Status remove(Id id);
    // Moves every site of a tenant in one of `from` to `to`; returns their ids.
    Result<QVector<Id>> setStatusForTenant(Id tenantId, const QVector<SiteStatus>& from,
                                           SiteStatus to);

private:
    Store& m_store;
};

} // namespace chom
