// PrometheusClient against a real Prometheus + node_exporter on loopback and
// the FaultProxy in front of it. No traffic leaves 127.0.0.0/8 (the resolve
// case uses a name too long for a DNS query: no packet is ever sent).
#include "FaultProxy.h"
#include "PrometheusFixture.h"
#include "observability/PrometheusClient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <cmath>
#include <memory>
#include <optional>

using namespace chom;
using namespace chom::metrics;
using chom::test::FaultProxy;
using chom::test::PrometheusFixture;

namespace {

EndpointConfig endpointAt(const QString& url, int timeoutMs = 5000)
{
    EndpointConfig c;
    c.url = QUrl(url);
    c.timeoutMs = timeoutMs;
    return c;
}

PrometheusClient::Options quickOptions(int retries = 0)
{
    PrometheusClient::Options o;
    o.retries = retries;
    o.backoffBaseMs = 20;
    return o;
}

} // namespace

class TestPrometheusClient : public QObject
{
    Q_OBJECT

private:
    QueryResult runQuery(PrometheusClient& client, const QString& promql)
    {
        std::optional<QueryResult> got;
        client.query(promql, 0, [&](const QueryResult& r) { got = r; });
        if (!QTest::qWaitFor([&] { return got.has_value(); }, 20000)) {
            QueryResult r;
            r.error.kind = ErrorKind::Cancelled;
            r.error.message = QStringLiteral("the test gave up waiting");
            return r;
        }
        return *got;
    }
    QueryResult queryAt(const QString& url, const QString& promql,
                        PrometheusClient::Options o = quickOptions(), int timeoutMs = 5000)
    {
        PrometheusClient client(m_nam, endpointAt(url, timeoutMs), o);
        return runQuery(client, promql);
    }
    std::unique_ptr<FaultProxy> proxy()
    {
        auto p = std::make_unique<FaultProxy>(QStringLiteral("127.0.0.1"), m_prom.prometheusPort());
        if (!p->listen())
            qFatal("proxy cannot listen");
        return p;
    }

    PrometheusFixture m_prom;
    QNetworkAccessManager m_nam;

private Q_SLOTS:
    void initTestCase()
    {
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        QVERIFY2(m_prom.start(), qPrintable(m_prom.error()));
    }
    void cleanupTestCase() { m_prom.stop(); }

