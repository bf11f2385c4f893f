#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <memory>

namespace chom {

class FleetService;
class OperationKind;

// A tenant's status reaching its sites on their servers: suspending or
// activating changes the store (whose cascade disables or re-enables the
// sites' records), then disables or enables every placed site on its VPS,
// 8 at a time, each its own step, every site tried whatever the others do.
class TenantSites
{
public:
    explicit TenantSites(FleetService& fleet) : m_fleet(fleet) {}

    // The id of the operation on the servers, or 0 when no site is placed.
    [[nodiscard]] Result<Id> setTenantStatus(Id tenantId, TenantStatus status);
    // Brings the tenant's placed sites on their VPS in line with the store.
    [[nodiscard]] Result<Id> startSync(Id tenantId);
    // Retry from the journal, for FleetService::addKind.
    std::unique_ptr<OperationKind> kind();

private:
    FleetService& m_fleet;
};

} // namespace chom
