#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

class Store;

class TierRepository
{
public:
    explicit TierRepository(Store& store) : m_store(store) {}
    Result<QVector<TierLimit>> list() const;
    Result<TierLimit> get(const QString& tier) const;

private:
    Store& m_store;
};

class OrganizationRepository
{
public:
    explicit OrganizationRepository(Store& store) : m_store(store) {}
    Result<QVector<Organization>> list() const;
    Result<Id> findByName(const QString& name) const; // 0 when absent
    Result<bool> slugTaken(const QString& slug) const;
    Result<Id> insert(const Organization& org);

private:
    Store& m_store;
};

class TenantRepository
{
public:
    explicit TenantRepository(Store& store) : m_store(store) {}
    Result<QVector<Tenant>> list() const;
    Result<Tenant> get(Id id) const;
    // Inside a write transaction whose decision rests on the row (quota):
    // locked until commit on PostgreSQL (SQLite's writers are serialised).
    Result<Tenant> getForUpdate(Id id) const;
    // Whether another tenant (not `except`) of the organization has the slug.
    Result<bool> slugTaken(Id organizationId, const QString& slug, Id except = 0) const;
    Result<Id> insert(const Tenant& t);
    Status update(const Tenant& t);
    Status remove(Id id);

private:
    Result<Tenant> select(Id id, bool forUpdate) const;
    Store& m_store;
};

} // namespace chom
