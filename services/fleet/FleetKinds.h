#pragma once

#include "ops/OperationKind.h"

#include <memory>

namespace chom {

class FleetService;

// The fleet's operation kinds, one file each; FleetService registers them.
std::unique_ptr<OperationKind> makeBootstrapKind(FleetService& fleet);
std::unique_ptr<OperationKind> makeSweepKind(FleetService& fleet);
std::unique_ptr<OperationKind> makeTestConnectionKind(FleetService& fleet);

// Shared by the kinds: a positive integer member of an input object.
[[nodiscard]] Result<Id> idField(const QJsonObject& input, const QString& key);

} // namespace chom
