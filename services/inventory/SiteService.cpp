#include "inventory/SiteService.h"

#include "base/ChangeNotifier.h"
#include "inventory/QuotaPolicy.h"
#include "inventory/Validation.h"
#include "store/AuditLog.h"
#include "store/BackupRepository.h"
#include "store/Mutation.h"
#include "store/SiteRepository.h"
#include "store/TenantRepository.h"
#include "store/VpsRepository.h"

#include <QCoreApplication>

#include <tuple>

namespace chom {
namespace {

Result<Site> normalized(const Site& input)
{
    Site s = input;
    auto domain = validation::normalizeDomain(input.domain);
    if (!domain)
        return domain.error();
    s.domain = domain.value();
    auto php = validation::validatePhpVersion(s.phpVersion);
    if (!php)
        return php.error();
    if (s.storageUsedMb < 0)
        return makeError(
            QStringLiteral("invalid_storage"),
            QCoreApplication::translate("chom::SiteService", "Storage cannot be negative."));
    auto root = validation::normalizeDocumentRoot(s.domain, s.documentRoot);
    if (!root)
        return root.error();
    s.documentRoot = root.value();
    for (const auto& [what, value, max] :
         {std::tuple{QStringLiteral("The database name"), s.dbName, 64},
          std::tuple{QStringLiteral("The database user"), s.dbUser, 32}})
        if (auto t = validation::validateText(what, value, max); !t)
            return t.error();
    return s;
}

Error domainTaken(const QString& d)
{
    return makeError(QStringLiteral("duplicate_domain"),
                     QCoreApplication::translate("chom::SiteService",
                                                 "The domain %1 is already used by another site.")
                         .arg(d));
}

} // namespace

Status SiteService::checkPlacement(const Site& s)
{
    if (!s.vpsId)
        return okStatus();
    auto vps = VpsRepository(m_store).get(s.vpsId);
    if (!vps)
        return vps.error();
    if (vps.value().status == VpsStatus::Decommissioned)
        return makeError(QStringLiteral("vps_unavailable"),
                         QCoreApplication::translate(
                             "chom::SiteService", "VPS %1 is decommissioned and cannot host sites.")
                             .arg(vps.value().hostname));
    return okStatus();
}

Result<Id> SiteService::create(const Site& input)
{
    auto norm = normalized(input);
    if (!norm)
        return norm.error();
    const Site s = norm.value();
    auto id = inTransaction<Id>(m_store, [&]() -> Result<Id> {
        auto tenant = TenantRepository(m_store).getForUpdate(s.tenantId); // quota decides
        if (!tenant)
            return tenant.error();
        if (tenant.value().status != TenantStatus::Active)
            return makeError(
                QStringLiteral("tenant_inactive"),
                QCoreApplication::translate("chom::SiteService",
                                            "Tenant \"%1\" is %2; activate it before adding sites.")
                    .arg(tenant.value().name, toString(tenant.value().status)));
        auto q = quota::canAddSites(tenant.value(), 1);
        if (!q)
            return q.error();
        q = quota::canUseStorage(tenant.value(), s.storageUsedMb);
        if (!q)
            return q.error();
        SiteRepository repo(m_store);
        auto taken = repo.domainTaken(s.domain, 0);
        if (!taken)
            return taken.error();
        if (taken.value())
            return domainTaken(s.domain);
        auto placed = checkPlacement(s);
        if (!placed)
            return placed.error();
        auto id = repo.insert(s);
        if (!id)
            return id;
        auto a = AuditLog(m_store).append(QStringLiteral("site.created"), QStringLiteral("site"),
                                          QString::number(id.value()),
                                          QStringLiteral("domain=%1 tenant=%2 type=%3")
                                              .arg(s.domain)
                                              .arg(s.tenantId)
                                              .arg(toString(s.type)));
        if (!a)
            return a.error();
        return id;
    });
    if (id)
        m_notifier.notify(ChangeNotifier::Entity::Sites, {id.value()});
    return id;
}

Status SiteService::update(const Site& input)
{
    auto norm = normalized(input);
    if (!norm)
        return norm.error();
    const Site s = norm.value();
    auto st = inTransaction<Unit>(m_store, [&]() -> Status {
        SiteRepository repo(m_store);
        auto before = repo.get(s.id);
        if (!before)
            return before.error();
        const Site& b = before.value();
        if (s.domain != b.domain) {
            auto taken = repo.domainTaken(s.domain, s.id);
            if (!taken)
                return taken.error();
            if (taken.value())
                return domainTaken(s.domain);
        }
        auto tenant = TenantRepository(m_store).getForUpdate(s.tenantId); // quota decides
        if (!tenant)
            return tenant.error();
        const bool moved = s.tenantId != b.tenantId;
        auto q = moved ? quota::canAddSites(tenant.value(), 1) : okStatus();
        if (!q)
            return q;
        q = quota::canUseStorage(tenant.value(),
                                 moved ? s.storageUsedMb : s.storageUsedMb - b.storageUsedMb);
        if (!q)
            return q;
        if (s.vpsId != b.vpsId) {
            auto placed = checkPlacement(s);
            if (!placed)
                return placed;
        }
        auto u = repo.update(s);
        if (!u)
            return u;
        return AuditLog(m_store).append(
            QStringLiteral("site.updated"), QStringLiteral("site"), QString::number(s.id),
            QStringLiteral("domain %1→%2; php %3→%4; tenant %5→%6; vps %7→%8")
                .arg(b.domain, s.domain, b.phpVersion, s.phpVersion)
                .arg(b.tenantId)
                .arg(s.tenantId)
                .arg(b.vpsId)
                .arg(s.vpsId));
    });
    if (st)
        m_notifier.notify(ChangeNotifier::Entity::Sites, {s.id});
    return st;
}

Status SiteService::setStatus(Id id, SiteStatus status)
{
    auto st = inTransaction<Unit>(m_store, [&]() -> Status {
        SiteRepository repo(m_store);
        auto before = repo.get(id);
        if (!before)
            return before.error();
        Site s = before.value();
        if (s.status == status)
            return okStatus();
        s.status = status;
        auto u = repo.update(s);
        if (!u)
            return u;
        return AuditLog(m_store).append(
            QStringLiteral("site.status_changed"), QStringLiteral("site"), QString::number(id),
            QStringLiteral("%1: %2→%3")
                .arg(s.domain, toString(before.value().status), toString(status)));
    });
    if (st)
        m_notifier.notify(ChangeNotifier::Entity::Sites, {id});
    return st;
}

Status SiteService::remove(Id id)
{
    auto st = inTransaction<Unit>(m_store, [&]() -> Status {
        SiteRepository repo(m_store);
        auto before = repo.get(id);
        if (!before)
            return before.error();
        auto r = repo.remove(id);
        if (!r)
            return r;
        return AuditLog(m_store).append(QStringLiteral("site.deleted"), QStringLiteral("site"),
                                        QString::number(id),
                                        QStringLiteral("domain=%1 tenant=%2")
                                            .arg(before.value().domain)
                                            .arg(before.value().tenantId));
    });
    if (st)
        m_notifier.notify(ChangeNotifier::Entity::Sites, {id});
    return st;
}

Result<QVector<Site>> SiteService::list(Id tenantId) const
{
    return SiteRepository(m_store).list(tenantId);
}

Result<QVector<Site>> SiteService::listForTable() const
{
    return SiteRepository(m_store).listForTable();
}

Result<QVector<Site>> SiteService::getMany(const QVector<Id>& ids) const
{
    return SiteRepository(m_store).getMany(ids);
}

Result<Site> SiteService::get(Id id) const
{
    return SiteRepository(m_store).get(id);
}

Result<Site> SiteService::byDomain(const QString& normalizedDomain) const
{
    return SiteRepository(m_store).byDomain(normalizedDomain);
}

Result<QVector<SiteBackup>> SiteService::backups(Id siteId, int limit) const
{
    return BackupRepository(m_store).list(siteId, limit);
}

} // namespace chom
