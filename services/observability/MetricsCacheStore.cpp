#include "observability/MetricsCacheStore.h"

#include "store/Store.h"

#include <QDataStream>
#include <QIODevice>

namespace chom::metrics {
namespace {

constexpr quint32 kMagic = 0x43484d43; // "CHMC"
constexpr quint16 kFormat = 1;

} // namespace

QByteArray MetricsCacheStore::encode(const QueryResult& result)
{
    QByteArray raw;
    {
        QDataStream out(&raw, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_4);
        out << kMagic << kFormat << result.resultType << result.bytes
            << qint32(result.series.size());
        for (const Series& s : result.series)
            out << s.labels << s.points;
    }
    // Level 1: timestamps and repeated values shrink well even at the cheapest level.
    return qCompress(raw, 1);
}

bool MetricsCacheStore::decode(const QByteArray& body, QueryResult* out)
{
    const QByteArray raw = qUncompress(body);
    if (raw.isEmpty())
        return false;
    QDataStream in(raw);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    quint16 format = 0;
    qint32 n = 0;
    QueryResult r;
    in >> magic >> format;
    if (magic != kMagic || format != kFormat)
        return false;
    in >> r.resultType >> r.bytes >> n;
    if (in.status() != QDataStream::Ok || n < 0)
        return false;
    r.series.reserve(n);
    for (qint32 i = 0; i < n; ++i) {
        Series s;
        in >> s.labels >> s.points;
        if (in.status() != QDataStream::Ok)
            return false;
        r.series.push_back(std::move(s));
    }
    r.fetchedAtMs = out->fetchedAtMs;
    *out = std::move(r);
    return true;
}

Result<int> MetricsCacheStore::prune(Store& store, qint64 nowMs, qint64 maxAgeMs, qint64 maxBytes)
{
    QSqlDatabase db = store.db();
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

Result<QVector<MetricsCacheStore::Row>> MetricsCacheStore::loadAll(Store& store)
{
    auto rows = execSql(store.db(), QStringLiteral("SELECT key, promql, start_s, end_s, step_s, "
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
        r.result.fetchedAtMs = q.value(5).toLongLong();
        if (decode(q.value(6).toByteArray(), &r.result))
            out.push_back(std::move(r));
    }
    return out;
}

Status MetricsCacheStore::write(Store& store, const QVector<Row>& rows)
{
    QSqlDatabase db = store.db();
    Transaction tx(db);
    for (const Row& r : rows) {
        const QByteArray body = encode(r.result);
        auto q =
            execSql(db,
                    QStringLiteral("INSERT OR REPLACE INTO metrics_cache(key, promql, start_s, "
                                   "end_s, step_s, fetched_at_ms, bytes, body) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                    {r.key, r.promql, r.startS, r.endS, r.stepS, r.result.fetchedAtMs,
                     qint64(body.size()), body});
        if (!q)
            return q.error();
    }
    return tx.commit();
}

} // namespace chom::metrics
