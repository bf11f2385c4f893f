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

#include <functional>

namespace chom {

QString slugify(const QString& name)
{
    QString s = name.normalized(QString::NormalizationForm_KD).toLower();
    s.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    s.replace(QRegularExpression(QStringLiteral("^-+|-+$")), QString());
    return s.left(100).isEmpty() ? QStringLiteral("tenant") : s.left(100);
}

namespace {

// The first of base, base-2, base-3 … that `taken` says is free: names that
// slugify alike (日本 and 中国 both give "tenant") still get distinct slugs.
Result<QString> freeSlug(const QString& base,
                         const std::function<Result<bool>(const QString&)>& taken)
{
    for (int n = 1; n <= 10000; ++n) {
        const QString slug = n == 1 ? base : QStringLiteral("%1-%2").arg(base).arg(n);
        auto t = taken(slug);
        if (!t)
            return t.error();
        if (!t.value())
            return slug;
    }
    return makeError(QStringLiteral("duplicate"),
                     QCoreApplication::translate("chom::TenantService",
                                                 "Every slug derived from \"%1\" is taken; "
                                                 "choose a slug.")
                         .arg(base));
}

Error slugInUse(const QString& slug)
{
    return makeError(QStringLiteral("duplicate"),
                     QCoreApplication::translate("chom::TenantService",
                                                 "A tenant with slug \"%1\" already exists in that "
                                                 "organization.")
                         .arg(slug));
}

} // namespace

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
    auto slug = freeSlug(slugify(name), [&](const QString& s) { return orgs.slugTaken(s); });
    if (!slug)
        return slug.error();
    o.slug = slug.value();
    return orgs.insert(o);
}

Result<Id> TenantService::create(const Tenant& input)
{
    auto valid = validation::validateName(QStringLiteral("Tenant name"), input.name, 255);
    if (valid)
        valid = validation::validateText(QStringLiteral("The organization name"),
                                         input.organizationName, 255);
    if (valid)
        valid = validation::validateText(QStringLiteral("The slug"), input.slug, 100);
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
        TenantRepository repo(m_store);
        auto taken = [&](const QString& s) { return repo.slugTaken(t.organizationId, s); };
        if (!input.slug.isEmpty()) { // asked for: exactly that one
            t.slug = slugify(input.slug);
            auto used = taken(t.slug);
            if (!used)
                return used.error();
            if (used.value())
                return slugInUse(t.slug);
        } else {
            auto slug = freeSlug(slugify(t.name), taken);
            if (!slug)
                return slug.error();
            t.slug = slug.value();
        }
        auto id = repo.insert(t);
        if (!id)
            return id.error().code == QLatin1String("store_unique") ? slugInUse(t.slug) : id;
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
    if (valid)
        valid = validation::validateText(QStringLiteral("The slug"), input.slug, 100);
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
        if (!input.slug.isEmpty() && slugify(input.slug) != t.slug) {
            t.slug = slugify(input.slug);
            auto used = repo.slugTaken(t.organizationId, t.slug, t.id);
            if (!used)
                return used.error();
            if (used.value())
                return slugInUse(t.slug);
        }
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
        // Cascade (spec §1.3), in the store; the sites on their VPS follow
        // through TenantSites (sites/), which calls this first.
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
