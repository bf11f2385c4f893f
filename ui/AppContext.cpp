#include "AppContext.h"

#include "ChangeFeed.h"
#include "Core.h"
#include "Inventory.h"

namespace chom {

AppContext::AppContext(Core& core, const QString& dataDir, QObject* parent)
    : QObject(parent), m_dataDir(dataDir), m_executor(std::make_unique<StoreExecutor>(core)),
      m_changes(std::make_unique<ChangeFeed>(core.notifier())),
      m_inventory(std::make_unique<Inventory>(*this))
{
}

AppContext::~AppContext() = default;

} // namespace chom
