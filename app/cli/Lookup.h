#pragma once

#include "Domain.h"
#include "base/Result.h"

namespace chom {
class Core;
}

namespace chom::cli {

// Resolves what the operator typed into stored rows; errors are "not_found"
// (exit 3) or "usage" (exit 2) for malformed references.
Result<Tenant> findTenant(Core& core, const QString& ref); // ID or unique slug
Result<Vps> findVps(Core& core, const QString& ref);       // ID or host name
Result<Site> findSite(Core& core, const QString& ref);     // ID or domain (IDN ok)

// "0" and "none" mean "no VPS"; otherwise as findVps.
Result<Id> vpsIdFor(Core& core, const QString& ref);

// A strictly positive numeric ID, or 0 when `ref` is not numeric.
Id numericId(const QString& ref);

} // namespace chom::cli