    void realQueryAndRange()
    {
        PrometheusClient client(m_nam, endpointAt(m_prom.url()));
        QueryResult up = runQuery(client, QStringLiteral("up{job=\"node\"}"));
        QVERIFY2(up.ok(), qPrintable(up.error.message));
        QCOMPARE(up.resultType, QStringLiteral("vector"));
        QCOMPARE(up.series.size(), 1);
        QCOMPARE(up.series[0].labels.value(QStringLiteral("job")), QStringLiteral("node"));
        QCOMPARE(up.series[0].points.size(), 1);
        QCOMPARE(up.series[0].points[0].y(), 1.0);
        QVERIFY(up.fetchedAtMs > 0);

        const qint64 end = QDateTime::currentSecsSinceEpoch() / 15 * 15;
        std::optional<QueryResult> got;
        client.queryRange({QStringLiteral("sin(vector(time())/300)"), end - 600, end, 15},
                          [&](const QueryResult& r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
        QVERIFY2(got->ok(), qPrintable(got->error.message));
        QCOMPARE(got->resultType, QStringLiteral("matrix"));
        QCOMPARE(got->series.size(), 1);
        const auto& pts = got->series[0].points;
        QCOMPARE(pts.size(), 41);
        QCOMPARE(pts.first().x(), double((end - 600) * 1000));
        QCOMPARE(pts[1].x() - pts[0].x(), 15000.0);
        QVERIFY(qAbs(pts.last().y() - std::sin(double(end) / 300)) < 1e-9);

        // up{job="node"} as a range at step 1 s: one point per second since
        // the first scrape, all 1, no gaps.
        got.reset();
        // End a second ahead: the newest sample may be younger than the
        // current whole second.
        const qint64 now = QDateTime::currentSecsSinceEpoch() + 1;
        client.queryRange({QStringLiteral("up{job=\"node\"}"), now - 60, now, 1},
                          [&](const QueryResult& r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
        QVERIFY2(got->ok(), qPrintable(got->error.message));
        QCOMPARE(got->series.size(), 1);
        const auto& upPts = got->series[0].points;
        QVERIFY(!upPts.isEmpty());
        QCOMPARE(upPts.size(), int((now * 1000 - qint64(upPts.first().x())) / 1000) + 1);
        for (const QPointF& p : upPts)
            QCOMPARE(p.y(), 1.0);
    }

    void bigBodyParsedOffThread()
    {
        auto o = quickOptions();
        o.parseOffThreadBytes = 100;
        PrometheusClient client(m_nam, endpointAt(m_prom.url()), o);
        const qint64 end = QDateTime::currentSecsSinceEpoch();
        std::optional<QueryResult> got;
        QThread* cbThread = nullptr;
        client.queryRange({QStringLiteral("sin(vector(time())/300)"), end - 3600, end, 1},
                          [&](const QueryResult& r) {
                              got = r;
                              cbThread = QThread::currentThread();
                          });
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
        QVERIFY2(got->ok(), qPrintable(got->error.message));
        QCOMPARE(got->series[0].points.size(), 3601);
        QCOMPARE(cbThread, QThread::currentThread());
        QCOMPARE(client.inFlight(), 0);
    }

    void realAlertsAndHealthy()
    {
        PrometheusClient client(m_nam, endpointAt(m_prom.url()));
        bool alertsDone = false;
        MetricsError alertsError;
        client.alerts([&](const QVector<Alert>& list, const MetricsError& e) {
            alertsError = e;
            QVERIFY(list.isEmpty()); // no rules configured
            alertsDone = true;
        });
        bool healthDone = false;
        MetricsError healthError;
        qint64 ms = -1;
        client.healthy([&](const MetricsError& e, qint64 t) {
            healthError = e;
            ms = t;
            healthDone = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(alertsDone && healthDone, 10000);
        QVERIFY2(!alertsError, qPrintable(alertsError.message));
        QVERIFY2(!healthError, qPrintable(healthError.message));
        QVERIFY(ms >= 0 && ms < 5000);
    }

    void plusSurvivesUrlEncoding()
    {
        // A raw '+' in a query string is a space to Prometheus' form parser.
        const QueryResult r = queryAt(m_prom.url(), QStringLiteral("vector(1) + vector(2)"));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(r.series.value(0).points.value(0).y(), 3.0);
    }

    void realPrometheusErrorBody()
    {
        const QueryResult r = queryAt(m_prom.url(), QStringLiteral("sum(rate(x[5m]"));
        QCOMPARE(toString(r.error.kind), toString(ErrorKind::Prometheus));
        QCOMPARE(r.error.errorType, QStringLiteral("bad_data"));
        QCOMPARE(r.error.httpStatus, 400);
        qInfo().noquote() << "prometheus:" << r.error.message;
    }

    void parallelQueriesThroughLatencyProxy()
    {
        auto p = proxy();
        p->setLatencyMs(300);
        PrometheusClient client(m_nam, endpointAt(p->url()));
        runQuery(client, QStringLiteral("vector(0)")); // warm: connection set-up aside
        QElapsedTimer t;
        t.start();
        QueryResult one = runQuery(client, QStringLiteral("up{job=\"node\"}"));
        const qint64 single = t.elapsed();
        QVERIFY2(one.ok(), qPrintable(one.error.message));

        const QStringList panels{QStringLiteral("up{job=\"node\"}"), QStringLiteral("node_load1"),
                                 QStringLiteral("node_memory_MemAvailable_bytes"),
                                 QStringLiteral("sum(rate(node_cpu_seconds_total[1m]))"),
                                 QStringLiteral("sum(rate(node_network_receive_bytes_total[1m]))")};
        int done = 0;
        int failed = 0;
        t.restart();
        for (const QString& q : panels)
            client.query(q, 0, [&](const QueryResult& r) {
                ++done;
                if (!r.ok())
                    ++failed;
            });
        QCOMPARE(client.inFlight(), 5); // all out at once
        QTRY_COMPARE_WITH_TIMEOUT(done, 5, 10000);
        const qint64 five = t.elapsed();
        qInfo("parallel: one query %lld ms, five together %lld ms (limit %lld ms)", single, five,
              2 * single);
        QCOMPARE(failed, 0);
        QVERIFY(single >= 300);
        QVERIFY2(five < 2 * single,
                 qPrintable(QStringLiteral("%1 ms vs %2 ms").arg(five).arg(single)));
    }

    void errorClasses_data()
    {
        QTest::addColumn<int>("mode"); // -1: no proxy
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("promBody");
        QTest::addColumn<qint64>("cap");
        using M = FaultProxy::Mode;
        // A name over DNS's 255-byte limit: glibc fails the lookup locally, so
        // no packet leaves the machine (a plain ".invalid" name would be sent
        // to the configured resolver). QUrl accepts it.
        const QString label(60, QLatin1Char('a'));
        QTest::newRow("resolve") << -1
                                 << QStringLiteral("http://%1.%1.%1.%1.%1.invalid:9090").arg(label)
                                 << int(ErrorKind::Resolve) << false << qint64(0);
        // https:// against the plain-HTTP Prometheus: the handshake fails.
        QTest::newRow("tls") << -2 << QString() << int(ErrorKind::Tls) << false << qint64(0);
        QTest::newRow("refused") << -1 << QString() << int(ErrorKind::Refused) << false
                                 << qint64(0);
        QTest::newRow("timeout") << int(M::Hang) << QString() << int(ErrorKind::Timeout) << false
                                 << qint64(0);
        QTest::newRow("reset") << int(M::Reset) << QString() << int(ErrorKind::Reset) << false
                               << qint64(0);
        QTest::newRow("http500") << int(M::Http500) << QString() << int(ErrorKind::Http) << false
                                 << qint64(0);
        QTest::newRow("http500-prometheus")
            << int(M::Http500) << QString() << int(ErrorKind::Prometheus) << true << qint64(0);
        QTest::newRow("garbled") << int(M::Garble) << QString() << int(ErrorKind::InvalidJson)
                                 << false << qint64(0);
        QTest::newRow("truncated")
            << int(M::Truncate) << QString() << int(ErrorKind::Reset) << false << qint64(0);
        QTest::newRow("too-large")
            << int(M::PassThrough) << QString() << int(ErrorKind::TooLarge) << false << qint64(64);
    }

    void errorClasses()
    {
        QFETCH(int, mode);
        QFETCH(QString, url);
        QFETCH(int, kind);
        QFETCH(bool, promBody);
        QFETCH(qint64, cap);
        std::unique_ptr<FaultProxy> p;
        if (mode >= 0) {
            p = proxy();
            p->setMode(FaultProxy::Mode(mode));
            if (promBody)
                p->setPrometheusError(QStringLiteral("internal"), QStringLiteral("tsdb is sad"));
            url = p->url();
        } else if (mode == -2) {
            url = QStringLiteral("https://127.0.0.1:%1").arg(m_prom.prometheusPort());
        } else if (url.isEmpty()) {
            url = QStringLiteral("http://127.0.0.1:%1").arg(PrometheusFixture::freePort());
        }
        auto o = quickOptions();
        if (cap > 0)
            o.maxBodyBytes = cap;
        QElapsedTimer t;
        t.start();
        const QueryResult r = queryAt(url, QStringLiteral("up"), o, 500);
        qInfo().noquote() << QTest::currentDataTag() << t.elapsed() << "ms:" << r.error.message;
        QCOMPARE(toString(r.error.kind), toString(ErrorKind(kind)));
        QVERIFY(!r.error.message.isEmpty());
        if (promBody) {
            QCOMPARE(r.error.errorType, QStringLiteral("internal"));
            QVERIFY(r.error.message.contains(QStringLiteral("tsdb is sad")));
        }
        if (ErrorKind(kind) == ErrorKind::Http)
            QCOMPARE(r.error.httpStatus, 500);
        if (ErrorKind(kind) == ErrorKind::Timeout)
            QVERIFY(t.elapsed() < 3000);
    }

    void retriesOnlyOnConnectionErrors()
    {
        auto p = proxy();
        const auto countFor = [&](FaultProxy::Mode mode, int retries) {
            p->resetCount();
            p->setMode(mode);
            const QueryResult r =
                queryAt(p->url(), QStringLiteral("up"), quickOptions(retries), 2000);
            return qMakePair(p->requestCount(), toString(r.error.kind));
        };
        QCOMPARE(countFor(FaultProxy::Mode::Http500, 2), qMakePair(1, toString(ErrorKind::Http)));
        QCOMPARE(countFor(FaultProxy::Mode::Garble, 2),
                 qMakePair(1, toString(ErrorKind::InvalidJson)));
        // Qt itself may resend a GET once when a connection dies before any
        // byte of the answer: compare with retries off.
        const auto once = countFor(FaultProxy::Mode::Reset, 0);
        const auto thrice = countFor(FaultProxy::Mode::Reset, 2);
        qInfo("reset: %d requests with retries=0, %d with retries=2", once.first, thrice.first);
        QCOMPARE(once.second, toString(ErrorKind::Reset));
        QCOMPARE(thrice.second, toString(ErrorKind::Reset));
        QVERIFY(thrice.first > once.first);
        QVERIFY(thrice.first >= 3);
        // A reset followed by a healthy answer: the retry hides the blip.
        p->resetCount();
        p->setMode(FaultProxy::Mode::Reset);
        PrometheusClient client(m_nam, endpointAt(p->url()), quickOptions(2));
        std::optional<QueryResult> got;
        client.query(QStringLiteral("up"), 0, [&](const QueryResult& r) { got = r; });
        QTRY_VERIFY_WITH_TIMEOUT(p->requestCount() >= 1, 5000);
        p->setMode(FaultProxy::Mode::PassThrough);
        QTRY_VERIFY_WITH_TIMEOUT(got.has_value(), 10000);
        QVERIFY2(got->ok(), qPrintable(got->error.message));
        QVERIFY(p->requestCount() >= 2);
    }

    void breakerTransitions()
    {
        auto p = proxy();
        p->setMode(FaultProxy::Mode::Reset);
        auto o = quickOptions(0);
        o.breakerCoolDownMs = 400;
        PrometheusClient client(m_nam, endpointAt(p->url()), o);
        QSignalSpy changes(&client, &PrometheusClient::breakerChanged);
        for (int i = 0; i < 5; ++i) {
            QCOMPARE(client.breakerState(), CircuitBreaker::State::Closed);
            QCOMPARE(toString(runQuery(client, QStringLiteral("up")).error.kind),
                     toString(ErrorKind::Reset));
        }
        QCOMPARE(client.breakerState(), CircuitBreaker::State::Open);
        const int sent = p->requestCount();
        QVERIFY(sent >= 5);
        QElapsedTimer t;
        t.start();
        const QueryResult blocked = runQuery(client, QStringLiteral("up"));
        QCOMPARE(toString(blocked.error.kind), toString(ErrorKind::BreakerOpen));
        QVERIFY(t.elapsed() < 200); // at once, no traffic
        QCOMPARE(p->requestCount(), sent);
        qInfo().noquote() << "breaker:" << blocked.error.message;
        QVERIFY(blocked.error.message.contains(QStringLiteral("next probe in")));

        p->setMode(FaultProxy::Mode::PassThrough);
        QTRY_COMPARE_WITH_TIMEOUT(client.breakerState(), CircuitBreaker::State::HalfOpen, 3000);
        const QueryResult probe = runQuery(client, QStringLiteral("up"));
        QVERIFY2(probe.ok(), qPrintable(probe.error.message));
        QCOMPARE(client.breakerState(), CircuitBreaker::State::Closed);
        QCOMPARE(p->requestCount(), sent + 1);
        QStringList seen;
        for (const auto& args : changes)
            seen << args.at(0).toString();
        QCOMPARE(seen, (QStringList{QStringLiteral("open"), QStringLiteral("half_open"),
                                    QStringLiteral("closed")}));

        // A failed probe re-opens it at once.
        p->setMode(FaultProxy::Mode::Reset);
        for (int i = 0; i < 5; ++i)
            runQuery(client, QStringLiteral("up"));
        QCOMPARE(client.breakerState(), CircuitBreaker::State::Open);
        QTRY_COMPARE_WITH_TIMEOUT(client.breakerState(), CircuitBreaker::State::HalfOpen, 3000);
        QCOMPARE(toString(runQuery(client, QStringLiteral("up")).error.kind),
                 toString(ErrorKind::Reset));
        QCOMPARE(client.breakerState(), CircuitBreaker::State::Open);
    }

    void cancelDropsCallback()
    {
        auto p = proxy();
        p->setLatencyMs(200);
        PrometheusClient client(m_nam, endpointAt(p->url()));
        bool called = false;
        const quint64 id =
            client.query(QStringLiteral("up"), 0, [&](const QueryResult&) { called = true; });
        bool other = false;
        client.query(QStringLiteral("up"), 0, [&](const QueryResult&) { other = true; });
        client.cancel(id);
        QTRY_VERIFY_WITH_TIMEOUT(other, 5000);
        QTest::qWait(100);
        QVERIFY(!called);
        QCOMPARE(client.inFlight(), 0);
    }

    void unreadableCaFile()
    {
        EndpointConfig c =
            endpointAt(QStringLiteral("https://127.0.0.1:%1").arg(m_prom.prometheusPort()));
        c.caFile = QStringLiteral("/nonexistent/ca.pem");
        PrometheusClient client(m_nam, c);
        const QueryResult r = runQuery(client, QStringLiteral("up"));
        QCOMPARE(toString(r.error.kind), toString(ErrorKind::Tls));
        QVERIFY(r.error.message.contains(QStringLiteral("/nonexistent/ca.pem")));
    }

    void unconfigured()
    {
        PrometheusClient client(m_nam, EndpointConfig{});
        const QueryResult r = runQuery(client, QStringLiteral("up"));
        QCOMPARE(toString(r.error.kind), toString(ErrorKind::Unconfigured));
    }

    void bearerHeaderSent()
    {
        // Prometheus ignores the header; the proxy passes it on unchanged.
        auto p = proxy();
        EndpointConfig c = endpointAt(p->url());
        c.auth = EndpointConfig::Auth::Bearer;
        c.secret = QStringLiteral("s3cret");
        PrometheusClient client(m_nam, c);
        QVERIFY(runQuery(client, QStringLiteral("up")).ok());
    }
};

QTEST_GUILESS_MAIN(TestPrometheusClient)
#include "tst_prometheusclient.moc"
