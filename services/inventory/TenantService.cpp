#include "inventory/TenantService.h"

#include "base/ChangeNotifier.h"
#include "inventory/QuotaPolicy.h"
#include "inventory/Validation.h"
#include "store/AuditLog.h"
#include "store/Mutation.h"
#include "store/SiteRepository.h"
#include "store/TenantRepository.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace chom {

QString slugify(const QString& name)
{
    QString s = name.normalized(QString::NormalizationForm_KD).toLower();
    s.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    s.replace(QRegularExpression(QStringLiteral("^-+|-+$")), QString());
    return s.left(100).isEmpty() ? QStringLiteral("tenant") : s.left(100);
}

Result<Id> TenantService::organizationFor(const Tenant& input)
{
    if (input.organizationId)
        return input.organizationId;
    const QString name = input.organizationName.trimmed().isEmpty()
                             ? input.name.trimmed()
                             : input.organizationName.trimmed();
    OrganizationRepository orgs(m_store);
    auto found = orgs.findByName(name);
    if (!found || found.value())
        return found;
    Organization o;
    o.name = name;
    o.slug = slugify(name) + QLatin1Char('-') + QString::number(nowSecs() % 1000000, 36);
    return orgs.insert(o);
}

Result<Id> TenantService::create(const Tenant& input)
{
    auto valid = validation::validateName(QStringLiteral("Tenant name"), input.name, 255);
    if (!valid)
        return valid.error();
    auto id = inTransaction<Id>(m_store, [&]() -> Result<Id> {
        auto tier = TierRepository(m_store).get(input.tier);
        if (!tier)
            return tier.error();
        auto org = organizationFor(input);
        if (!org)
            return org;
        Tenant t = input;
        t.name = input.name.trimmed();
        t.organizationId = org.value();
        t.slug = input.slug.isEmpty() ? slugify(t.name) : slugify(input.slug);
        auto id = TenantRepository(m_store).insert(t);
        if (!id) {
            if (id.error().code == QLatin1String("store_unique"))
                return makeError(
                    QStringLiteral("duplicate"),
                    QCoreApplication::translate("chom::TenantService",
                                                "A tenant with slug \"%1\" already exists in that "
                                                "organization.")
                        .arg(t.slug));
            return id;
        }
        auto a = AuditLog(m_store).append(QStringLiteral("tenant.created"),
                                          QStringLiteral("tenant"), QString::number(id.value()),
                                          QStringLiteral("name=%1 tier=%2").arg(t.name, t.tier));
        if (!a)
            return a.error();
        return id;
    });
    if (id)
        m_notifier.notify(ChangeNotifier::Entity::Tenants, {id.value()});
    return id;
}

Status TenantService::update(const Tenant& input)
{
    auto valid = validation::validateName(QStringLiteral("Tenant name"), input.name, 255);
    if (!valid)
        return valid;
    auto st = inTransaction<Unit>(m_store, [&]() -> Status {
        TenantRepository repo(m_store);
        auto before = repo.get(input.id);
        if (!before)
            return before.error();
        auto tier = TierRepository(m_store).get(input.tier);
        if (!tier)
            return tier.error();
        if (tier.value().tier != before.value().tier) {
            auto q = quota::canMoveToTier(before.value(), tier.value());
            if (!q)
                return q;
        }
        Tenant t = before.value();
        t.name = input.name.trimmed();
        t.slug = input.slug.isEmpty() ? t.slug : slugify(input.slug);
        t.tier = input.tier;
        auto u = repo.update(t);
        if (!u)
            return u;
        return AuditLog(m_store).append(
            QStringLiteral("tenant.updated"), QStringLiteral("tenant"), QString::number(t.id),
            QStringLiteral("name %1→%2; tier %3→%4")
                .arg(before.value().name, t.name, before.value().tier, t.tier));
    });
    if (st)
        m_notifier.notify(ChangeNotifier::Entity::Tenants, {input.id});
    return st;
}

Status TenantService::setStatus(Id id, TenantStatus status)
{
    QVector<Id> touchedSites;
    auto st = inTransaction<Unit>(m_store, [&]() -> Status {
        TenantRepository repo(m_store);
        auto before = repo.get(id);
        if (!before)
            return before.error();
        Tenant t = before.value();
        if (t.status == status)
            return okStatus();
        t.status = status;
        auto u = repo.update(t);
        if (!u)
            return u;
        // Cascade (spec §1.3). The remote half (site:disable on the VPS) is
        // queued by the fleet layer when it exists.
        SiteRepository sites(m_store);
        Result<QVector<Id>> moved = QVector<Id>{};
        if (status == TenantStatus::Suspended)
            moved = sites.setStatusForTenant(id, {SiteStatus::Active}, SiteStatus::Disabled);
        else if (status == TenantStatus::Cancelled)
            moved = sites.setStatusForTenant(id,
                                             {SiteStatus::Active, SiteStatus::Creating,
                                              SiteStatus::Restoring, SiteStatus::Orphaned},
                                             SiteStatus::Disabled);
        else if (before.value().status == TenantStatus::Suspended)
            moved = sites.setStatusForTenant(id, {SiteStatus::Disabled}, SiteStatus::Active);
        if (!moved)
            return moved.error();
        touchedSites = moved.value();
        return AuditLog(m_store).append(QStringLiteral("tenant.status_changed"),
                                        QStringLiteral("tenant"), QString::number(id),
                                        QStringLiteral("%1→%2; %3 site(s) changed")
                                            .arg(toString(before.value().status), toString(status))
                                            .arg(touchedSites.size()));
    });
    if (st) {
        m_notifier.notify(ChangeNotifier::Entity::Tenants, {id});
        if (!touchedSites.isEmpty())
            m_notifier.notify(ChangeNotifier::Entity::Sites, touchedSites);
    }
    return st;
}

Status TenantService::remove(Id id)
{
    auto st = inTransaction<Unit>(m_store, [&]() -> Status {
        TenantRepository repo(m_store);
        auto before = repo.get(id);
        if (!before)
            return before.error();
        if (before.value().siteCount > 0)
            return makeError(QStringLiteral("has_sites"),
                             QCoreApplication::translate(
                                 "chom::TenantService",
                                 "Tenant \"%1\" still has %2 site(s); delete or move them "
                                 "first.")
                                 .arg(before.value().name)
                                 .arg(before.value().siteCount));
        auto r = repo.remove(id);
        if (!r)
            return r;
        return AuditLog(m_store).append(QStringLiteral("tenant.deleted"), QStringLiteral("tenant"),
                                        QString::number(id),
                                        QStringLiteral("name=%1").arg(before.value().name));
    });
    if (st)
        m_notifier.notify(ChangeNotifier::Entity::Tenants, {id});
    return st;
}

Result<QVector<Tenant>> TenantService::list() const
{
    return TenantRepository(m_store).list();
}

Result<Tenant> TenantService::get(Id id) const
{
    return TenantRepository(m_store).get(id);
}

Result<QVector<TierLimit>> TenantService::tiers() const
{
    return TierRepository(m_store).list();
}

Result<QVector<Organization>> TenantService::organizations() const
{
    return OrganizationRepository(m_store).list();
}

} // namespace chom
