#pragma once

#include "Domain.h"
#include "base/Result.h"
#include "ops/Recipe.h"

#include <QVector>

namespace chom {

class FleetService;
struct Vps;

// The fleet's journaled operations: builds the recipe of each kind
// (bootstrap, sweep, test connection), starts it on the runner and retries
// through the kinds. Part of FleetService (its member, its friend), kept
// apart so the service's own file stays the blocking SSH calls.
class FleetOperations
{
public:
    explicit FleetOperations(FleetService& fleet) : m_fleet(fleet) {}

    [[nodiscard]] Result<Id> startBootstrap(Id vpsId);
    [[nodiscard]] Result<Id> startSweep(const QVector<Id>& vpsIds, int parallel);
    [[nodiscard]] Result<Id> startTestConnection(Id vpsId);
    [[nodiscard]] Result<Id> retryOperation(Id operationId);
    [[nodiscard]] Status recordAgentVersion(const Vps& vps, const QString& version);

private:
    QVector<Step> bootstrapSteps(const Vps& vps);
    FleetService& m_fleet;
};

} // namespace chom
