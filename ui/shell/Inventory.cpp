#include "ui/shell/Inventory.h"

#include "base/ChangeFeed.h"
#include "inventory/Core.h"
#include "ui/shell/AppContext.h"

#include <algorithm>

namespace chom {
namespace {

struct TenantBundle
{
    Result<QVector<Tenant>> tenants;
    Result<QVector<Organization>> orgs;
    Result<QVector<TierLimit>> tiers;
};

} // namespace

Inventory::Inventory(AppContext& ctx, QObject* parent) : QObject(parent), m_ctx(ctx)
{
    connect(&ctx.changes(), &ChangeFeed::changed, this, &Inventory::onChanged);
}

void Inventory::ensureLoaded()
{
    if (m_started)
        return;
    m_started = true;
    reloadTenants();
    reloadVps();
}

void Inventory::onChanged(ChangeNotifier::Entity what, const QVector<Id>&)
{
    if (!m_started)
        return;
    using E = ChangeNotifier::Entity;
    // Site writes move the per-tenant and per-VPS counters too.
    if (what == E::Tenants || what == E::Sites)
        reloadTenants();
    if (what == E::Vps || what == E::Sites)
        reloadVps();
}

void Inventory::reloadTenants()
{
    if (!m_tenantsFlight.begin())
        return;
    m_ctx.run<TenantBundle>(
        this,
        [](Core& c) {
            return TenantBundle{c.tenants().list(), c.tenants().organizations(),
                                c.tenants().tiers()};
        },
        [this](TenantBundle b) {
            const bool again = m_tenantsFlight.end();
            if (!b.tenants || !b.orgs || !b.tiers) {
                const QString msg = !b.tenants ? b.tenants.errorMessage()
                                    : !b.orgs  ? b.orgs.errorMessage()
                                               : b.tiers.errorMessage();
                Q_EMIT loadFailed(tr("Could not load tenants: %1").arg(msg));
            } else {
                m_orgs = std::move(b.orgs).value();
                m_tiers = std::move(b.tiers).value();
                m_tenants.mergeAll(std::move(b.tenants).value());
                m_tenantsLoaded = true;
                Q_EMIT tenantsChanged();
            }
            if (again)
                reloadTenants();
        });
}

void Inventory::reloadVps()
{
    if (!m_vpsFlight.begin())
        return;
    m_ctx.run<Result<QVector<Vps>>>(
        this, [](Core& c) { return c.vps().list(); },
        [this](Result<QVector<Vps>> r) {
            const bool again = m_vpsFlight.end();
            if (!r) {
                Q_EMIT loadFailed(tr("Could not load the VPS fleet: %1").arg(r.errorMessage()));
            } else {
                m_vps.mergeAll(std::move(r).value());
                m_vpsLoaded = true;
                Q_EMIT vpsChanged();
            }
            if (again)
                reloadVps();
        });
}

std::optional<Tenant> Inventory::tenant(Id id) const
{
    const int row = m_tenants.rowOf(id);
    return row < 0 ? std::nullopt : std::optional<Tenant>(m_tenants.rowAt(row));
}

std::optional<Vps> Inventory::vps(Id id) const
{
    const int row = m_vps.rowOf(id);
    return row < 0 ? std::nullopt : std::optional<Vps>(m_vps.rowAt(row));
}

QVector<Tenant> Inventory::tenantsByName() const
{
    QVector<Tenant> out = m_tenants.rows();
    std::sort(out.begin(), out.end(), [](const Tenant& a, const Tenant& b) {
        return a.name.compare(b.name, Qt::CaseInsensitive) < 0;
    });
    return out;
}

QVector<Vps> Inventory::vpsByHostname() const
{
    QVector<Vps> out = m_vps.rows();
    std::sort(out.begin(), out.end(),
              [](const Vps& a, const Vps& b) { return a.hostname < b.hostname; });
    return out;
}

QHash<Id, QString> Inventory::tenantNames() const
{
    QHash<Id, QString> out;
    out.reserve(m_tenants.rowCount());
    for (const Tenant& t : m_tenants.rows())
        out.insert(t.id, t.name);
    return out;
}

QHash<Id, QString> Inventory::vpsNames() const
{
    QHash<Id, QString> out;
    out.reserve(m_vps.rowCount());
    for (const Vps& v : m_vps.rows())
        out.insert(v.id, v.hostname);
    return out;
}

} // namespace chom
