#pragma once

#include "Domain.h"
#include "base/Result.h"

namespace chom {

class Store;
class ChangeNotifier;

// Site inventory writes: validation (domain rules, PHP, type), global domain
// uniqueness, tenant quotas and placement checks, all inside the write
// transaction, plus an audit entry per change.
class SiteService
{
public:
    SiteService(Store& store, ChangeNotifier& notifier) : m_store(store), m_notifier(notifier) {}

    Result<Id> create(const Site& input);
    Status update(const Site& input);
    Status setStatus(Id id, SiteStatus status);
    Status remove(Id id);

private:
    Status checkPlacement(const Site& s);
    Store& m_store;
    ChangeNotifier& m_notifier;
};

} // namespace chom
