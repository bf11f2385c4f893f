#include "Format.h"

#include "Args.h"
#include "inventory/QuotaPolicy.h"
#include "store/DemoData.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>

namespace chom::cli {

QString formatTime(qint64 secs)
{
    if (secs <= 0)
        return QStringLiteral("-");
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-dd HH:mm")) +
           QStringLiteral(" UTC");
}

QString formatDate(qint64 secs)
{
    if (secs <= 0)
        return QStringLiteral("-");
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd"));
}

QString sslSummary(const Site& s, qint64 now)
{
    const SslState state = sslState(s.sslEnabled, s.sslExpiresAt, now);
    if (state == SslState::None)
        return QStringLiteral("none");
    return toString(state) + QStringLiteral(" (") + formatDate(s.sslExpiresAt) + QLatin1Char(')');
}

QJsonValue jsonTime(qint64 secs)
{
    if (secs <= 0)
        return QJsonValue::Null;
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(Qt::ISODate);
}

QJsonValue jsonId(Id id)
{
    return id ? QJsonValue(id) : QJsonValue(QJsonValue::Null);
}

QJsonObject toJson(const Tenant& t)
{
    return QJsonObject{
        {QStringLiteral("id"), t.id},
        {QStringLiteral("organization_id"), t.organizationId},
        {QStringLiteral("organization"), t.organizationName},
        {QStringLiteral("name"), t.name},
        {QStringLiteral("slug"), t.slug},
        {QStringLiteral("tier"), t.tier},
        {QStringLiteral("status"), toString(t.status)},
        {QStringLiteral("site_count"), t.siteCount},
        {QStringLiteral("max_sites"), t.maxSites},
        {QStringLiteral("sites_quota"), quota::describeSites(t)},
        {QStringLiteral("storage_used_mb"), t.storageUsedMb},
        {QStringLiteral("max_storage_gb"), t.maxStorageGb},
        {QStringLiteral("storage_quota"), quota::describeStorage(t)},
        {QStringLiteral("created_at"), jsonTime(t.createdAt)},
        {QStringLiteral("updated_at"), jsonTime(t.updatedAt)},
    };
}

QJsonObject toJson(const Vps& v)
{
    return QJsonObject{
        {QStringLiteral("id"), v.id},
        {QStringLiteral("hostname"), v.hostname},
        {QStringLiteral("ip_address"), v.ipAddress},
        {QStringLiteral("ssh_port"), v.sshPort},
        {QStringLiteral("ssh_user"), v.sshUser},
        {QStringLiteral("provider"), v.provider},
        {QStringLiteral("region"), v.region},
        {QStringLiteral("spec_cpu"), v.specCpu},
        {QStringLiteral("spec_memory_mb"), v.specMemoryMb},
        {QStringLiteral("spec_disk_gb"), v.specDiskGb},
        {QStringLiteral("status"), toString(v.status)},
        {QStringLiteral("health"), toString(v.health)},
        {QStringLiteral("health_error"), v.healthError},
        {QStringLiteral("last_health_check_at"), jsonTime(v.lastHealthCheckAt)},
        {QStringLiteral("agent_version"), v.agentVersion},
        {QStringLiteral("site_count"), v.siteCount},
        {QStringLiteral("created_at"), jsonTime(v.createdAt)},
        {QStringLiteral("updated_at"), jsonTime(v.updatedAt)},
    };
}

QJsonObject toJson(const Site& s, qint64 now)
{
    return QJsonObject{
        {QStringLiteral("id"), s.id},
        {QStringLiteral("tenant_id"), s.tenantId},
        {QStringLiteral("vps_id"), jsonId(s.vpsId)},
        {QStringLiteral("domain"), s.domain},
        {QStringLiteral("domain_unicode"), QUrl::fromAce(s.domain.toLatin1())},
        {QStringLiteral("url"),
         QString((s.sslEnabled ? QStringLiteral("https://") : QStringLiteral("http://")) +
                 s.domain)},
        {QStringLiteral("type"), toString(s.type)},
        {QStringLiteral("php_version"), s.phpVersion},
        {QStringLiteral("status"), toString(s.status)},
        {QStringLiteral("ssl_enabled"), s.sslEnabled},
        {QStringLiteral("ssl_expires_at"), jsonTime(s.sslExpiresAt)},
        {QStringLiteral("ssl_state"), toString(sslState(s.sslEnabled, s.sslExpiresAt, now))},
        {QStringLiteral("document_root"), s.documentRoot},
        {QStringLiteral("storage_used_mb"), s.storageUsedMb},
        {QStringLiteral("failure_reason"), s.failureReason},
        {QStringLiteral("provision_attempts"), s.provisionAttempts},
        {QStringLiteral("created_at"), jsonTime(s.createdAt)},
        {QStringLiteral("updated_at"), jsonTime(s.updatedAt)},
    };
}

QJsonObject toJson(const Operation& op)
{
    return QJsonObject{
        {QStringLiteral("id"), op.id},
        {QStringLiteral("correlation_id"), op.correlationId},
        {QStringLiteral("tenant_id"), jsonId(op.tenantId)},
        {QStringLiteral("type"), op.type},
        {QStringLiteral("target_type"), op.targetType},
        {QStringLiteral("target_id"), jsonId(op.targetId)},
        {QStringLiteral("status"), toString(op.status)},
        {QStringLiteral("progress"), op.progress},
        {QStringLiteral("error"), op.error},
        {QStringLiteral("created_at"), jsonTime(op.createdAt)},
        {QStringLiteral("started_at"), jsonTime(op.startedAt)},
        {QStringLiteral("completed_at"), jsonTime(op.completedAt)},
    };
}

QJsonObject toJson(const AuditEntry& e)
{
    return QJsonObject{
        {QStringLiteral("id"), e.id},
        {QStringLiteral("created_at"), jsonTime(e.createdAt)},
        {QStringLiteral("actor"), e.actor},
        {QStringLiteral("action"), e.action},
        {QStringLiteral("target_type"), e.targetType},
        {QStringLiteral("target_id"), e.targetId},
        {QStringLiteral("details"), e.details},
        {QStringLiteral("prev_hash"), e.prevHash},
        {QStringLiteral("hash"), e.hash},
    };
}

QJsonObject toJson(const DashboardStats& s)
{
    QJsonObject byStatus;
    for (const QString& st : allSiteStatuses())
        byStatus.insert(st, s.sitesByStatus.value(st));
    QJsonObject byHealth;
    for (const QString& h : allVpsHealths())
        byHealth.insert(h, s.vpsByHealth.value(h));
    QJsonArray ops;
    for (const Operation& op : s.recentOperations)
        ops.append(toJson(op));
    return QJsonObject{
        {QStringLiteral("tenant_id"), jsonId(s.tenantId)},
        {QStringLiteral("total_sites"), s.totalSites},
        {QStringLiteral("active_sites"), s.activeSites},
        {QStringLiteral("storage_used_mb"), s.storageUsedMb},
        {QStringLiteral("ssl_expiring_soon"), s.sslExpiringSoon},
        {QStringLiteral("ssl_window_days"), int(kSslExpiringWindowSecs / 86400)},
        {QStringLiteral("sites_by_status"), byStatus},
        {QStringLiteral("vps_by_health"), byHealth},
        {QStringLiteral("recent_operations"), ops},
        {QStringLiteral("computed_at"), jsonTime(s.computedAt)},
    };
}

QJsonObject toJson(const DemoSummary& s)
{
    return QJsonObject{
        {QStringLiteral("organizations"), s.organizations},
        {QStringLiteral("tenants"), s.tenants},
        {QStringLiteral("vps"), s.vps},
        {QStringLiteral("sites"), s.sites},
        {QStringLiteral("backups"), s.backups},
        {QStringLiteral("operations"), s.operations},
    };
}

Result<qint64> parseWhen(const QString& text, qint64 now)
{
    const QString t = text.trimmed();
    if (t == QLatin1String("none"))
        return qint64(0);
    static const QRegularExpression rel(QStringLiteral("^\\+(\\d{1,5})d$"));
    const auto m = rel.match(t);
    if (m.hasMatch())
        return now + m.captured(1).toLongLong() * 86400;
    const QDate d = QDate::fromString(t, Qt::ISODate);
    if (d.isValid() && t.size() == 10)
        return QDateTime(d, QTime(0, 0), Qt::UTC).toSecsSinceEpoch();
    QDateTime dt = QDateTime::fromString(t, Qt::ISODate);
    if (dt.isValid()) {
        if (dt.timeSpec() == Qt::LocalTime)
            dt.setTimeSpec(Qt::UTC);
        return dt.toSecsSinceEpoch();
    }
    return usageError(
        QStringLiteral("\"%1\" is not a date: use YYYY-MM-DD, an ISO-8601 time, +Nd or none")
            .arg(t.left(40)));
}

} // namespace chom::cli
