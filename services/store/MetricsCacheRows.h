#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QString>
#include <QVector>

namespace chom {

class Store;

// The metrics_cache table: persisted range-query answers as opaque bodies
// (the metrics layer encodes and decodes them), pruned by age and size.
class MetricsCacheRows
{
public:
    struct Row
    {
        QString key;
        QString promql;
        qint64 startS = 0;
        qint64 endS = 0;
        int stepS = 0;
        qint64 fetchedAtMs = 0;
        QByteArray body;
    };

    explicit MetricsCacheRows(Store& store) : m_store(store) {}
    // Drops rows fetched before nowMs - maxAgeMs, then the oldest rows until
    // the bodies total at most maxBytes. Returns the number of rows removed.
    Result<int> prune(qint64 nowMs, qint64 maxAgeMs, qint64 maxBytes);
    Result<QVector<Row>> loadAll() const;   // oldest first
    Status write(const QVector<Row>& rows); // upserts, one transaction

private:
    Store& m_store;
};

} // namespace chom
