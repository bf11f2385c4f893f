#include "store/MetricsCacheRows.h"

#include "store/Sql.h"
#include "store/Store.h"

namespace chom {

Result<int> MetricsCacheRows::prune(qint64 nowMs, qint64 maxAgeMs, qint64 maxBytes)
{
    QSqlDatabase db = m_store.db();
    Transaction tx(db);
    auto old = execSql(db, QStringLiteral("DELETE FROM metrics_cache WHERE fetched_at_ms < ?"),
                       {nowMs - maxAgeMs});
    if (!old)
        return old.error();
    int removed = old.value().numRowsAffected();
    auto rows = execSql(
        db, QStringLiteral("SELECT key, bytes FROM metrics_cache ORDER BY fetched_at_ms DESC"));
    if (!rows)
        return rows.error();
    QVariantList drop;
    qint64 total = 0;
    QSqlQuery& q = rows.value();
    while (q.next()) {
        total += q.value(1).toLongLong();
        if (total > maxBytes)
            drop << q.value(0);
    }
    q.finish();
    for (const QVariant& key : drop) {
        auto d = execSql(db, QStringLiteral("DELETE FROM metrics_cache WHERE key = ?"), {key});
        if (!d)
            return d.error();
        ++removed;
    }
    auto st = tx.commit();
    if (!st)
        return st.error();
    return removed;
}

Result<QVector<MetricsCacheRows::Row>> MetricsCacheRows::loadAll() const
{
    auto rows = execSql(m_store.db(), QStringLiteral("SELECT key, promql, start_s, end_s, step_s, "
                                                     "fetched_at_ms, body FROM metrics_cache "
                                                     "ORDER BY fetched_at_ms ASC"));
    if (!rows)
        return rows.error();
    QVector<Row> out;
    QSqlQuery& q = rows.value();
    while (q.next()) {
        Row r;
        r.key = q.value(0).toString();
        r.promql = q.value(1).toString();
        r.startS = q.value(2).toLongLong();
        r.endS = q.value(3).toLongLong();
        r.stepS = q.value(4).toInt();
        r.fetchedAtMs = q.value(5).toLongLong();
        r.body = q.value(6).toByteArray();
        out.push_back(std::move(r));
    }
    return out;
}

Status MetricsCacheRows::write(const QVector<Row>& rows)
{
    QSqlDatabase db = m_store.db();
    Transaction tx(db);
    const QString sql = m_store.dialect().upsert(
        QStringLiteral("metrics_cache"),
        {QStringLiteral("key"), QStringLiteral("promql"), QStringLiteral("start_s"),
         QStringLiteral("end_s"), QStringLiteral("step_s"), QStringLiteral("fetched_at_ms"),
         QStringLiteral("bytes"), QStringLiteral("body")},
        {QStringLiteral("key")});
    for (const Row& r : rows) {
        auto q = execSql(db, sql,
                         {r.key, r.promql, r.startS, r.endS, r.stepS, r.fetchedAtMs,
                          qint64(r.body.size()), r.body});
        if (!q)
            return q.error();
    }
    return tx.commit();
}

} // namespace chom
