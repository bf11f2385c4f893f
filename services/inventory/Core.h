#pragma once

#include "base/ChangeNotifier.h"
#include "inventory/DashboardService.h"
#include "inventory/SiteService.h"
#include "inventory/TenantService.h"
#include "inventory/VpsService.h"
#include "store/AuditLog.h"
#include "store/OperationJournal.h"
#include "store/Store.h"

#include <memory>

namespace chom {

class ExternalChangeSource;

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
    // The operation journal and the audit chain over this store (front-ends
    // read them here and never build their own).
    OperationJournal& operations() { return m_operations; }
    AuditLog& audit() { return m_audit; }

    // True when the store holds data made by --demo (window title says so).
    bool isDemo();

    // This Core's name in the change log ("host:pid:nonce"): two Cores of one
    // process on one store are still two origins.
    const QString& origin() const { return m_origin; }
    // Starts passing on other processes' changes through notifier() (a
    // console does, on the store thread; a one-shot chomctl does not).
    // Idempotent; returns once changes from then on are caught.
    void watchExternalChanges(int intervalMs = 500);

    ~Core();

private:
    explicit Core(std::shared_ptr<Store> store);
    std::shared_ptr<Store> m_store;
    QString m_origin;
    ChangeNotifier m_notifier;
    TenantService m_tenants;
    SiteService m_sites;
    VpsService m_vps;
    DashboardService m_dashboard;
    OperationJournal m_operations;
    AuditLog m_audit;
    std::unique_ptr<ExternalChangeSource> m_external; // stopped before the rest
};

// Resolves the data directory: explicit option, then CHOM_DATA_DIR, then the
// per-user application data directory.
QString resolveDataDir(const QString& explicitDir);
StoreConfig sqliteConfigFor(const QString& dataDir);
// Which store to open: the --store URL, else $CHOM_STORE, else the SQLite
// file in dataDir. A URL names a shared PostgreSQL store
// (postgresql://user@host:port/db) or another SQLite file (sqlite:/path).
Result<StoreConfig> resolveStoreConfig(const QString& storeUrl, const QString& dataDir);
// How a front-end names the store to the operator: the file, or
// user@host:port/db (never a password).
QString describeStore(const StoreConfig& config);

} // namespace chom
