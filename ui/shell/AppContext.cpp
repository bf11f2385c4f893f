#include "ui/shell/AppContext.h"

#include "base/ChangeFeed.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "observability/EndpointSettings.h"
#include "observability/MetricsService.h"
#include "runtime/Runtime.h"
#include "ui/shell/Inventory.h"

#include <QDir>

#include <QCoreApplication>

#include <QNetworkAccessManager>
#include <QSettings>

namespace chom {

AppContext::AppContext(Core& core, const QString& dataDir, QObject* parent)
    : QObject(parent), m_dataDir(dataDir), m_core(core),
      m_runtime(std::make_unique<Runtime>(core, dataDir)),
      m_changes(std::make_unique<ChangeFeed>(core.notifier())),
      m_inventory(std::make_unique<Inventory>(*this))
{
}

AppContext::~AppContext() = default;

bool AppContext::sharedStore() const
{
    return !m_core.store().isSqlite(); // the configuration only: no store I/O
}

QString AppContext::storeName() const
{
    return sharedStore() ? describeStore(m_core.store().config())
                         : QDir::toNativeSeparators(m_dataDir);
}

QNetworkAccessManager& AppContext::network()
{
    return m_runtime->network();
}

metrics::MetricsService& AppContext::metrics()
{
    return m_runtime->metrics();
}

void AppContext::reloadMetricsEndpoint()
{
    m_runtime->reloadMetricsEndpoint();
}

void AppContext::startSiteOperation(QObject* context,
                                    std::function<Result<Id>(SiteOperations&)> start,
                                    std::function<void(Result<Id>)> done)
{
    m_runtime->startSiteOperation(context, std::move(start), std::move(done));
}

void AppContext::startOperation(QObject* context, std::function<Result<Id>(FleetService&)> start,
                                std::function<void(Result<Id>)> done)
{
    m_runtime->startOperation(context, std::move(start), std::move(done));
}

} // namespace chom
