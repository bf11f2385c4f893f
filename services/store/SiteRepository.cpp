#include "store/SiteRepository.h"

#include "store/Sql.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace chom {
namespace {

const char* const kSiteSelect =
    "SELECT id, tenant_id, COALESCE(vps_id, 0), domain, site_type, php_version, status, "
    "ssl_enabled, ssl_expires_at, document_root, db_name, db_user, storage_used_mb, "
    "failure_reason, provision_attempts, created_at, updated_at, ssl_issued_at FROM sites";

Site siteFrom(const QSqlQuery& q)
{
    Site s;
    s.id = q.value(0).toLongLong();
    s.tenantId = q.value(1).toLongLong();
    s.vpsId = q.value(2).toLongLong();
    s.domain = q.value(3).toString();
    s.type = siteTypeFromString(q.value(4).toString()).value_or(SiteType::Html);
    s.phpVersion = q.value(5).toString();
    s.status = siteStatusFromString(q.value(6).toString()).value_or(SiteStatus::Failed);
    s.sslEnabled = q.value(7).toInt() != 0;
    s.sslExpiresAt = q.value(8).toLongLong();
    s.documentRoot = q.value(9).toString();
    s.dbName = q.value(10).toString();
    s.dbUser = q.value(11).toString();
    s.storageUsedMb = q.value(12).toLongLong();
    s.failureReason = q.value(13).toString();
    s.provisionAttempts = q.value(14).toInt();
    s.createdAt = q.value(15).toLongLong();
    s.updatedAt = q.value(16).toLongLong();
    s.sslIssuedAt = q.value(17).toLongLong();
    return s;
}

QVariantList bindsOf(const Site& s)
{
    return {s.tenantId,
            s.vpsId ? QVariant(s.vpsId) : QVariant(),
            s.domain,
            toString(s.type),
            s.phpVersion,
            toString(s.status),
            s.sslEnabled ? 1 : 0,
            s.sslExpiresAt,
            s.documentRoot,
            s.dbName,
            s.dbUser,
            s.storageUsedMb,
            s.failureReason,
            s.provisionAttempts,
            s.sslIssuedAt};
}

Result<QVector<Site>> collect(Result<QSqlQuery> q)
{
    if (!q)
        return q.error();
    QVector<Site> out;
    while (q.value().next())
        out << siteFrom(q.value());
    return out;
}

Error notFound(const QString& what)
{
    return makeError(
        QStringLiteral("not_found"),
        QCoreApplication::translate("chom::SiteRepository", "Site %1 does not exist.").arg(what));
}

} // namespace

Result<QVector<Site>> SiteRepository::list(Id tenantId) const
{
    if (tenantId)
        return collect(execSql(m_store.db(),
                               QString::fromLatin1(kSiteSelect) +
                                   QStringLiteral(" WHERE tenant_id = ? ORDER BY id"),
                               {tenantId}));
    return collect(
        execSql(m_store.db(), QString::fromLatin1(kSiteSelect) + QStringLiteral(" ORDER BY id")));
}

Result<QVector<Site>> SiteRepository::listForTable() const
{
    auto q = execSql(
        m_store.db(),
        QStringLiteral("SELECT id, tenant_id, COALESCE(vps_id, 0), domain, site_type, php_version, "
                       "status, ssl_enabled, ssl_expires_at, storage_used_mb, failure_reason, "
                       "provision_attempts, created_at, updated_at FROM sites ORDER BY id"));
    if (!q)
        return q.error();
    QHash<QString, QString> interned; // "8.2" once, not 100k heap copies
    QVector<Site> out;
    QSqlQuery& r = q.value();
    while (r.next()) {
        Site s;
        s.id = r.value(0).toLongLong();
        s.tenantId = r.value(1).toLongLong();
        s.vpsId = r.value(2).toLongLong();
        s.domain = r.value(3).toString();
        s.type = siteTypeFromString(r.value(4).toString()).value_or(SiteType::Html);
        const QString php = r.value(5).toString();
        auto it = interned.constFind(php);
        s.phpVersion = it != interned.constEnd() ? *it : *interned.insert(php, php);
        s.status = siteStatusFromString(r.value(6).toString()).value_or(SiteStatus::Failed);
        s.sslEnabled = r.value(7).toInt() != 0;
        s.sslExpiresAt = r.value(8).toLongLong();
        s.storageUsedMb = r.value(9).toLongLong();
        const QString reason = r.value(10).toString();
        if (!reason.isEmpty())
            s.failureReason = reason;
        s.provisionAttempts = r.value(11).toInt();
        s.createdAt = r.value(12).toLongLong();
        s.updatedAt = r.value(13).toLongLong();
        out << s;
    }
    return out;
}

