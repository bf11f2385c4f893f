#pragma once

#include "Domain.h"
#include "base/Result.h"
#include "ops/Recipe.h"
#include "sites/CoherencyCheck.h"

#include <memory>

namespace chom {

class FleetService;
class OperationKind;
class SiteTools;
class Store;

// The last coherency check, read back from the journal: every finding of
// the hosts that answered, and the hosts that did not (with why).
struct CoherencyReport
{
    Id operationId = 0; // 0: no check has run yet
    OperationStatus status = OperationStatus::Pending;
    qint64 startedAt = 0;
    qint64 completedAt = 0;
    int hostsChecked = 0;
    QVector<CoherencyFinding> findings;
    QStringList failures; // "host: reason" for the hosts that could not be checked
};

// The coherency check, a journaled operation: every active VPS (or the
// ones named) asked for its site:audit, 8 at a time, each host its own step
// whose output holds its findings; a host that fails never stops the
// others, and a retry checks only the hosts that failed. Healing is the
// safe kind only: re-render the configs that drifted, each its own
// site.render operation, after the operator confirmed.
class SiteCoherency
{
public:
    SiteCoherency(FleetService& fleet, SiteTools& tools) : m_fleet(fleet), m_tools(tools) {}

    [[nodiscard]] Result<Id> startCheck(const QVector<Id>& vpsIds = {}); // empty: all active
    // Re-renders each listed site's config (findings whose heal is "render");
    // the started operations' ids.
    [[nodiscard]] Result<QVector<Id>> startHeal(const QVector<Id>& siteIds);
    std::unique_ptr<OperationKind> kind();

    // The latest check's report (store thread or any worker with the store).
    [[nodiscard]] static Result<CoherencyReport> latest(Store& store);
    [[nodiscard]] static Result<CoherencyReport> report(Store& store, Id operationId);
    static QJsonObject toJson(const CoherencyReport& r);

private:
    // here: the store's sites on `vps`; placed: every site's domain and VPS.
    Step hostStep(const Vps& vps, const QVector<Site>& here,
                  const std::shared_ptr<const QHash<QString, Id>>& placed);

    FleetService& m_fleet;
    SiteTools& m_tools;
};

} // namespace chom
