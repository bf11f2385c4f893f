#include "store/DashboardQuery.h"

#include "store/OperationJournal.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QSqlQuery>

#include <limits>

namespace chom {
namespace {

// One statement, one round trip: every figure is a labelled row. Counts come
// from site_status_counts (maintained by triggers), storage from tenants, SSL
// from the partial expiry index; nothing scans the sites table.
QString aggregateSql(bool perTenant)
{
    const QString t = perTenant ? QStringLiteral(" AND tenant_id = :tid") : QString();
    const QString tw = perTenant ? QStringLiteral(" WHERE tenant_id = :tid") : QString();
    const QString vpsFilter =
        perTenant ? QStringLiteral(
                        " WHERE id IN (SELECT DISTINCT vps_id FROM sites WHERE tenant_id = :tid)")
                  : QString();
    return QStringLiteral("SELECT 'status', status, SUM(n) FROM site_status_counts") + tw +
           QStringLiteral(" GROUP BY status"
                          " UNION ALL SELECT 'health', health_status, COUNT(*) FROM vps_servers") +
           vpsFilter +
           QStringLiteral(
               " GROUP BY health_status"
               " UNION ALL SELECT 'storage', '', COALESCE(SUM(storage_used_mb), 0) FROM tenants") +
           (perTenant ? QStringLiteral(" WHERE id = :tid") : QString()) +
           QStringLiteral(" UNION ALL SELECT 'ssl', '', COUNT(*) FROM sites WHERE ssl_enabled = 1"
                          " AND ssl_expires_at > :now AND ssl_expires_at <= :soon") +
           t +
           // Next moments the window changes: a cert leaves it (expires) or enters it.
           QStringLiteral(
               " UNION ALL SELECT 'leave', '', MIN(ssl_expires_at) FROM sites WHERE ssl_enabled = 1"
               " AND ssl_expires_at > :now") +
           t +
           QStringLiteral(
               " UNION ALL SELECT 'enter', '', MIN(ssl_expires_at) FROM sites WHERE ssl_enabled = 1"
               " AND ssl_expires_at > :soon") +
           t;
}

} // namespace

Result<DashboardStats> DashboardQuery::compute(Id tenantId) const
{
    const qint64 now = nowSecs();
    const qint64 soon = now + kSslExpiringWindowSecs;
    QSqlQuery q(m_store.db());
    q.setForwardOnly(true);
    if (!q.prepare(aggregateSql(tenantId != 0)))
        return makeError(QStringLiteral("store"),
                         QCoreApplication::translate("chom::DashboardQuery",
                                                     "Dashboard query failed to prepare."));
    q.bindValue(QStringLiteral(":now"), now);
    q.bindValue(QStringLiteral(":soon"), soon);
    if (tenantId)
        q.bindValue(QStringLiteral(":tid"), tenantId);
    if (!q.exec())
        return makeError(
            QStringLiteral("store"),
            QCoreApplication::translate("chom::DashboardQuery", "Dashboard query failed."));
    DashboardStats s;
    s.tenantId = tenantId;
    s.computedAt = now;
    s.validUntil = std::numeric_limits<qint64>::max();
    while (q.next()) {
        const QString kind = q.value(0).toString();
        const QString key = q.value(1).toString();
        const QVariant v = q.value(2);
        if (kind == QLatin1String("status")) {
            s.sitesByStatus[key] = v.toLongLong();
            s.totalSites += v.toLongLong();
        } else if (kind == QLatin1String("health")) {
            s.vpsByHealth[key] = v.toLongLong();
        } else if (kind == QLatin1String("storage")) {
            s.storageUsedMb = v.toLongLong();
        } else if (kind == QLatin1String("ssl")) {
            s.sslExpiringSoon = v.toLongLong();
        } else if (!v.isNull()) { // leave / enter
            const qint64 at = kind == QLatin1String("leave")
                                  ? v.toLongLong()
                                  : v.toLongLong() - kSslExpiringWindowSecs;
            s.validUntil = qMin(s.validUntil, at);
        }
    }
    s.activeSites = s.sitesByStatus.value(QStringLiteral("active"));
    auto ops = OperationJournal(m_store).recent(5, tenantId);
    if (!ops)
        return ops.error();
    s.recentOperations = ops.value();
    return s;
}

} // namespace chom
