#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

// Where a new site goes when the operator does not choose: the active,
// healthy (or not yet checked) VPS with the fewest sites per CPU; ties go to
// the lower id, so the choice is stable. Degraded and unhealthy hosts are
// never chosen automatically.
[[nodiscard]] Result<Vps> chooseVps(const QVector<Vps>& fleet);

} // namespace chom
