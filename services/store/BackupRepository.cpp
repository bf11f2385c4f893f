#include "store/BackupRepository.h"

#include "store/Sql.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QSysInfo>

#include <cerrno>
#include <signal.h>

namespace chom {

namespace {

const char* const kBackupSelect =
    "SELECT b.id, b.site_id, s.domain, b.backup_type, b.storage_path, b.size_bytes, b.checksum, "
    "b.status, b.retention_days, b.expires_at, b.created_at, b.vps_id, b.backup_uid, "
    "b.snapshot_id, b.error_message, b.completed_at, b.verified_at FROM site_backups b "
    "JOIN sites s ON s.id = b.site_id";

SiteBackup backupFrom(const QSqlQuery& r)
{
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
    b.vpsId = r.value(11).toLongLong();
    b.backupUid = r.value(12).toString();
    b.snapshotId = r.value(13).toString();
    b.error = r.value(14).toString();
    b.completedAt = r.value(15).toLongLong();
    b.verifiedAt = r.value(16).toLongLong();
    return b;
}

} // namespace

Result<QVector<SiteBackup>> BackupRepository::list(Id siteId, int limit) const
{
    QString sql = QString::fromLatin1(kBackupSelect);
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
    while (q.value().next())
        out << backupFrom(q.value());
    return out;
}

Result<SiteBackup> BackupRepository::get(Id id) const
{
    auto q = execSql(m_store.db(),
                     QString::fromLatin1(kBackupSelect) + QStringLiteral(" WHERE b.id = ?"), {id});
    if (!q)
        return q.error();
    if (!q.value().next())
        return makeError(
            QStringLiteral("not_found"),
            QCoreApplication::translate("chom::BackupRepository", "Backup #%1 does not exist.")
                .arg(id));
    return backupFrom(q.value());
}

Status BackupRepository::updateOutcome(const SiteBackup& b)
{
    auto q =
        execSql(m_store.db(),
                QStringLiteral("UPDATE site_backups SET status = ?, size_bytes = ?, checksum = ?, "
                               "snapshot_id = ?, storage_path = ?, error_message = ?, "
                               "expires_at = ?, completed_at = ?, verified_at = ? WHERE id = ?"),
                {b.status, b.sizeBytes, b.checksum, b.snapshotId, b.storagePath, b.error,
                 b.expiresAt, b.completedAt, b.verifiedAt, b.id});
    if (!q)
        return q.error();
    return okStatus();
}

Status BackupRepository::remove(Id id)
{
    auto q = execSql(m_store.db(), QStringLiteral("DELETE FROM site_backups WHERE id = ?"), {id});
    if (!q)
        return q.error();
    return okStatus();
}

Result<Id> BackupRepository::insert(const SiteBackup& b)
{
    const qint64 created = b.createdAt ? b.createdAt : nowSecs();
    // A finished backup recorded in one go (imports, demo data) completed
    // when it was made; a running one has no completion yet.
    const qint64 completed =
        b.completedAt ? b.completedAt : (b.status == QLatin1String("completed") ? created : 0);
    auto q = insertReturningId(
        m_store,
        QStringLiteral("INSERT INTO site_backups(site_id, backup_type, storage_path, "
                       "size_bytes, checksum, status, retention_days, expires_at, "
                       "created_at, completed_at, vps_id, backup_uid, snapshot_id, error_message) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {b.siteId, b.backupType, b.storagePath, b.sizeBytes, b.checksum, b.status, b.retentionDays,
         b.expiresAt, created, completed, b.vpsId, b.backupUid, b.snapshotId, b.error});
    if (!q)
        return q.error();
    return q.value();
}

} // namespace chom
