#pragma once

#include "base/Result.h"

namespace chom {

class Store;

struct DemoSummary
{
    int organizations = 0;
    int tenants = 0;
    int vps = 0;
    int sites = 0;
    int backups = 0;
    int operations = 0;
};

// Fills an empty store with a realistic fleet: every tier, VPS status and
// health, site type and status, SSL expiries over the next 90 days, backups
// and operations. Respects tier quotas by construction. Deterministic per seed.
class DemoData
{
public:
    explicit DemoData(Store& store) : m_store(store) {}
    Result<DemoSummary> generate(int siteCount = 300, quint32 seed = 42);
    Result<bool> storeIsEmpty() const;

private:
    Store& m_store;
};

} // namespace chom
