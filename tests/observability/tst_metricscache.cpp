#include "CacheTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "observability/MetricsCache.h"
#include "observability/MetricsCacheStore.h"
#include "store/Sql.h"
#include "store/Store.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

using namespace chom;
using namespace chom::metrics;
using namespace chom::metrics::cachetest;

class TestMetricsCache : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        g_nowMs = kT0;
        MetricsCache::setClockForTests([] { return g_nowMs; });
    }
    void cleanup() { MetricsCache::setClockForTests(nullptr); }

    void keyRoundsDownToTheStep()
    {
        const auto k = MetricsCache::keyFor(rq(QStringLiteral("up"), 1003, 2017, 15));
        QCOMPARE(k.startS, qint64(990));
        QCOMPARE(k.endS, qint64(2010));
        QCOMPARE(k.stepS, 15);
        // Same step window, same key; next window or other step, other key.
        QVERIFY(k == MetricsCache::keyFor(rq(QStringLiteral("up"), 1004, 2024, 15)));
        QVERIFY(!(k == MetricsCache::keyFor(rq(QStringLiteral("up"), 1005, 2025, 15))));
        QVERIFY(!(k == MetricsCache::keyFor(rq(QStringLiteral("up"), 1003, 2017, 60))));
        QVERIFY(!(k == MetricsCache::keyFor(rq(QStringLiteral("up2"), 1003, 2017, 15))));
        QCOMPARE(k.toString(),
                 MetricsCache::keyFor(rq(QStringLiteral("up"), 1004, 2024, 15)).toString());
        QVERIFY(k.toString() !=
                MetricsCache::keyFor(rq(QStringLiteral("up"), 1003, 2017, 60)).toString());
        const auto exact = MetricsCache::keyFor(rq(QStringLiteral("up"), 3600, 7200, 60));
        QCOMPARE(exact.startS, qint64(3600));
        QCOMPARE(exact.endS, qint64(7200));
    }

    // A live "last hour" chart: the end moves, the key does not; the answer
    // stays fresh for the TTL and is then served stale while revalidating.
    void slidingWindowKeyedByLength()
    {
        RangeQuery a = rq(QStringLiteral("up"), 1003, 4603, 15);
        a.slidingEnd = true;
        RangeQuery b = rq(QStringLiteral("up"), 1043, 4643, 15); // 40 s later
        b.slidingEnd = true;
        QVERIFY(MetricsCache::keyFor(a) == MetricsCache::keyFor(b));
        QCOMPARE(MetricsCache::keyFor(a).startS, qint64(-3600));
        RangeQuery fixed = rq(QStringLiteral("up"), 1003, 4603, 15);
        QVERIFY(!(MetricsCache::keyFor(a) == MetricsCache::keyFor(fixed)));
        RangeQuery longer = rq(QStringLiteral("up"), 1003, 8203, 15);
        longer.slidingEnd = true;
        QVERIFY(!(MetricsCache::keyFor(a) == MetricsCache::keyFor(longer)));
    }

    void ttlFollowsTheStep_data()
    {
        QTest::addColumn<int>("step");
        QTest::addColumn<int>("ttl");
        QTest::newRow("1s") << 1 << 15;
        QTest::newRow("15s") << 15 << 15;
        QTest::newRow("16s") << 16 << 60;
        QTest::newRow("60s") << 60 << 60;
        QTest::newRow("61s") << 61 << 300;
        QTest::newRow("1h") << 3600 << 300;
    }
    void ttlFollowsTheStep()
    {
        QFETCH(int, step);
        QFETCH(int, ttl);
        QCOMPARE(MetricsCache::ttlForStepS(step), ttl);
        MetricsCache cache;
        const auto key = MetricsCache::keyFor(rq(QStringLiteral("up"), 0, 36000, step));
        cache.put(key, makeResult(1));
        QVERIFY(cache.peek(key));
        QCOMPARE(cache.peek(key)->fetchedAtMs, kT0);
        g_nowMs = kT0 + ttl * 1000 - 1;
        QVERIFY(!cache.peek(key)->stale);
        g_nowMs = kT0 + ttl * 1000;
        QVERIFY(cache.peek(key)->stale);
    }

    void freshHitAnswersAtOnceWithoutFetching()
    {
        MetricsCache cache;
        ManualFetcher f;
        QVector<Answer> answers;
        auto done = [&](const QueryResult& r, bool c) { answers.push_back({r, c}); };
        cache.fetch(rq(QStringLiteral("up")), f.fn(), done);
        QCOMPARE(f.calls, 1);
        QCOMPARE(answers.size(), 0);
        f.complete(makeResult(7));
        QCOMPARE(answers.size(), 1);
        QVERIFY(!answers[0].fromCache);
        QCOMPARE(firstValue(answers[0].result), 7.0);

        g_nowMs = kT0 + 14'000; // still within the 15 s TTL
        cache.fetch(rq(QStringLiteral("up")), f.fn(), done);
        QCOMPARE(answers.size(), 2); // synchronous
        QCOMPARE(f.calls, 1);
        QVERIFY(answers[1].fromCache);
        QVERIFY(!answers[1].result.stale);
        QCOMPARE(firstValue(answers[1].result), 7.0);
        const auto c = cache.counters();
        QCOMPARE(c.hits, quint64(1));
        QCOMPARE(c.misses, quint64(1));
        QCOMPARE(c.staleHits, quint64(0));
    }

    void staleHitRevalidatesOnce()
    {
        MetricsCache cache;
        ManualFetcher f;
        cache.put(MetricsCache::keyFor(rq(QStringLiteral("up"))), makeResult(1));
        g_nowMs = kT0 + 16'000;
        QVector<Answer> answers;
        cache.fetch(rq(QStringLiteral("up")), f.fn(), [&](const QueryResult& r, bool c) {
            answers.push_back({r, c});
        });
        QCOMPARE(answers.size(), 1); // the stale answer, at once
        QVERIFY(answers[0].fromCache);
        QVERIFY(answers[0].result.stale);
        QCOMPARE(firstValue(answers[0].result), 1.0);
        QCOMPARE(f.calls, 1);
        f.complete(makeResult(2, 10, g_nowMs));
        QCOMPARE(answers.size(), 2);
        QVERIFY(!answers[1].fromCache);
        QVERIFY(!answers[1].result.stale);
        QCOMPARE(firstValue(answers[1].result), 2.0);
        const auto* p = cache.peek(MetricsCache::keyFor(rq(QStringLiteral("up"))));
        QVERIFY(p && !p->stale);
        QCOMPARE(firstValue(*p), 2.0);
        QCOMPARE(cache.counters().staleHits, quint64(1));
        QCOMPARE(f.calls, 1);
    }

    void failedRevalidationKeepsStaleData()
    {
        MetricsCache cache;
        ManualFetcher f;
        const auto key = MetricsCache::keyFor(rq(QStringLiteral("up")));
        cache.put(key, makeResult(1));
        g_nowMs = kT0 + 20'000;
        QVector<Answer> answers;
        cache.fetch(rq(QStringLiteral("up")), f.fn(), [&](const QueryResult& r, bool c) {
            answers.push_back({r, c});
        });
        f.complete(makeError(metrics::ErrorKind::Refused));
        QCOMPARE(answers.size(), 2);
        QVERIFY(answers[1].result.stale);
        QVERIFY(answers[1].fromCache);
        QVERIFY(answers[1].result.error.kind == metrics::ErrorKind::Refused);
        QCOMPARE(firstValue(answers[1].result), 1.0);
        QCOMPARE(answers[1].result.fetchedAtMs, kT0); // the "as of" stamp
        QVERIFY(cache.peek(key));
        QCOMPARE(firstValue(*cache.peek(key)), 1.0);
        QVERIFY(cache.peek(key)->ok());
    }

    void concurrentFetchesShareOneRequest()
    {
        MetricsCache cache;
        ManualFetcher f;
        QVector<Answer> a, b;
        cache.fetch(rq(QStringLiteral("up"), 1000), f.fn(), [&](const QueryResult& r, bool c) {
            a.push_back({r, c});
        });
        cache.fetch(rq(QStringLiteral("up"), 1004), f.fn(), // same step window (990)
                    [&](const QueryResult& r, bool c) {
                        b.push_back({r, c});
                    });
        QCOMPARE(f.calls, 1);
        QCOMPARE(cache.counters().deduplicated, quint64(1));
        f.complete(makeResult(5));
        QCOMPARE(a.size(), 1);
        QCOMPARE(b.size(), 1);
        QCOMPARE(firstValue(a[0].result), 5.0);
        QCOMPARE(firstValue(b[0].result), 5.0);
        QCOMPARE(a[0].result.fetchedAtMs, b[0].result.fetchedAtMs);
        // Errors reach every waiter too.
        g_nowMs += 60'000;
        QVector<Answer> c, d;
        cache.fetch(rq(QStringLiteral("rate(x[5m])")), f.fn(), [&](const QueryResult& r, bool fc) {
            c.push_back({r, fc});
        });
        cache.fetch(rq(QStringLiteral("rate(x[5m])")), f.fn(), [&](const QueryResult& r, bool fc) {
            d.push_back({r, fc});
        });
        QCOMPARE(f.calls, 2);
        f.complete(makeError());
        QCOMPARE(c.size(), 1);
        QCOMPARE(d.size(), 1);
        QVERIFY(d[0].result.error.kind == metrics::ErrorKind::Timeout);
        QCOMPARE(cache.counters().deduplicated, quint64(2));
    }

    void errorsAreNotCached()
    {
        MetricsCache cache;
        ManualFetcher f;
        QVector<Answer> answers;
        auto done = [&](const QueryResult& r, bool c) { answers.push_back({r, c}); };
        cache.fetch(rq(QStringLiteral("up")), f.fn(), done);
        f.complete(makeError(metrics::ErrorKind::Http));
        QCOMPARE(answers.size(), 1);
        QVERIFY(!answers[0].result.ok());
        QVERIFY(!answers[0].fromCache);
        QVERIFY(!cache.peek(MetricsCache::keyFor(rq(QStringLiteral("up")))));
        cache.fetch(rq(QStringLiteral("up")), f.fn(), done);
        QCOMPARE(f.calls, 2);
        QCOMPARE(cache.counters().misses, quint64(2));
        cache.put(MetricsCache::keyFor(rq(QStringLiteral("down"))), makeError());
        QCOMPARE(cache.counters().entries, 0);
    }

    void lruEvictsLeastRecentlyUsedUnderBudget()
    {
        qint64 one = 0;
        {
            MetricsCache probe;
            probe.put(MetricsCache::keyFor(rq(QStringLiteral("a"))), makeResult(1, 100));
            one = probe.counters().bytes;
        }
        // Points dominate the estimate: 100 points of 16 bytes each at least.
        QVERIFY(one >= 100 * qint64(sizeof(QPointF)));
        MetricsCache cache(one * 2 + one / 2); // room for two entries
        ManualFetcher f;
        const auto ka = MetricsCache::keyFor(rq(QStringLiteral("a")));
        const auto kb = MetricsCache::keyFor(rq(QStringLiteral("b")));
        const auto kc = MetricsCache::keyFor(rq(QStringLiteral("c")));
        cache.put(ka, makeResult(1, 100));
        cache.put(kb, makeResult(2, 100));
        // Use "a" again: "b" becomes the least recently used.
        int hits = 0;
        cache.fetch(rq(QStringLiteral("a")), f.fn(),
                    [&](const QueryResult&, bool c) { hits += c; });
        QCOMPARE(hits, 1);
        cache.put(kc, makeResult(3, 100));
        QVERIFY(cache.peek(ka));
        QVERIFY(!cache.peek(kb));
        QVERIFY(cache.peek(kc));
        const auto c = cache.counters();
        QCOMPARE(c.evictions, quint64(1));
        QCOMPARE(c.entries, 2);
        QVERIFY(c.bytes <= one * 2 + one / 2);
        cache.clear();
        QCOMPARE(cache.counters().entries, 0);
        QCOMPARE(cache.counters().bytes, qint64(0));
    }

    void pruneDropsOldAndOversizedRows()
    {
        test::TempCore tc;
        Store& store = tc.core->store();
        QVector<MetricsCacheStore::Row> rows;
        for (int i = 0; i < 4; ++i) {
            MetricsCacheStore::Row r;
            r.promql = QStringLiteral("q%1").arg(i);
            r.stepS = 15;
            r.key = QStringLiteral("15|0|0|") + r.promql;
            r.result = makeResult(i, 200, kT0 - i * 3 * 24 * 3600 * 1000LL);
            rows.push_back(r);
        }
        QVERIFY(MetricsCacheStore::write(store, rows).ok());
        auto pruned = MetricsCacheStore::prune(store, kT0); // q3 is 9 days old
        QVERIFY(pruned.ok());
        QCOMPARE(pruned.value(), 1);
        const qint64 bodySize = MetricsCacheStore::encode(rows[0].result).size();
        pruned = MetricsCacheStore::prune(store, kT0, MetricsCacheStore::kMaxAgeMs,
                                          bodySize * 2 + 1); // keeps the newest two
        QCOMPARE(pruned.value(), 1);
        auto left = MetricsCacheStore::loadAll(store);
        QVERIFY(left.ok());
        QCOMPARE(left.value().size(), 2);
        QCOMPARE(left.value()[0].promql, QStringLiteral("q1")); // oldest first
        QCOMPARE(left.value()[1].promql, QStringLiteral("q0"));
        QCOMPARE(left.value()[1].result.series[0].points.size(), 200);
        QCOMPARE(left.value()[1].result.fetchedAtMs, kT0);
    }

    void persistsAcrossRestart()
    {
        test::TempCore tc;
        tc.core->store().guardThread(QThread::currentThread());
        const auto k1 = MetricsCache::keyFor(rq(QStringLiteral("up")));
        const auto k2 = MetricsCache::keyFor(rq(QStringLiteral("load1"), 0, 86400, 300));
        {
            MetricsCache a;
            QSignalSpy spy(&a, &MetricsCache::loaded);
            a.attachStore(tc.core->store());
            QTRY_COMPARE(spy.count(), 1);
            QCOMPARE(spy.at(0).at(0).toInt(), 0);
            a.put(k1, makeResult(1, 50));
            a.put(k2, makeResult(2, 288));
            a.put(k1, makeResult(11, 50)); // coalesced with the first write of k1
            a.waitForPendingWrites();
        }
        QCOMPARE(tc.core->store().guardedUses(), 0);

        // "Restart": a new Core on the same file, a new cache.
        tc.core->store().guardThread(nullptr);
        tc.core.reset();
        auto reopened = Core::open(tc.config());
        QVERIFY(reopened.ok());
        tc.core = std::move(reopened).value();
        Store& store = tc.core->store();
        store.guardThread(QThread::currentThread());

        g_nowMs = kT0 + 30'000; // k1 (TTL 15 s) is stale, k2 (TTL 300 s) fresh
        MetricsCache b;
        QSignalSpy spy(&b, &MetricsCache::loaded);
        b.attachStore(store);
        QVERIFY(!b.peek(k1)); // delivered later, on this thread
        QTRY_COMPARE(spy.count(), 1);
        QCOMPARE(spy.at(0).at(0).toInt(), 2);
        QVERIFY(b.peek(k1) && b.peek(k2));
        QVERIFY(b.peek(k1)->stale);
        QCOMPARE(b.peek(k1)->fetchedAtMs, kT0);
        QCOMPARE(firstValue(*b.peek(k1)), 11.0);
        QVERIFY(!b.peek(k2)->stale);
        QCOMPARE(b.peek(k2)->series[0].points.size(), 288);
        QCOMPARE(b.peek(k2)->series[0].labels.value(QStringLiteral("instance")),
                 QStringLiteral("web-1:9100"));

        ManualFetcher f;
        QVector<Answer> answers;
        auto done = [&](const QueryResult& r, bool c) { answers.push_back({r, c}); };
        b.fetch(rq(QStringLiteral("load1"), 0, 86400, 300), f.fn(), done);
        QCOMPARE(f.calls, 0);
        QVERIFY(answers.last().fromCache && !answers.last().result.stale);
        b.fetch(rq(QStringLiteral("up")), f.fn(), done);
        QCOMPARE(f.calls, 1); // stale: painted at once, revalidating
        QVERIFY(answers.last().fromCache && answers.last().result.stale);
        f.complete(makeResult(12, 50, g_nowMs));
        QCOMPARE(firstValue(answers.last().result), 12.0);
        b.waitForPendingWrites();
        QCOMPARE(store.guardedUses(), 0);

        // A newer answer in memory wins over the stored row.
        MetricsCache c;
        QSignalSpy spyC(&c, &MetricsCache::loaded);
        c.attachStore(store);
        c.put(k2, makeResult(99, 10, g_nowMs + 1));
        QTRY_COMPARE(spyC.count(), 1);
        QCOMPARE(spyC.at(0).at(0).toInt(), 1); // only k1 was loaded
        QCOMPARE(firstValue(*c.peek(k2)), 99.0);
        QCOMPARE(firstValue(*c.peek(k1)), 12.0);
        c.waitForPendingWrites();

        // Eight days later everything stored is pruned at attach.
        g_nowMs = kT0 + 8LL * 24 * 3600 * 1000;
        MetricsCache d;
        QSignalSpy spyD(&d, &MetricsCache::loaded);
        d.attachStore(store);
        QTRY_COMPARE(spyD.count(), 1);
        QCOMPARE(spyD.at(0).at(0).toInt(), 0);
        QCOMPARE(store.guardedUses(), 0);
        store.guardThread(nullptr);
    }

    void cacheThreadNeverTouchesTheStore()
    {
        test::TempCore tc;
        Store& store = tc.core->store();
        store.guardThread(QThread::currentThread());
        {
            MetricsCache cache;
            QSignalSpy spy(&cache, &MetricsCache::loaded);
            cache.attachStore(store);
            ManualFetcher f;
            for (int i = 0; i < 20; ++i) {
                cache.fetch(rq(QStringLiteral("q%1").arg(i % 5)), f.fn(),
                            [](const QueryResult&, bool) {});
                f.complete(makeResult(i));
            }
            QTRY_COMPARE(spy.count(), 1);
            cache.waitForPendingWrites();
        }
        QCOMPARE(store.guardedUses(), 0);
        store.guardThread(nullptr);
        auto n = execSql(store.db(), QStringLiteral("SELECT COUNT(*) FROM metrics_cache"));
        QVERIFY(n.ok() && n.value().next());
        QCOMPARE(n.value().value(0).toInt(), 5);
    }
};

QTEST_GUILESS_MAIN(TestMetricsCache)
#include "tst_metricscache.moc"