Result<QVector<Site>> SiteRepository::getMany(const QVector<Id>& ids) const
{
    if (ids.isEmpty())
        return QVector<Site>{};
    QStringList marks;
    QVariantList binds;
    for (Id id : ids) {
        marks << QStringLiteral("?");
        binds << id;
    }
    return collect(execSql(m_store.db(),
                           QString::fromLatin1(kSiteSelect) + QStringLiteral(" WHERE id IN (") +
                               marks.join(QLatin1Char(',')) + QStringLiteral(")"),
                           binds));
}

Result<Site> SiteRepository::get(Id id) const
{
    auto r = getMany({id});
    if (!r)
        return r.error();
    if (r.value().isEmpty())
        return notFound(QStringLiteral("#%1").arg(id));
    return r.value().first();
}

Result<Site> SiteRepository::byDomain(const QString& domain) const
{
    auto r = collect(execSql(m_store.db(),
                             QString::fromLatin1(kSiteSelect) + QStringLiteral(" WHERE domain = ?"),
                             {domain}));
    if (!r)
        return r.error();
    if (r.value().isEmpty())
        return notFound(domain);
    return r.value().first();
}

Result<bool> SiteRepository::domainTaken(const QString& domain, Id exceptId) const
{
    auto q =
        execSql(m_store.db(), QStringLiteral("SELECT 1 FROM sites WHERE domain = ? AND id <> ?"),
                {domain, exceptId});
    if (!q)
        return q.error();
    return q.value().next();
}

Result<Id> SiteRepository::insert(const Site& s)
{
    const qint64 now = nowSecs();
    QVariantList b = bindsOf(s);
    b << (s.createdAt ? s.createdAt : now) << now;
    auto q = insertReturningId(
        m_store,
        QStringLiteral("INSERT INTO sites(tenant_id, vps_id, domain, site_type, "
                       "php_version, status, ssl_enabled, ssl_expires_at, document_root, "
                       "db_name, db_user, storage_used_mb, failure_reason, "
                       "provision_attempts, ssl_issued_at, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        b);
    if (!q)
        return q.error();
    return q.value();
}

Status SiteRepository::update(const Site& s)
{
    QVariantList b = bindsOf(s);
    b << nowSecs() << s.id;
    auto q =
        execSql(m_store.db(),
                QStringLiteral("UPDATE sites SET tenant_id = ?, vps_id = ?, domain = ?, "
                               "site_type = ?, php_version = ?, status = ?, ssl_enabled = ?, "
                               "ssl_expires_at = ?, document_root = ?, db_name = ?, db_user = ?, "
                               "storage_used_mb = ?, failure_reason = ?, provision_attempts = ?, "
                               "ssl_issued_at = ?, updated_at = ? WHERE id = ?"),
                b);
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(QStringLiteral("#%1").arg(s.id));
    return okStatus();
}

Status SiteRepository::remove(Id id)
{
    auto q = execSql(m_store.db(), QStringLiteral("DELETE FROM sites WHERE id = ?"), {id});
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(QStringLiteral("#%1").arg(id));
    return okStatus();
}

Result<QVector<Id>> SiteRepository::setStatusForTenant(Id tenantId, const QVector<SiteStatus>& from,
                                                       SiteStatus to)
{
    QStringList marks;
    QVariantList binds{tenantId};
    for (SiteStatus s : from) {
        marks << QStringLiteral("?");
        binds << toString(s);
    }
    const QString where = QStringLiteral(" WHERE tenant_id = ? AND status IN (") +
                          marks.join(QLatin1Char(',')) + QStringLiteral(")");
    auto ids = execSql(m_store.db(), QStringLiteral("SELECT id FROM sites") + where, binds);
    if (!ids)
        return ids.error();
    QVector<Id> out;
    while (ids.value().next())
        out << ids.value().value(0).toLongLong();
    if (out.isEmpty())
        return out;
    QVariantList upd{toString(to), nowSecs()};
    upd << binds;
    auto q = execSql(m_store.db(),
                     QStringLiteral("UPDATE sites SET status = ?, updated_at = ?") + where, upd);
    if (!q)
        return q.error();
    return out;
}

} // namespace chom
