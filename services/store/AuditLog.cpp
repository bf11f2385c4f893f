#include "store/AuditLog.h"

#include "store/Sql.h"
#include "store/Store.h"
#include "store/StoreMeta.h"

#include <QCryptographicHash>
#include <QSqlQuery>
#include <QtGlobal>

#include <pwd.h>
#include <unistd.h>

namespace chom {
namespace {

const QString kHeadKey = QStringLiteral("audit_head");

AuditEntry entryFrom(const QSqlQuery& q)
{
    AuditEntry e;
    e.id = q.value(0).toLongLong();
    e.createdAt = q.value(1).toLongLong();
    e.actor = q.value(2).toString();
    e.action = q.value(3).toString();
    e.targetType = q.value(4).toString();
    e.targetId = q.value(5).toString();
    e.details = q.value(6).toString();
    e.prevHash = q.value(7).toString();
    e.hash = q.value(8).toString();
    return e;
}

const char* const kSelect =
    "SELECT id, created_at, actor, action, target_type, target_id, details, "
    "prev_hash, hash FROM audit_log";

} // namespace

QString AuditLog::genesisHash()
{
    return QString(64, QLatin1Char('0'));
}

QString AuditLog::currentActor()
{
    // The account the process runs as, not what the environment claims.
    if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    for (const char* var : {"USER", "LOGNAME", "USERNAME"}) {
        const QString v = qEnvironmentVariable(var);
        if (!v.isEmpty())
            return v;
    }
    return QStringLiteral("unknown");
}

QString AuditLog::hashOf(const QString& prevHash, const AuditEntry& e)
{
    // Unit separators keep field boundaries unambiguous.
    const QChar sep(0x1f);
    const QString material = prevHash + sep + QString::number(e.id) + sep +
                             QString::number(e.createdAt) + sep + e.actor + sep + e.action + sep +
                             e.targetType + sep + e.targetId + sep + e.details;
    return QString::fromLatin1(
        QCryptographicHash::hash(material.toUtf8(), QCryptographicHash::Sha256).toHex());
}

Status AuditLog::append(const QString& action, const QString& targetType, const QString& targetId,
                        const QString& details)
{
    StoreMeta meta(m_store);
    // The head decides the next hash: locked until commit, so two writers
    // never chain onto the same entry (the chain never forks).
    auto head = meta.getForUpdate(kHeadKey);
    if (!head)
        return head.error();
    AuditEntry e;
    e.createdAt = nowSecs();
    e.actor = currentActor();
    e.action = action;
    e.targetType = targetType;
    e.targetId = targetId;
    e.details = details.left(2000);
    e.prevHash = head.value().isEmpty() ? genesisHash() : head.value();
    auto ins = insertReturningId(
        m_store,
        QStringLiteral("INSERT INTO audit_log(created_at, actor, action, target_type, "
                       "target_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, '')"),
        {e.createdAt, e.actor, e.action, e.targetType, e.targetId, e.details, e.prevHash});
    if (!ins)
        return ins.error();
    e.id = ins.value();
    e.hash = hashOf(e.prevHash, e);
    auto upd = execSql(m_store.db(), QStringLiteral("UPDATE audit_log SET hash = ? WHERE id = ?"),
                       {e.hash, e.id});
    if (!upd)
        return upd.error();
    return meta.set(kHeadKey, e.hash);
}

Result<QVector<AuditEntry>> AuditLog::recent(int limit) const
{
    auto q = execSql(m_store.db(),
                     QString::fromLatin1(kSelect) + QStringLiteral(" ORDER BY id DESC LIMIT ?"),
                     {limit});
    if (!q)
        return q.error();
    QVector<AuditEntry> out;
    while (q.value().next())
        out << entryFrom(q.value());
    return out;
}

Result<AuditVerification> AuditLog::verify() const
{
    auto q = execSql(m_store.db(), QString::fromLatin1(kSelect) + QStringLiteral(" ORDER BY id"));
    if (!q)
        return q.error();
    AuditVerification v;
    QString expectedPrev = genesisHash();
    while (q.value().next()) {
        const AuditEntry e = entryFrom(q.value());
        ++v.checked;
        if (e.prevHash != expectedPrev)
            v.problems << QStringLiteral("entry #%1 (%2): previous-hash link broken — an entry "
                                         "before it was removed, reordered or edited")
                              .arg(e.id)
                              .arg(e.action);
        const QString actual = hashOf(e.prevHash, e);
        if (actual != e.hash)
            v.problems << QStringLiteral("entry #%1 (%2): content does not match its hash "
                                         "(expected %3, stored %4)")
                              .arg(e.id)
                              .arg(e.action, actual.left(12), e.hash.left(12));
        expectedPrev = e.hash;
    }
    auto head = StoreMeta(m_store).get(kHeadKey);
    if (!head)
        return head.error();
    const QString storedHead = head.value().isEmpty() ? genesisHash() : head.value();
    if (storedHead != expectedPrev)
        v.problems << QStringLiteral("the chain ends at %1 but the recorded head is %2 — trailing "
                                     "entries were removed")
                          .arg(expectedPrev.left(12), storedHead.left(12));
    return v;
}

} // namespace chom
