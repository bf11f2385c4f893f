#pragma once

#include "Domain.h"
#include "base/Result.h"

namespace chom {

// Tier quotas (spec §6.1); -1 means unlimited. Pure rules, enforced by the
// services inside the write transaction so every front end obeys them.
namespace quota {

Status canAddSites(const Tenant& t, int count);
Status canUseStorage(const Tenant& t, qint64 additionalMb);
Status canMoveToTier(const Tenant& t, const TierLimit& target);
QString describeSites(const Tenant& t);   // "3 / 5" or "3 / unlimited"
QString describeStorage(const Tenant& t); // "1.2 / 10 GB"

} // namespace quota
} // namespace chom
