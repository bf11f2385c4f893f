#pragma once

#include "observability/MetricsTypes.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <list>
#include <memory>

class QThreadPool;

namespace chom {
class Store;
}

namespace chom::metrics {

// Range-query results keyed by (scoped query, start/end rounded down to the
// step, step); a sliding "last N" window (RangeQuery::slidingEnd) by
// (scoped query, length, step), so the moving end of a live chart does not
// defeat the cache. Fresh for ttlForStep(step); after that still served, marked
// stale, while the caller revalidates (stale-while-revalidate). One request
// per key at a time: concurrent fetches of the same key share one fetch.
// In memory: an LRU bounded by a byte budget. Optionally persisted in the
// local store (table metrics_cache) so a restarted console paints the last
// charts at once; store I/O runs on a worker thread, never the caller's.
// Lives on one thread (the GUI's): not thread-safe.
class MetricsCache : public QObject
{
    Q_OBJECT
public:
    struct Key
    {
        QString promql; // already scoped
        qint64 startS = 0;
        qint64 endS = 0;
        int stepS = 0;
        bool operator==(const Key& o) const
        {
            return promql == o.promql && startS == o.startS && endS == o.endS && stepS == o.stepS;
        }
        QString toString() const; // stable text form (the persisted primary key)
    };
    static Key keyFor(const RangeQuery& q); // rounds start/end down to the step
    // 15 s when step <= 15 s, 60 s when step <= 60 s, else 300 s.
    static int ttlForStepS(int stepS);

    struct Counters
    {
        quint64 hits = 0;         // fresh answers from memory
        quint64 staleHits = 0;    // stale answers (a revalidation was started)
        quint64 misses = 0;       // nothing usable: fetched
        quint64 deduplicated = 0; // joined a fetch already in flight
        quint64 evictions = 0;
        qint64 bytes = 0; // current memory use (approx.)
        int entries = 0;
    };

    // fetcher(cb): performs the request and calls cb(result) once.
    using Fetcher = std::function<void(std::function<void(const QueryResult&)>)>;
    // done(result, fromCache): called once with the best answer now (fresh or
    // stale hit, result.stale set accordingly), and, when a stale hit started
    // a revalidation, a second time with the fresh result. Errors of a
    // revalidation leave the stale entry in place and are passed on with the
    // stale data (result.stale = true, result.error set).
    using Done = std::function<void(const QueryResult& result, bool fromCache)>;

    explicit MetricsCache(qint64 byteBudget = 64 * 1024 * 1024, QObject* parent = nullptr);
    ~MetricsCache() override;

    // Hits (fresh or stale) call done() synchronously, before fetch()
    // returns, so a repaint from cache needs no event-loop round trip; fetched
    // answers arrive when the fetcher calls back (on this thread; a second
    // call back is ignored, as is one after the cache is gone).
    void fetch(const RangeQuery& q, Fetcher fetcher, Done done);
    // Lookup without fetching (repaint path); nullptr when absent. The
    // result's stale flag is updated to the clock; the LRU order is not.
    // The pointer is valid until the next non-const call.
    const QueryResult* peek(const Key& key) const;
    // Stores an OK result (errors are ignored: never cached) and writes it
    // through when a store is attached. fetchedAtMs 0 means "now".
    void put(const Key& key, const QueryResult& result);
    // Empties the memory cache (in-flight fetches still complete and store
    // their result); persisted rows are kept.
    void clear();
    Counters counters() const;

    // Persistence (optional): loads the stored entries in the background
    // (emits loaded() when done) and writes new results through. Call once,
    // from the cache's thread; the store must outlive the cache. The cache's
    // thread never touches the store: all I/O runs on one private worker
    // thread, in order (the load and prune first, then coalesced writes).
    void attachStore(Store& store);
    bool isLoading() const { return m_loading; } // attached, stored entries not in yet
    // Blocks until the worker has finished the load and every write queued
    // so far. For tests only: not for the GUI thread (it waits on store I/O).
    // The destructor waits the same way for writes still queued.
    void waitForPendingWrites();
    // For tests: a wall clock in ms since the epoch; nullptr = the real clock.
    static void setClockForTests(std::function<qint64()> clock);
    static qint64 nowMs();

Q_SIGNALS:
    void loaded(int entries);

private:
    struct Entry;
    struct InFlight;
    struct WriteQueue;
    struct Waiter;
    void touch(const QString& k);
    void evictOverBudget();
    bool isFresh(const Entry& e) const;
    Entry* insertEntry(const QString& k, const Key& key, QueryResult result);
    void removeEntry(const QString& k);
    void complete(const QString& k, quint64 id, QueryResult result);
    bool insertLoaded(const Key& key, const QueryResult& result);
    void writeThrough(const QString& k, const Entry& e);
    quint64 m_nextFlightId = 1;
    std::unique_ptr<QThreadPool> m_io;
    bool m_loading = false;
    std::shared_ptr<WriteQueue> m_writes;
    std::list<QString> m_lru; // front = most recent
    QHash<QString, Entry*> m_entries;
    QHash<QString, InFlight*> m_inFlight;
    qint64 m_budget;
    Counters m_counters;
    Store* m_store = nullptr;
};

} // namespace chom::metrics
