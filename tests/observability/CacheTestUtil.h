#pragma once

// Helpers for tst_metricscache: a test clock, canned results, a manual fetcher.

#include "observability/MetricsCache.h"

#include <cmath>
#include <utility>

namespace chom::metrics::cachetest {

inline qint64 g_nowMs = 0;
constexpr qint64 kT0 = 1'800'000'000'000; // a fixed epoch ms for the test clock

inline QueryResult makeResult(double value, int points = 10, qint64 fetchedAtMs = 0)
{
    QueryResult r;
    r.resultType = QStringLiteral("matrix");
    Series s;
    s.labels.insert(QStringLiteral("instance"), QStringLiteral("web-1:9100"));
    for (int i = 0; i < points; ++i)
        s.points.push_back(QPointF(double(kT0 + i * 15000), value));
    r.series.push_back(s);
    r.fetchedAtMs = fetchedAtMs;
    r.bytes = 100;
    return r;
}

inline QueryResult makeError(ErrorKind kind = ErrorKind::Timeout)
{
    QueryResult r;
    r.error.kind = kind;
    r.error.message = QStringLiteral("Prometheus did not answer within 10 s.");
    return r;
}

inline double firstValue(const QueryResult& r)
{
    return r.series.isEmpty() || r.series[0].points.isEmpty() ? std::nan("")
                                                              : r.series[0].points[0].y();
}

inline RangeQuery rq(const QString& promql, qint64 start = 1000, qint64 end = 4600, int step = 15)
{
    return RangeQuery{promql, start, end, step};
}

// A fetcher the test completes by hand; counts how often the cache asked.
struct ManualFetcher
{
    int calls = 0;
    QVector<std::function<void(const QueryResult&)>> pending;
    MetricsCache::Fetcher fn()
    {
        return [this](std::function<void(const QueryResult&)> cb) {
            ++calls;
            pending.push_back(std::move(cb));
        };
    }
    void complete(const QueryResult& r)
    {
        auto cbs = std::exchange(pending, {});
        for (auto& cb : cbs)
            cb(r);
    }
};

struct Answer
{
    QueryResult result;
    bool fromCache = false;
};

} // namespace chom::metrics::cachetest
