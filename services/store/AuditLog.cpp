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
const QString kCountKey = QStringLiteral("audit_count");
const QString kHeadAtKey = QStringLiteral("audit_head_at");
const char kV2Prefix[] = "v2:";

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

QString AuditLog::hashV1(const QString& prevHash, const AuditEntry& e)
{
    // The first encoding, kept so entries written with it still verify: unit
    // separators between fields (ambiguous when a field holds one).
    const QChar sep(0x1f);
    const QString material = prevHash + sep + QString::number(e.id) + sep +
                             QString::number(e.createdAt) + sep + e.actor + sep + e.action + sep +
                             e.targetType + sep + e.targetId + sep + e.details;
    return QString::fromLatin1(
        QCryptographicHash::hash(material.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString AuditLog::hashOf(const QString& prevHash, const AuditEntry& e)
{
    // Every field as "<byte length>:<UTF-8 bytes>", after a tag naming the
    // encoding: no text can move from one field to the next unnoticed.
    QByteArray material("chom-audit-v2");
    for (const QString& field : {prevHash, QString::number(e.id), QString::number(e.createdAt),
                                 e.actor, e.action, e.targetType, e.targetId, e.details}) {
        const QByteArray bytes = field.toUtf8();
        material += QByteArray::number(bytes.size()) + ':' + bytes;
    }
    return QString::fromLatin1(kV2Prefix) +
           QString::fromLatin1(
               QCryptographicHash::hash(material, QCryptographicHash::Sha256).toHex());
}

QString AuditLog::expectedHash(const QString& prevHash, const AuditEntry& e)
{
    return e.hash.startsWith(QLatin1String(kV2Prefix)) ? hashOf(prevHash, e) : hashV1(prevHash, e);
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
    auto count = recordedCount();
    if (!count)
        return count.error();
    auto lastAt = meta.get(kHeadAtKey);
    if (!lastAt)
        return lastAt.error();
    AuditEntry e;
    // Never before the entry it follows, whatever the clock did since.
    e.createdAt = qMax(nowSecs(), lastAt.value().toLongLong());
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
    for (const auto& [key, value] :
         {std::pair{kHeadKey, e.hash}, std::pair{kCountKey, QString::number(count.value() + 1)},
          std::pair{kHeadAtKey, QString::number(e.createdAt)}})
        if (auto st = meta.set(key, value); !st)
            return st;
    return okStatus();
}

// The number of entries the log should hold. A store from before the count
// was kept counts its rows once (the next append records the figure).
Result<qint64> AuditLog::recordedCount() const
{
    auto stored = StoreMeta(m_store).get(kCountKey);
    if (!stored)
        return stored.error();
    if (!stored.value().isEmpty())
        return stored.value().toLongLong();
    auto q = execSql(m_store.db(), QStringLiteral("SELECT COUNT(*) FROM audit_log"));
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : 0;
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
    AuditVerification v;
    if (auto intact = m_store.checkIntegrity(); !intact)
        v.problems << intact.error().message;
    auto q = execSql(m_store.db(), QString::fromLatin1(kSelect) + QStringLiteral(" ORDER BY id"));
    if (!q)
        return q.error();
    QString expectedPrev = genesisHash();
    AuditEntry before;
    bool newEncodingSeen = false;
    while (q.value().next()) {
        const AuditEntry e = entryFrom(q.value());
        ++v.checked;
        checkEntry(e, before, expectedPrev, &newEncodingSeen, &v.problems);
        expectedPrev = e.hash;
        before = e;
    }
    auto head = StoreMeta(m_store).get(kHeadKey);
    if (!head)
        return head.error();
    const QString storedHead = head.value().isEmpty() ? genesisHash() : head.value();
    if (storedHead != expectedPrev)
        v.problems << QStringLiteral("the chain ends at %1 but the recorded head is %2 — trailing "
                                     "entries were removed")
                          .arg(expectedPrev.left(15), storedHead.left(15));
    auto count = StoreMeta(m_store).get(kCountKey);
    if (!count)
        return count.error();
    if (!count.value().isEmpty() && count.value().toLongLong() != v.checked)
        v.problems << QStringLiteral("the log holds %1 entries but %2 were recorded — entries "
                                     "were removed or inserted")
                          .arg(v.checked)
                          .arg(count.value());
    return v;
}

void AuditLog::checkEntry(const AuditEntry& e, const AuditEntry& before,
                          const QString& expectedPrev, bool* newEncodingSeen, QStringList* problems)
{
    const QString where = QStringLiteral("entry #%1 (%2)").arg(e.id).arg(e.action);
    if (e.prevHash != expectedPrev)
        *problems << QStringLiteral("%1: previous-hash link broken — an entry before it was "
                                    "removed, reordered or edited")
                         .arg(where);
    const bool v2 = e.hash.startsWith(QLatin1String(kV2Prefix));
    if (!v2 && *newEncodingSeen)
        *problems << QStringLiteral("%1: written in the old encoding after newer entries — "
                                    "rewritten")
                         .arg(where);
    *newEncodingSeen = *newEncodingSeen || v2;
    const QString actual = expectedHash(e.prevHash, e);
    if (actual != e.hash)
        *problems << QStringLiteral("%1: content does not match its hash (expected %2, stored %3)")
                         .arg(where, actual.left(15), e.hash.left(15));
    if (before.id && e.createdAt < before.createdAt)
        *problems << QStringLiteral("%1: dated before the entry it follows (#%2)")
                         .arg(where)
                         .arg(before.id);
}

} // namespace chom
