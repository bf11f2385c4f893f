#include "observability/MetricsCache.h"

#include "observability/MetricsCacheStore.h"
#include "store/Store.h"

#include <QDateTime>
#include <QMutex>
#include <QPointer>
#include <QThreadPool>

#include <utility>

namespace chom::metrics {
namespace {

std::function<qint64()>& testClock()
{
    static std::function<qint64()> clock;
    return clock;
}

qint64 floorDiv(qint64 a, qint64 b)
{
    qint64 q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

qint64 stringBytes(const QString& s)
{
    return qint64(sizeof(QString)) + qint64(s.size()) * qint64(sizeof(QChar));
}

// Approximate memory of one entry: the points, the label strings (plus a
// map node each), the key and a fixed overhead for the bookkeeping.
qint64 estimateBytes(const QString& k, const QueryResult& r)
{
    constexpr qint64 kEntryOverhead = 256; // Entry, hash node, LRU node
    constexpr qint64 kMapNode = 48;
    qint64 n = kEntryOverhead + 2 * stringBytes(k) + stringBytes(r.resultType) +
               stringBytes(r.error.message);
    for (const Series& s : r.series) {
        n += qint64(sizeof(Series)) + qint64(s.points.size()) * qint64(sizeof(QPointF));
        for (auto it = s.labels.cbegin(); it != s.labels.cend(); ++it)
            n += kMapNode + stringBytes(it.key()) + stringBytes(it.value());
    }
    return n;
}

} // namespace

struct MetricsCache::Entry
{
    Key key;
    QueryResult result;
    qint64 bytes = 0;
    std::list<QString>::iterator lru;
};

struct MetricsCache::Waiter
{
    Done done;
    bool hadStale = false; // already answered with stale data
};

struct MetricsCache::InFlight
{
    quint64 id = 0;
    Key key;
    QVector<Waiter> waiters;
};

// Pending write-through rows, shared with the worker. Rows for the same key
// collapse; one flush task at a time drains the whole batch.
struct MetricsCache::WriteQueue
{
    QMutex mutex;
    QHash<QString, MetricsCacheStore::Row> pending;
    bool scheduled = false;
};

QString MetricsCache::Key::toString() const
{
    return QStringLiteral("%1|%2|%3|%4").arg(stepS).arg(startS).arg(endS).arg(promql);
}

MetricsCache::Key MetricsCache::keyFor(const RangeQuery& q)
{
    Key k;
    k.promql = q.promql;
    k.stepS = q.stepS;
    if (q.slidingEnd) {
        // Keyed by length only: startS = -length, endS = 0 ("until now").
        const qint64 len = q.endS - q.startS;
        k.startS = -(q.stepS > 0 ? floorDiv(len, q.stepS) * q.stepS : len);
        k.endS = 0;
    } else if (q.stepS > 0) {
        k.startS = floorDiv(q.startS, q.stepS) * q.stepS;
        k.endS = floorDiv(q.endS, q.stepS) * q.stepS;
    } else {
        k.startS = q.startS;
        k.endS = q.endS;
    }
    return k;
}

int MetricsCache::ttlForStepS(int stepS)
{
    if (stepS <= 15)
        return 15;
    if (stepS <= 60)
        return 60;
    return 300;
}

void MetricsCache::setClockForTests(std::function<qint64()> clock)
{
    testClock() = std::move(clock);
}

qint64 MetricsCache::nowMs()
{
    const auto& clock = testClock();
    return clock ? clock() : QDateTime::currentMSecsSinceEpoch();
}

MetricsCache::MetricsCache(qint64 byteBudget, QObject* parent)
    : QObject(parent), m_budget(byteBudget)
{
    m_writes = std::make_shared<WriteQueue>();
}

MetricsCache::~MetricsCache()
{
    // Pending writes finish (the store must outlive the cache); the queued
    // load delivery, if any, dies with this object.
    if (m_io)
        m_io->waitForDone();
    qDeleteAll(m_entries);
    qDeleteAll(m_inFlight);
}

bool MetricsCache::isFresh(const Entry& e) const
{
    return nowMs() - e.result.fetchedAtMs < qint64(ttlForStepS(e.key.stepS)) * 1000;
}

void MetricsCache::touch(const QString& k)
{
    Entry* e = m_entries.value(k);
    if (e && e->lru != m_lru.begin())
        m_lru.splice(m_lru.begin(), m_lru, e->lru);
}

void MetricsCache::removeEntry(const QString& k)
{
    Entry* e = m_entries.take(k);
    if (!e)
        return;
    m_lru.erase(e->lru);
    m_counters.bytes -= e->bytes;
    m_counters.entries = int(m_entries.size());
    delete e;
}

void MetricsCache::evictOverBudget()
{
    while (m_counters.bytes > m_budget && !m_lru.empty()) {
        removeEntry(m_lru.back());
        ++m_counters.evictions;
    }
}

MetricsCache::Entry* MetricsCache::insertEntry(const QString& k, const Key& key, QueryResult result)
{
    removeEntry(k);
    result.stale = false;
    auto* e = new Entry;
    e->key = key;
    e->result = std::move(result);
    e->bytes = estimateBytes(k, e->result);
    m_lru.push_front(k);
    e->lru = m_lru.begin();
    m_entries.insert(k, e);
    m_counters.bytes += e->bytes;
    m_counters.entries = int(m_entries.size());
    return e;
}

void MetricsCache::put(const Key& key, const QueryResult& result)
{
    if (!result.ok())
        return;
    const QString k = key.toString();
    QueryResult r = result;
    if (r.fetchedAtMs == 0)
        r.fetchedAtMs = nowMs();
    Entry* e = insertEntry(k, key, std::move(r));
    if (m_store)
        writeThrough(k, *e);
    evictOverBudget();
}

const QueryResult* MetricsCache::peek(const Key& key) const
{
    Entry* e = m_entries.value(key.toString());
    if (!e)
        return nullptr;
    e->result.stale = !isFresh(*e);
    return &e->result;
}

void MetricsCache::clear()
{
    qDeleteAll(m_entries);
    m_entries.clear();
    m_lru.clear();
    m_counters.bytes = 0;
    m_counters.entries = 0;
}

MetricsCache::Counters MetricsCache::counters() const
{
    return m_counters;
}

// Answers are immediate: a fresh or stale hit calls done() before fetch()
// returns, so a repaint from cache costs no event-loop round trip.
void MetricsCache::fetch(const RangeQuery& q, Fetcher fetcher, Done done)
{
    const Key key = keyFor(q);
    const QString k = key.toString();
    Entry* e = m_entries.value(k);
    if (e && isFresh(*e)) {
        ++m_counters.hits;
        touch(k);
        QueryResult r = e->result;
        r.stale = false;
        done(r, true);
        return;
    }
    const bool stale = e != nullptr;
    if (InFlight* f = m_inFlight.value(k)) {
        ++m_counters.deduplicated;
        f->waiters.push_back({done, stale});
        if (stale) {
            touch(k);
            QueryResult r = e->result;
            r.stale = true;
            done(r, true);
        }
        return;
    }
    auto* f = new InFlight;
    f->id = m_nextFlightId++;
    f->key = key;
    f->waiters.push_back({done, stale});
    m_inFlight.insert(k, f);
    if (stale) {
        ++m_counters.staleHits;
        touch(k);
        QueryResult r = e->result;
        r.stale = true;
        done(r, true);
    } else {
        ++m_counters.misses;
    }
    // A done() above may have re-entered; the flight is only ours if still there.
    if (m_inFlight.value(k) != f)
        return;
    const quint64 id = f->id;
    QPointer<MetricsCache> self(this);
    // The fetcher must call back on this cache's thread; later calls are ignored.
    fetcher([self, k, id](const QueryResult& result) {
        if (self)
            self->complete(k, id, result);
    });
}

void MetricsCache::complete(const QString& k, quint64 id, QueryResult result)
{
    InFlight* f = m_inFlight.value(k);
    if (!f || f->id != id)
        return;
    m_inFlight.remove(k);
    std::unique_ptr<InFlight> flight(f);
    if (result.ok()) {
        // Aged by this cache's clock (the client stamps with the wall clock).
        result.fetchedAtMs = nowMs();
        result.stale = false;
        put(flight->key, result);
        for (const Waiter& w : std::as_const(flight->waiters))
            w.done(result, false);
        return;
    }
    // Errors are never cached; stale data, when present, goes with the error.
    if (Entry* e = m_entries.value(k)) {
        QueryResult r = e->result;
        r.stale = true;
        r.error = result.error;
        for (const Waiter& w : std::as_const(flight->waiters))
            w.done(r, true);
        return;
    }
    for (const Waiter& w : std::as_const(flight->waiters))
        w.done(result, false);
}

void MetricsCache::writeThrough(const QString& k, const Entry& e)
{
    // The result is implicitly shared; it is encoded on the worker.
    MetricsCacheStore::Row row{k, e.key.promql, e.key.startS, e.key.endS, e.key.stepS, e.result};
    bool schedule = false;
    {
        QMutexLocker lock(&m_writes->mutex);
        m_writes->pending.insert(k, std::move(row));
        schedule = !m_writes->scheduled;
        m_writes->scheduled = true;
    }
    if (!schedule)
        return;
    std::shared_ptr<WriteQueue> queue = m_writes;
    Store* store = m_store;
    m_io->start([queue, store] {
        QVector<MetricsCacheStore::Row> rows;
        {
            QMutexLocker lock(&queue->mutex);
            rows.reserve(queue->pending.size());
            for (auto& r : queue->pending)
                rows.push_back(std::move(r));
            queue->pending.clear();
            queue->scheduled = false;
        }
        auto st = MetricsCacheStore::write(*store, rows);
        if (!st)
            qWarning("chom: metrics cache write failed: %s", qPrintable(st.errorMessage()));
    });
}

bool MetricsCache::insertLoaded(const Key& key, const QueryResult& result)
{
    const QString k = key.toString();
    if (Entry* e = m_entries.value(k); e && e->result.fetchedAtMs >= result.fetchedAtMs)
        return false;
    insertEntry(k, key, result);
    return true;
}

void MetricsCache::attachStore(Store& store)
{
    if (m_store)
        return;
    m_store = &store;
    m_loading = true;
    m_io = std::make_unique<QThreadPool>();
    m_io->setMaxThreadCount(1); // one writer: the load, then writes, in order
    const qint64 now = nowMs();
    QPointer<MetricsCache> self(this);
    MetricsCache* context = this; // alive while the task runs: the destructor waits
    Store* st = &store;
    m_io->start([self, context, st, now] {
        auto pruned = MetricsCacheStore::prune(*st, now);
        if (!pruned)
            qWarning("chom: metrics cache prune failed: %s", qPrintable(pruned.errorMessage()));
        auto rows = MetricsCacheStore::loadAll(*st);
        if (!rows)
            qWarning("chom: metrics cache load failed: %s", qPrintable(rows.errorMessage()));
        QVector<MetricsCacheStore::Row> loaded =
            rows ? std::move(rows).value() : QVector<MetricsCacheStore::Row>();
        // self is only read on the cache's thread, inside the queued call.
        QMetaObject::invokeMethod(
            context,
            [self, loaded = std::move(loaded)] {
                if (!self)
                    return;
                int n = 0;
                for (const MetricsCacheStore::Row& r : loaded) {
                    Key key{r.promql, r.startS, r.endS, r.stepS};
                    if (self->insertLoaded(key, r.result))
                        ++n;
                }
                self->evictOverBudget();
                self->m_loading = false;
                Q_EMIT self->loaded(n);
            },
            Qt::QueuedConnection);
    });
}

void MetricsCache::waitForPendingWrites()
{
    if (m_io)
        m_io->waitForDone();
}

} // namespace chom::metrics
