#include "AppContext.h"

#include "ChangeFeed.h"
#include "Core.h"
#include "Inventory.h"
#include "fleet/FleetService.h"

namespace chom {

AppContext::AppContext(Core& core, const QString& dataDir, QObject* parent)
    : QObject(parent), m_dataDir(dataDir), m_executor(std::make_unique<StoreExecutor>(core)),
      m_changes(std::make_unique<ChangeFeed>(core.notifier())),
      m_inventory(std::make_unique<Inventory>(*this))
{
}

AppContext::~AppContext() = default;

void AppContext::startOperation(QObject* context, std::function<Result<Id>(FleetService&)> start,
                                std::function<void(Result<Id>)> done)
{
    FleetService* fleet = m_fleet;
    if (!fleet) {
        done(makeError(QStringLiteral("no_fleet"), tr("SSH operations are not available.")));
        return;
    }
    run<Result<Id>>(
        context, [fleet, start = std::move(start)](Core&) { return start(*fleet); },
        std::move(done));
}

} // namespace chom
