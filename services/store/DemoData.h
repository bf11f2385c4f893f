#pragma once

#include "base/Result.h"

#include <functional>

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

// What fillIfEmpty did.
struct DemoFill
{
    bool seeded = false; // false: the store already held data and was left unchanged
    DemoSummary summary; // the new fleet, when seeded
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
    // The console's --demo policy: an empty store gets a demo fleet of
    // siteCount sites; a store holding data is left alone, which is not an
    // error (seeded false). `generating` is called, on this thread, once
    // generation starts (the console shows progress from then on). Errors:
    // the emptiness check's, or generate()'s as "Demo data could not be
    // generated: …".
    [[nodiscard]] Result<DemoFill>
    fillIfEmpty(int siteCount, const std::function<void()>& generating = {}, quint32 seed = 42);

private:
    Store& m_store;
};

} // namespace chom
