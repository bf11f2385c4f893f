#include "observability/MetricsCacheStore.h"

#include "store/MetricsCacheRows.h"
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
    return MetricsCacheRows(store).prune(nowMs, maxAgeMs, maxBytes);
}

Result<QVector<MetricsCacheStore::Row>> MetricsCacheStore::loadAll(Store& store)
{
    auto rows = MetricsCacheRows(store).loadAll();
    if (!rows)
        return rows.error();
    QVector<Row> out;
    for (const MetricsCacheRows::Row& stored : rows.value()) {
        Row r;
        r.key = stored.key;
        r.promql = stored.promql;
        r.startS = stored.startS;
        r.endS = stored.endS;
        r.stepS = stored.stepS;
        r.result.fetchedAtMs = stored.fetchedAtMs;
        if (decode(stored.body, &r.result)) // rows that do not decode are skipped
            out.push_back(std::move(r));
    }
    return out;
}

Status MetricsCacheStore::write(Store& store, const QVector<Row>& rows)
{
    QVector<MetricsCacheRows::Row> stored;
    stored.reserve(rows.size());
    for (const Row& r : rows)
        stored.push_back(
            {r.key, r.promql, r.startS, r.endS, r.stepS, r.result.fetchedAtMs, encode(r.result)});
    return MetricsCacheRows(store).write(stored);
}

} // namespace chom::metrics
