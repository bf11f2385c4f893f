#pragma once

#include "Domain.h"
#include "base/Result.h"
#include "ops/Recipe.h"

#include <QStringList>

#include <functional>
#include <memory>

namespace chom {

class FleetService;
class OperationKind;
struct AgentReply;

// A site created and provisioned in one call: the record first (checked
// before any server is touched), then the operation.
struct SiteStart
{
    Id siteId = 0;
    Id operationId = 0;
};

// The sites' journaled operations on their VPS, through the agent:
// provision (place → create on the VPS → certificate when SSL is asked for
// → verify it answers over HTTP with its Host header), enable, disable,
// delete. Each records its outcome on
// the site (status, failure reason, attempts). Blocking work runs in the
// runner's steps; the start* calls only touch the store.
class SiteOperations
{
public:
    explicit SiteOperations(FleetService& fleet) : m_fleet(fleet) {}

    // Validates and records the site (domain rules, uniqueness, quota, the
    // chosen VPS; vpsId 0 = automatic placement), then provisions it.
    [[nodiscard]] Result<SiteStart> startCreate(const Site& request);
    // Provisions a recorded site again (a failed one, or to re-render it).
    [[nodiscard]] Result<Id> startProvision(Id siteId);
    [[nodiscard]] Result<Id> startSetEnabled(Id siteId, bool enabled);
    // Removes the site from its VPS, then the record.
    [[nodiscard]] Result<Id> startDelete(Id siteId);
    // The kinds (retry and resume from the journal), for FleetService::addKind.
    std::unique_ptr<OperationKind> provisionKind();
    std::unique_ptr<OperationKind> switchKind(bool enabled);
    std::unique_ptr<OperationKind> deleteKind();

    // Building blocks of the site operations (SiteTools uses them too).
    [[nodiscard]] Result<Site> site(Id id) const;
    [[nodiscard]] Result<Vps> hostOf(const Site& s) const;
    [[nodiscard]] Status record(Id siteId, const std::function<void(Site&)>& change);
    using ArgsOf = std::function<QStringList(const Site&)>;
    using OnReply =
        std::function<StepOutcome(StepContext&, const Site&, const Vps&, const AgentReply&)>;
    // A step that loads the site and its VPS, calls the agent with the
    // site's arguments and hands a successful reply on.
    Step agentStep(const QString& name, Id siteId, const QString& command, const ArgsOf& argsOf,
                   const OnReply& onReply);
    static Recipe siteRecipe(const QString& type, const Site& s);
    // Serves the site again, or stops serving it, and records the status.
    Step switchStep(Id siteId, bool enabled);
    FleetService& fleet() { return m_fleet; }

private:
    Step placeStep(Id siteId);
    Step createStep(Id siteId);
    Step verifyStep(Id siteId);

    FleetService& m_fleet;
};

} // namespace chom
