#include "store/VpsRepository.h"

#include "store/Sql.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QSqlQuery>

namespace chom {
namespace {

const char* const kVpsSelect =
    "SELECT v.id, v.hostname, v.ip_address, v.ssh_port, v.ssh_user, v.provider, v.region, "
    "v.spec_cpu, v.spec_memory_mb, v.spec_disk_gb, v.status, v.health_status, v.health_error, "
    "v.last_health_check_at, v.agent_version, v.created_at, v.updated_at, "
    "COALESCE(c.n, 0) FROM vps_servers v ";

Vps vpsFrom(const QSqlQuery& q)
{
    Vps v;
    v.id = q.value(0).toLongLong();
    v.hostname = q.value(1).toString();
    v.ipAddress = q.value(2).toString();
    v.sshPort = q.value(3).toInt();
    v.sshUser = q.value(4).toString();
    v.provider = q.value(5).toString();
    v.region = q.value(6).toString();
    v.specCpu = q.value(7).toInt();
    v.specMemoryMb = q.value(8).toInt();
    v.specDiskGb = q.value(9).toInt();
    v.status = vpsStatusFromString(q.value(10).toString()).value_or(VpsStatus::Provisioning);
    v.health = vpsHealthFromString(q.value(11).toString()).value_or(VpsHealth::Unknown);
    v.healthError = q.value(12).toString();
    v.lastHealthCheckAt = q.value(13).toLongLong();
    v.agentVersion = q.value(14).toString();
    v.createdAt = q.value(15).toLongLong();
    v.updatedAt = q.value(16).toLongLong();
    v.siteCount = q.value(17).toInt();
    return v;
}

QVariantList bindsOf(const Vps& v)
{
    return {v.hostname,          v.ipAddress,        v.sshPort,          v.sshUser,
            v.provider,          v.region,           v.specCpu,          v.specMemoryMb,
            v.specDiskGb,        toString(v.status), toString(v.health), v.healthError,
            v.lastHealthCheckAt, v.agentVersion};
}

Error notFound(Id id)
{
    return makeError(
        QStringLiteral("not_found"),
        QCoreApplication::translate("chom::VpsRepository", "VPS #%1 does not exist.").arg(id));
}

} // namespace

Result<QVector<Vps>> VpsRepository::list() const
{
    auto q =
        execSql(m_store.db(),
                QString::fromLatin1(kVpsSelect) +
                    QStringLiteral("LEFT JOIN (SELECT vps_id, COUNT(*) AS n FROM sites "
                                   "GROUP BY vps_id) c ON c.vps_id = v.id ORDER BY v.hostname"));
    if (!q)
        return q.error();
    QVector<Vps> out;
    while (q.value().next())
        out << vpsFrom(q.value());
    return out;
}

Result<Vps> VpsRepository::get(Id id) const
{
    auto q = execSql(m_store.db(),
                     QString::fromLatin1(kVpsSelect) +
                         QStringLiteral("LEFT JOIN (SELECT vps_id, COUNT(*) AS n FROM sites WHERE "
                                        "vps_id = ? GROUP BY vps_id) c ON c.vps_id = v.id "
                                        "WHERE v.id = ?"),
                     {id, id});
    if (!q)
        return q.error();
    if (!q.value().next())
        return notFound(id);
    return vpsFrom(q.value());
}

Result<Id> VpsRepository::insert(const Vps& v)
{
    const qint64 now = nowSecs();
    QVariantList b = bindsOf(v);
    b << (v.createdAt ? v.createdAt : now) << now;
    auto q = insertReturningId(
        m_store,
        QStringLiteral("INSERT INTO vps_servers(hostname, ip_address, ssh_port, ssh_user, "
                       "provider, region, spec_cpu, spec_memory_mb, spec_disk_gb, status, "
                       "health_status, health_error, last_health_check_at, agent_version, "
                       "created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        b);
    if (!q)
        return q.error();
    return q.value();
}

Status VpsRepository::update(const Vps& v)
{
    QVariantList b = bindsOf(v);
    b << nowSecs() << v.id;
    auto q =
        execSql(m_store.db(),
                QStringLiteral("UPDATE vps_servers SET hostname = ?, ip_address = ?, ssh_port = ?, "
                               "ssh_user = ?, provider = ?, region = ?, spec_cpu = ?, "
                               "spec_memory_mb = ?, spec_disk_gb = ?, status = ?, "
                               "health_status = ?, health_error = ?, last_health_check_at = ?, "
                               "agent_version = ?, updated_at = ? WHERE id = ?"),
                b);
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(v.id);
    return okStatus();
}

Status VpsRepository::remove(Id id)
{
    auto q = execSql(m_store.db(), QStringLiteral("DELETE FROM vps_servers WHERE id = ?"), {id});
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(id);
    return okStatus();
}

Result<int> VpsRepository::siteCount(Id id) const
{
    auto q =
        execSql(m_store.db(), QStringLiteral("SELECT COUNT(*) FROM sites WHERE vps_id = ?"), {id});
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toInt() : 0;
}

Result<bool> VpsRepository::hostnameTaken(const QString& hostname, Id exceptId) const
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("SELECT 1 FROM vps_servers WHERE hostname = ? AND id <> ?"),
                     {hostname, exceptId});
    if (!q)
        return q.error();
    return q.value().next();
}

Status VpsRepository::recordHealth(Id id, VpsHealth health, const QString& error, qint64 checkedAt)
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("UPDATE vps_servers SET health_status = ?, health_error = ?, "
                                    "last_health_check_at = ? WHERE id = ?"),
                     {toString(health), error, checkedAt, id});
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(id);
    return okStatus();
}

Status VpsRepository::recordCheck(Id id, qint64 checkedAt)
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("UPDATE vps_servers SET last_health_check_at = ? WHERE id = ?"),
                     {checkedAt, id});
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(id);
    return okStatus();
}

Status VpsRepository::setAgentVersion(Id id, const QString& version)
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("UPDATE vps_servers SET agent_version = ?, updated_at = ? "
                                    "WHERE id = ?"),
                     {version, nowSecs(), id});
    if (!q)
        return q.error();
    if (q.value().numRowsAffected() == 0)
        return notFound(id);
    return okStatus();
}

} // namespace chom
