#include "store/TenantRepository.h"

#include "store/Sql.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QSqlRecord>

namespace chom {
namespace {

const char* const kTenantSelect =
    "SELECT t.id, t.organization_id, o.name, t.name, t.slug, t.tier, t.status, t.site_count, "
    "t.storage_used_mb, l.max_sites, l.max_storage_gb, t.created_at, t.updated_at "
    "FROM tenants t JOIN organizations o ON o.id = t.organization_id "
    "JOIN tier_limits l ON l.tier = t.tier";

Tenant tenantFrom(const QSqlQuery& q)
{
    Tenant t;
    t.id = q.value(0).toLongLong();
    t.organizationId = q.value(1).toLongLong();
    t.organizationName = q.value(2).toString();
    t.name = q.value(3).toString();
    t.slug = q.value(4).toString();
    t.tier = q.value(5).toString();
    t.status = tenantStatusFromString(q.value(6).toString()).value_or(TenantStatus::Active);
    t.siteCount = q.value(7).toInt();
    t.storageUsedMb = q.value(8).toLongLong();
    t.maxSites = q.value(9).toInt();
    t.maxStorageGb = q.value(10).toInt();
    t.createdAt = q.value(11).toLongLong();
    t.updatedAt = q.value(12).toLongLong();
    return t;
}

TierLimit tierFrom(const QSqlQuery& q)
{
    TierLimit l;
    l.tier = q.value(0).toString();
    l.name = q.value(1).toString();
    l.maxSites = q.value(2).toInt();
    l.maxStorageGb = q.value(3).toInt();
    l.maxBandwidthGb = q.value(4).toInt();
    l.backupRetentionDays = q.value(5).toInt();
    l.supportLevel = q.value(6).toString();
    l.priceMonthlyCents = q.value(7).toInt();
    return l;
}

const char* const kTierSelect =
    "SELECT tier, name, max_sites, max_storage_gb, max_bandwidth_gb, backup_retention_days, "
    "support_level, price_monthly_cents FROM tier_limits";

Error notFound(const QString& what, Id id)
{
    return makeError(QStringLiteral("not_found"),
                     QCoreApplication::translate("chom::TenantRepository", "%1 #%2 does not exist.")
                         .arg(what)
                         .arg(id));
}

} // namespace

Result<QVector<TierLimit>> TierRepository::list() const
{
    auto q = execSql(m_store.db(), QString::fromLatin1(kTierSelect) +
                                       QStringLiteral(" WHERE is_active = 1 ORDER BY CASE tier "
                                                      "WHEN 'starter' THEN 0 WHEN 'pro' THEN 1 "
                                                      "WHEN 'enterprise' THEN 2 ELSE 3 END, tier"));
    if (!q)
        return q.error();
    QVector<TierLimit> out;
    while (q.value().next())
        out << tierFrom(q.value());
    return out;
}

Result<TierLimit> TierRepository::get(const QString& tier) const
{
    auto q = execSql(m_store.db(),
                     QString::fromLatin1(kTierSelect) + QStringLiteral(" WHERE tier = ?"), {tier});
    if (!q)
        return q.error();
    if (!q.value().next())
        return makeError(
            QStringLiteral("invalid_tier"),
            QCoreApplication::translate("chom::TenantRepository", "Unknown tier \"%1\".")
                .arg(tier));
    return tierFrom(q.value());
}

Result<QVector<Organization>> OrganizationRepository::list() const
{
    auto q =
        execSql(m_store.db(), QStringLiteral("SELECT id, name, slug, billing_email, created_at "
                                             "FROM organizations ORDER BY name"));
    if (!q)
        return q.error();
    QVector<Organization> out;
    while (q.value().next()) {
        Organization o;
        o.id = q.value().value(0).toLongLong();
        o.name = q.value().value(1).toString();
        o.slug = q.value().value(2).toString();
        o.billingEmail = q.value().value(3).toString();
        o.createdAt = q.value().value(4).toLongLong();
        out << o;
    }
    return out;
}

Result<Id> OrganizationRepository::findByName(const QString& name) const
{
    auto q = execSql(m_store.db(), QStringLiteral("SELECT id FROM organizations WHERE name = ?"),
                     {name});
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : Id(0);
}

Result<bool> OrganizationRepository::slugTaken(const QString& slug) const
{
    auto q =
        execSql(m_store.db(), QStringLiteral("SELECT 1 FROM organizations WHERE slug = ?"), {slug});
    if (!q)
        return q.error();
    return q.value().next();
}

Result<bool> TenantRepository::slugTaken(Id organizationId, const QString& slug, Id except) const
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("SELECT 1 FROM tenants WHERE organization_id = ? AND slug = ? "
                                    "AND id <> ?"),
                     {organizationId, slug, except});
    if (!q)
        return q.error();
    return q.value().next();
}

Result<Id> OrganizationRepository::insert(const Organization& org)
{
    const qint64 now = nowSecs();
    auto q = insertReturningId(
        m_store,
        QStringLiteral("INSERT INTO organizations(name, slug, billing_email, created_at, "
                       "updated_at) VALUES (?, ?, ?, ?, ?)"),
        {org.name, org.slug, org.billingEmail, now, now});
    if (!q)
        return q.error();
    return q.value();
}

Result<QVector<Tenant>> TenantRepository::list() const
{
    auto q = execSql(m_store.db(),
                     QString::fromLatin1(kTenantSelect) + QStringLiteral(" ORDER BY t.name"));
    if (!q)
        return q.error();
    QVector<Tenant> out;
    while (q.value().next())
        out << tenantFrom(q.value());
    return out;
}

Result<Tenant> TenantRepository::get(Id id) const
{
    return select(id, false);
}

Result<Tenant> TenantRepository::getForUpdate(Id id) const
{
    return select(id, true);
}

Result<Tenant> TenantRepository::select(Id id, bool forUpdate) const
{
    const QString lock =
        forUpdate ? m_store.dialect().lockForUpdate(QStringLiteral("t")) : QString();
    auto q = execSql(m_store.db(),
                     QString::fromLatin1(kTenantSelect) + QStringLiteral(" WHERE t.id = ?") + lock,
                     {id});
    if (!q)
        return q.error();
    if (!q.value().next())
        return notFound(QStringLiteral("Tenant"), id);
    return tenantFrom(q.value());
}

Result<Id> TenantRepository::insert(const Tenant& t)
{
    const qint64 now = nowSecs();
    auto q = insertReturningId(
        m_store,
        QStringLiteral("INSERT INTO tenants(organization_id, name, slug, tier, status, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {t.organizationId, t.name, t.slug, t.tier, toString(t.status),
         t.createdAt ? t.createdAt : now, now});
    if (!q)
        return q.error();
    return q.value();
}

Status TenantRepository::update(const Tenant& t)
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("UPDATE tenants SET name = ?, slug = ?, tier = ?, status = ?, "
                                    "updated_at = ? WHERE id = ?"),
                     {t.name, t.slug, t.tier, toString(t.status), nowSecs(), t.id});
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(QStringLiteral("Tenant"), t.id);
    return okStatus();
}

Status TenantRepository::remove(Id id)
{
    auto q = execSql(m_store.db(), QStringLiteral("DELETE FROM tenants WHERE id = ?"), {id});
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(QStringLiteral("Tenant"), id);
    return okStatus();
}

} // namespace chom
