#include "store/HostKeyStore.h"

#include "store/AuditLog.h"
#include "store/Mutation.h"
#include "store/Sql.h"
#include "store/Store.h"

#include <QSqlQuery>

namespace chom {
namespace {

KnownHost from(const QSqlQuery& q)
{
    KnownHost k;
    k.host = q.value(0).toString();
    k.port = q.value(1).toInt();
    k.keyType = q.value(2).toString();
    k.keyBase64 = q.value(3).toString();
    k.fingerprint = q.value(4).toString();
    k.trustedAt = q.value(5).toLongLong();
    k.trustedBy = q.value(6).toString();
    return k;
}

const char* const kSelect =
    "SELECT host, port, key_type, key_base64, fingerprint, trusted_at, trusted_by "
    "FROM known_hosts";

} // namespace

Result<std::optional<KnownHost>> HostKeyStore::lookup(const QString& host, int port) const
{
    auto q = execSql(m_store.db(),
                     QString::fromLatin1(kSelect) + QStringLiteral(" WHERE host = ? AND port = ?"),
                     {host, port});
    if (!q)
        return q.error();
    if (!q.value().next())
        return std::optional<KnownHost>();
    return std::optional<KnownHost>(from(q.value()));
}

Status HostKeyStore::trust(const KnownHost& key)
{
    return inTransaction<Unit>(m_store, [&]() -> Status {
        auto before = lookup(key.host, key.port);
        if (!before)
            return before.error();
        auto q =
            execSql(m_store.db(),
                    m_store.dialect().upsert(
                        QStringLiteral("known_hosts"),
                        {QStringLiteral("host"), QStringLiteral("port"), QStringLiteral("key_type"),
                         QStringLiteral("key_base64"), QStringLiteral("fingerprint"),
                         QStringLiteral("trusted_at"), QStringLiteral("trusted_by")},
                        {QStringLiteral("host"), QStringLiteral("port")}),
                    {key.host, key.port, key.keyType, key.keyBase64, key.fingerprint, nowSecs(),
                     AuditLog::currentActor()});
        if (!q)
            return q.error();
        const QString old = before.value() ? before.value()->fingerprint : QStringLiteral("none");
        return AuditLog(m_store).append(QStringLiteral("hostkey.trusted"), QStringLiteral("host"),
                                        QStringLiteral("%1:%2").arg(key.host).arg(key.port),
                                        QStringLiteral("%1 → %2").arg(old, key.fingerprint));
    });
}

Status HostKeyStore::forget(const QString& host, int port)
{
    return inTransaction<Unit>(m_store, [&]() -> Status {
        auto q = execSql(m_store.db(),
                         QStringLiteral("DELETE FROM known_hosts WHERE host = ? AND port = ?"),
                         {host, port});
        if (!q)
            return q.error();
        return AuditLog(m_store).append(QStringLiteral("hostkey.forgotten"), QStringLiteral("host"),
                                        QStringLiteral("%1:%2").arg(host).arg(port), QString());
    });
}

Result<QVector<KnownHost>> HostKeyStore::list() const
{
    auto q = execSql(m_store.db(),
                     QString::fromLatin1(kSelect) + QStringLiteral(" ORDER BY host, port"));
    if (!q)
        return q.error();
    QVector<KnownHost> out;
    while (q.value().next())
        out << from(q.value());
    return out;
}

} // namespace chom
