#pragma once

#include "base/Result.h"
#include "observability/MetricsTypes.h"

#include <QVector>

namespace chom {
class Store;
}

namespace chom::metrics {

// The persisted side of MetricsCache (table metrics_cache, schema v7).
// Every function here does store I/O and is meant for a worker thread: each
// uses Store::db(), i.e. the calling thread's own connection.
class MetricsCacheStore
{
public:
    struct Row
    {
        QString key; // MetricsCache::Key::toString()
        QString promql;
        qint64 startS = 0;
        qint64 endS = 0;
        int stepS = 0;
        QueryResult result; // fetchedAtMs is the row's fetched_at_ms
    };

    static constexpr qint64 kMaxAgeMs = 7LL * 24 * 3600 * 1000;
    static constexpr qint64 kMaxBytes = 32LL * 1024 * 1024;

    // Drops rows fetched before nowMs - maxAgeMs, then the oldest rows until
    // the bodies total at most maxBytes. Returns the number of rows removed.
    static Result<int> prune(Store& store, qint64 nowMs, qint64 maxAgeMs = kMaxAgeMs,
                             qint64 maxBytes = kMaxBytes);
    // Every row, oldest first; rows whose body does not decode are skipped.
    static Result<QVector<Row>> loadAll(Store& store);
    // Upserts the rows in one transaction (encoding the bodies here).
    static Status write(Store& store, const QVector<Row>& rows);

    // Compact body: a versioned QDataStream of the series, zlib-compressed.
    static QByteArray encode(const QueryResult& result);
    static bool decode(const QByteArray& body, QueryResult* out);
};

} // namespace chom::metrics
