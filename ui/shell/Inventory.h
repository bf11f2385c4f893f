#pragma once

#include "InventoryModels.h"
#include "base/Async.h"
#include "base/ChangeNotifier.h"

#include <QObject>

#include <optional>

namespace chom {

class AppContext;

// The tenants, VPS, tiers and organizations the GUI keeps in memory (small
// sets, even for a 100k-site fleet). Pages and dialogs read them here instead
// of querying; a change reloads them off the GUI thread and merges row by row
// so views keep their selection.
class Inventory : public QObject
{
    Q_OBJECT
public:
    explicit Inventory(AppContext& ctx, QObject* parent = nullptr);

    void ensureLoaded(); // first call loads; later calls do nothing
    bool isLoaded() const { return m_tenantsLoaded && m_vpsLoaded; }
    void reloadTenants();
    void reloadVps();

    TenantTableModel* tenantModel() { return &m_tenants; }
    VpsTableModel* vpsModel() { return &m_vps; }
    const QVector<TierLimit>& tiers() const { return m_tiers; }
    const QVector<Organization>& organizations() const { return m_orgs; }

    std::optional<Tenant> tenant(Id id) const;
    std::optional<Vps> vps(Id id) const;
    QVector<Tenant> tenantsByName() const;
    QVector<Vps> vpsByHostname() const;
    QHash<Id, QString> tenantNames() const;
    QHash<Id, QString> vpsNames() const;

Q_SIGNALS:
    void tenantsChanged();
    void vpsChanged();
    void loadFailed(const QString& message);

private:
    void onChanged(ChangeNotifier::Entity what, const QVector<Id>& ids);

    AppContext& m_ctx;
    TenantTableModel m_tenants;
    VpsTableModel m_vps;
    QVector<TierLimit> m_tiers;
    QVector<Organization> m_orgs;
    bool m_started = false;
    bool m_tenantsLoaded = false;
    bool m_vpsLoaded = false;
    // One reload of each kind in flight; changes meanwhile queue one more.
    async::SingleFlight m_tenantsFlight, m_vpsFlight;
};

} // namespace chom
