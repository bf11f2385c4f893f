#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

class Store;
class ChangeNotifier;

// Tenant lifecycle with tier quotas, cascading site states (spec §1.3) and
// an audit entry per change.
class TenantService
{
public:
    TenantService(Store& store, ChangeNotifier& notifier) : m_store(store), m_notifier(notifier) {}

    // organizationId 0: find or create the organization named organizationName
    // (defaults to the tenant's name).
    Result<Id> create(const Tenant& input);
    Status update(const Tenant& input); // name, slug, tier; status via setStatus
    Status setStatus(Id id, TenantStatus status);
    Status remove(Id id);

    // Reads, for the front-ends (which never build repositories themselves).
    Result<QVector<Tenant>> list() const;
    Result<Tenant> get(Id id) const;
    Result<QVector<TierLimit>> tiers() const;
    Result<QVector<Organization>> organizations() const;

private:
    Result<Id> organizationFor(const Tenant& input);
    Store& m_store;
    ChangeNotifier& m_notifier;
};

QString slugify(const QString& name);

} // namespace chom
