#include "store/ChangeLog.h"

#include "store/Sql.h"
#include "store/Store.h"

#include <QStringList>

namespace chom {

Status ChangeLog::append(const QString& origin, ChangeNotifier::Entity entity,
                         const QVector<Id>& ids)
{
    QStringList list;
    if (ids.size() <= kMaxIds)
        for (Id id : ids)
            list << QString::number(id);
    auto q =
        execSql(m_store.db(),
                QStringLiteral("INSERT INTO change_log (origin, entity, ids, at) "
                               "VALUES (?, ?, ?, ?)"),
                {origin, ChangeNotifier::toString(entity), list.join(QLatin1Char(',')), nowSecs()});
    if (!q)
        return q.error();
    if (!m_store.isSqlite()) {
        // Delivered when the surrounding transaction (if any) commits.
        auto n =
            execSql(m_store.db(), QStringLiteral("SELECT pg_notify(?, ?)"), {kChannel, origin});
        if (!n)
            return n.error();
    }
    return okStatus();
}

Result<QVector<ChangeLog::Entry>> ChangeLog::since(qint64 seq) const
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("SELECT seq, origin, entity, ids FROM change_log "
                                    "WHERE seq > ? ORDER BY seq"),
                     {seq});
    if (!q)
        return q.error();
    QVector<Entry> out;
    while (q.value().next()) {
        Entry e;
        e.seq = q.value().value(0).toLongLong();
        e.origin = q.value().value(1).toString();
        e.entity = ChangeNotifier::entityFromString(q.value().value(2).toString())
                       .value_or(ChangeNotifier::Entity::All);
        const QString ids = q.value().value(3).toString();
        for (const QString& id : ids.split(QLatin1Char(','), Qt::SkipEmptyParts))
            e.ids << id.toLongLong();
        out << e;
    }
    return out;
}

Result<qint64> ChangeLog::head() const
{
    auto q = execSql(m_store.db(), QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM change_log"));
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : 0;
}

Status ChangeLog::prune()
{
    auto q = execSql(m_store.db(), QStringLiteral("DELETE FROM change_log WHERE at < ?"),
                     {nowSecs() - kKeepSecs});
    if (!q)
        return q.error();
    return okStatus();
}

Result<qint64> ChangeLog::dataVersion() const
{
    if (!m_store.isSqlite())
        return qint64(0);
    auto q = execSql(m_store.db(), QStringLiteral("PRAGMA data_version"));
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toLongLong() : 0;
}

} // namespace chom
