#pragma once

#include "Domain.h"
#include "base/Result.h"

namespace chom {

class Store;

// The dashboard's figures in one statement over maintained counters (see
// docs/ARCHITECTURE.md); DashboardService caches them.
class DashboardQuery
{
public:
    explicit DashboardQuery(Store& store) : m_store(store) {}
    Result<DashboardStats> compute(Id tenantId) const; // 0 = all tenants

private:
    Store& m_store;
};

} // namespace chom
