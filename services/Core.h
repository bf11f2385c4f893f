#pragma once

#include "ChangeNotifier.h"
#include "DashboardService.h"
#include "SiteService.h"
#include "TenantService.h"
#include "VpsService.h"
#include "store/Store.h"

#include <memory>

namespace chom {

// The composition of the headless core: one store, one change notifier, the
// services over them. The GUI, chomctl and the tests each make one.
class Core
{
public:
    static Result<std::unique_ptr<Core>> open(const StoreConfig& config);

    Store& store() { return *m_store; }
    std::shared_ptr<Store> storePtr() { return m_store; }
    ChangeNotifier& notifier() { return m_notifier; }
    TenantService& tenants() { return m_tenants; }
    SiteService& sites() { return m_sites; }
    VpsService& vps() { return m_vps; }
    DashboardService& dashboard() { return m_dashboard; }

    // True when the store holds data made by --demo (window title says so).
    bool isDemo();

private:
    explicit Core(std::shared_ptr<Store> store);
    std::shared_ptr<Store> m_store;
    ChangeNotifier m_notifier;
    TenantService m_tenants;
    SiteService m_sites;
    VpsService m_vps;
    DashboardService m_dashboard;
};

// Resolves the data directory: explicit option, then CHOM_DATA_DIR, then the
// per-user application data directory.
QString resolveDataDir(const QString& explicitDir);
StoreConfig sqliteConfigFor(const QString& dataDir);

} // namespace chom
