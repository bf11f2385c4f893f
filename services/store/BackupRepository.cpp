#include "store/BackupRepository.h"

#include "store/Sql.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QSysInfo>

#include <cerrno>
#include <signal.h>

namespace chom {

Result<QVector<SiteBackup>> BackupRepository::list(Id siteId, int limit) const
{
    QString sql =
        QStringLiteral("SELECT b.id, b.site_id, s.domain, b.backup_type, b.storage_path, "
                       "b.size_bytes, b.checksum, "
                       "b.status, b.retention_days, b.expires_at, b.created_at FROM site_backups b "
                       "JOIN sites s ON s.id = b.site_id");
    QVariantList binds;
    if (siteId) {
        sql += QStringLiteral(" WHERE b.site_id = ?");
        binds << siteId;
    }
    sql += QStringLiteral(" ORDER BY b.created_at DESC, b.id DESC LIMIT ?");
    binds << limit;
    auto q = execSql(m_store.db(), sql, binds);
    if (!q)
        return q.error();
    QVector<SiteBackup> out;
    while (q.value().next()) {
        const QSqlQuery& r = q.value();
        SiteBackup b;
        b.id = r.value(0).toLongLong();
        b.siteId = r.value(1).toLongLong();
        b.domain = r.value(2).toString();
        b.backupType = r.value(3).toString();
        b.storagePath = r.value(4).toString();
        b.sizeBytes = r.value(5).toLongLong();
        b.checksum = r.value(6).toString();
        b.status = r.value(7).toString();
        b.retentionDays = r.value(8).toInt();
        b.expiresAt = r.value(9).toLongLong();
        b.createdAt = r.value(10).toLongLong();
        out << b;
    }
    return out;
}

Result<Id> BackupRepository::insert(const SiteBackup& b)
{
    auto q = insertReturningId(
        m_store,
        QStringLiteral("INSERT INTO site_backups(site_id, backup_type, storage_path, "
                       "size_bytes, checksum, status, retention_days, expires_at, "
                       "created_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {b.siteId, b.backupType, b.storagePath, b.sizeBytes, b.checksum, b.status, b.retentionDays,
         b.expiresAt, b.createdAt ? b.createdAt : nowSecs(),
         b.createdAt ? b.createdAt : nowSecs()});
    if (!q)
        return q.error();
    return q.value();
}

} // namespace chom
