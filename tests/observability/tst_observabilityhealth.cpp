#include "HttpDouble.h"
#include "observability/ObservabilityHealth.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QtTest>

using namespace chom::metrics;

// ErrorKind and OverallHealth are compared through chom::metrics::toString():
// its overloads shadow QTest::toString() for these enums (ADL).
using Kind = EndpointConfig::Kind;

// The protocol doubles of this test are test::HttpDouble instances (a minimal
// HTTP/1.1 server on loopback) answering fixed paths; hang mode accepts
// connections and never answers.
using chom::test::HttpDouble;

static HttpDouble::Response text(int status, const QByteArray& body)
{
    return {status, body, "text/plain; charset=utf-8"};
}
static bool listenAll(std::initializer_list<HttpDouble*> doubles)
{
    for (HttpDouble* d : doubles)
        if (!d->listen())
            return false;
    return true;
}

// Prometheus double: /-/healthy as Prometheus 2.x answers it.
static void prometheusDouble(HttpDouble& d)
{
    d.setRoute("/-/healthy", text(200, "Prometheus Server is Healthy.\n"));
}
// Loki double: /ready answers "ready" once the ingester is up.
static void lokiDouble(HttpDouble& d)
{
    d.setRoute("/ready", text(200, "ready\n"));
}
// Grafana double: /api/health as documented (HTTP API, "Health API").
static void grafanaDouble(HttpDouble& d, const QByteArray& database = "ok")
{
    d.setRoute("/api/health",
               {200, R"({"commit":"abc123","database":")" + database + R"(","version":"10.4.0"})",
                "application/json"});
}
// Alertmanager double: /-/healthy answers "OK".
static void alertmanagerDouble(HttpDouble& d)
{
    d.setRoute("/-/healthy", text(200, "OK"));
}

static EndpointConfig endpoint(Kind kind, const QUrl& url)
{
    EndpointConfig c;
    c.kind = kind;
    c.url = url;
    return c;
}

// A loopback port where nothing listens.
static QUrl refusedUrl()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return {};
    const quint16 port = s.serverPort();
    s.close();
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
}

class TestObservabilityHealth : public QObject
{
    Q_OBJECT

    struct Run
    {
        QVector<EndpointHealth> results;
        OverallHealth overall = OverallHealth::Unconfigured;
        qint64 elapsedMs = 0;
        int signals = 0;
    };
    static Run probe(const QVector<EndpointConfig>& endpoints, int timeoutMs = 2000)
    {
        ObservabilityHealth health;
        health.setTimeoutMs(timeoutMs);
        Run run;
        QObject::connect(&health, &ObservabilityHealth::finished, &health,
                         [&run](const QVector<EndpointHealth>& r, OverallHealth o) {
                             run.results = r;
                             run.overall = o;
                             ++run.signals;
                         });
        QElapsedTimer clock;
        clock.start();
        health.check(endpoints);
        // check() never blocks and never answers synchronously.
        if (run.signals != 0 || clock.elapsed() > 200)
            qWarning("check() blocked or answered synchronously");
        [&] { QTRY_COMPARE_WITH_TIMEOUT(run.signals, 1, 15000); }();
        run.elapsedMs = clock.elapsed();
        QTest::qWait(50); // no second signal
        return run;
    }

private Q_SLOTS:
    void healthPaths()
    {
        QCOMPARE(ObservabilityHealth::healthPath(Kind::Prometheus), QStringLiteral("/-/healthy"));
        QCOMPARE(ObservabilityHealth::healthPath(Kind::Loki), QStringLiteral("/ready"));
        QCOMPARE(ObservabilityHealth::healthPath(Kind::Grafana), QStringLiteral("/api/health"));
        QCOMPARE(ObservabilityHealth::healthPath(Kind::Alertmanager), QStringLiteral("/-/healthy"));
        QCOMPARE(ObservabilityHealth::kDefaultTimeoutMs, 5000);
    }

    void allHealthy()
    {
        HttpDouble prom, loki, grafana, am;
        QVERIFY(listenAll({&prom, &loki, &grafana, &am}));
        prometheusDouble(prom);
        lokiDouble(loki);
        grafanaDouble(grafana);
        alertmanagerDouble(am);
        EndpointConfig lokiCfg = endpoint(Kind::Loki, loki.url());
        lokiCfg.auth = EndpointConfig::Auth::Bearer;
        lokiCfg.secret = QStringLiteral("tok123");
        EndpointConfig grafCfg = endpoint(Kind::Grafana, grafana.url());
        grafCfg.auth = EndpointConfig::Auth::Basic;
        grafCfg.user = QStringLiteral("admin");
        grafCfg.secret = QStringLiteral("pw");
        const Run r = probe({endpoint(Kind::Prometheus, prom.url()), lokiCfg, grafCfg,
                             endpoint(Kind::Alertmanager, am.url())});
        QCOMPARE(r.signals, 1);
        QCOMPARE(toString(r.overall), toString(OverallHealth::Healthy));
        QCOMPARE(toString(r.overall), QStringLiteral("healthy"));
        QCOMPARE(r.results.size(), 4);
        for (const auto& h : r.results) {
            QVERIFY2(h.ok(), qPrintable(h.message));
            QCOMPARE(h.httpStatus, 200);
            QVERIFY(h.ms >= 0 && h.ms < 2000);
        }
        QCOMPARE(r.results[2].kind, Kind::Grafana);
        QCOMPARE(prom.requestLines(), QList<QByteArray>{"GET /-/healthy"});
        QCOMPARE(loki.requestLines(), QList<QByteArray>{"GET /ready"});
        QCOMPARE(grafana.requestLines(), QList<QByteArray>{"GET /api/health"});
        QCOMPARE(am.requestLines(), QList<QByteArray>{"GET /-/healthy"});
        QCOMPARE(loki.headerValues("Authorization"), QList<QByteArray>{"Bearer tok123"});
        QCOMPARE(grafana.headerValues("Authorization"),
                 QList<QByteArray>{"Basic " + QByteArray("admin:pw").toBase64()});
    }

    void basePathIsKept()
    {
        HttpDouble loki; // Loki double behind a reverse-proxy prefix
        QVERIFY(loki.listen());
        loki.setRoute("/loki/ready", text(200, "ready\n"));
        QUrl u = loki.url();
        u.setPath(QStringLiteral("/loki/"));
        const Run r = probe({endpoint(Kind::Loki, u)});
        QCOMPARE(toString(r.overall), toString(OverallHealth::Healthy));
        QCOMPARE(loki.requestLines(), QList<QByteArray>{"GET /loki/ready"});
    }

    void partialWhenSomeUnconfigured()
    {
        HttpDouble prom, am;
        QVERIFY(listenAll({&prom, &am}));
        prometheusDouble(prom);
        alertmanagerDouble(am);
        const Run r = probe({endpoint(Kind::Prometheus, prom.url()), endpoint(Kind::Loki, {}),
                             endpoint(Kind::Grafana, {}), endpoint(Kind::Alertmanager, am.url())});
        QCOMPARE(toString(r.overall), toString(OverallHealth::Partial));
        QVERIFY(r.results[0].ok() && r.results[3].ok());
        QVERIFY(!r.results[1].configured);
        QCOMPARE(toString(r.results[1].error), toString(ErrorKind::Unconfigured));
        QCOMPARE(r.results[1].ms, qint64(-1));
    }

    void unconfigured()
    {
        const Run r = probe({endpoint(Kind::Prometheus, {}), endpoint(Kind::Loki, {})});
        QCOMPARE(r.signals, 1);
        QCOMPARE(toString(r.overall), toString(OverallHealth::Unconfigured));
        QCOMPARE(toString(r.overall), QStringLiteral("unconfigured"));
        QVERIFY(r.results[0].message.contains(QLatin1String("not configured")));
    }

    void degradedClassifiesEachFailure()
    {
        HttpDouble prom, grafana, am, silent, loki;
        QVERIFY(listenAll({&prom, &grafana, &am, &silent, &loki}));
        prometheusDouble(prom);
        grafanaDouble(grafana, "failing");
        am.setRoute("/-/healthy", text(503, "not ready"));
        silent.setHang(true); // accepts and never answers
        const QUrl refused = refusedUrl();
        QVERIFY(refused.isValid());
        const Run r =
            probe({endpoint(Kind::Prometheus, prom.url()), endpoint(Kind::Loki, refused),
                   endpoint(Kind::Grafana, grafana.url()), endpoint(Kind::Alertmanager, am.url()),
                   endpoint(Kind::Prometheus, silent.url()),
                   endpoint(Kind::Loki, loki.url())}, // no /ready route: 404
                  700);
        QCOMPARE(toString(r.overall), toString(OverallHealth::Degraded));
        QCOMPARE(toString(r.overall), QStringLiteral("degraded"));
        QVERIFY(r.results[0].ok());
        QCOMPARE(toString(r.results[1].error), toString(ErrorKind::Refused));
        QVERIFY2(r.results[1].message.contains(QLatin1String("refused")),
                 qPrintable(r.results[1].message));
        QCOMPARE(toString(r.results[2].error), toString(ErrorKind::Http));
        QVERIFY2(r.results[2].message.contains(QLatin1String("\"failing\"")),
                 qPrintable(r.results[2].message));
        QCOMPARE(toString(r.results[3].error), toString(ErrorKind::Http));
        QCOMPARE(r.results[3].httpStatus, 503);
        QVERIFY2(r.results[3].message.contains(QLatin1String("HTTP 503")),
                 qPrintable(r.results[3].message));
        QCOMPARE(toString(r.results[4].error), toString(ErrorKind::Timeout));
        QVERIFY2(r.results[4].message.contains(QLatin1String("700 ms")),
                 qPrintable(r.results[4].message));
        QVERIFY(r.results[4].ms >= 650);
        QCOMPARE(toString(r.results[5].error), toString(ErrorKind::Http));
        QCOMPARE(r.results[5].httpStatus, 404);
        // In parallel: the whole run takes about one timeout, not the sum.
        QVERIFY2(r.elapsedMs < 1600, qPrintable(QString::number(r.elapsedMs)));
    }

    void grafanaWithoutDocumentedJson()
    {
        HttpDouble grafana; // Grafana double answering HTML instead of the JSON
        QVERIFY(grafana.listen());
        grafana.setRoute("/api/health", {200, "<html>login</html>", "text/html"});
        const Run r = probe({endpoint(Kind::Grafana, grafana.url())});
        QCOMPARE(toString(r.results[0].error), toString(ErrorKind::InvalidJson));
        QCOMPARE(toString(r.overall), toString(OverallHealth::Degraded));
    }

    void endpointTimeoutShorterThanProbeTimeout()
    {
        HttpDouble silent;
        QVERIFY(silent.listen());
        silent.setHang(true);
        EndpointConfig c = endpoint(Kind::Loki, silent.url());
        c.timeoutMs = 1000;
        const Run r = probe({c}, 5000);
        QCOMPARE(toString(r.results[0].error), toString(ErrorKind::Timeout));
        QVERIFY2(r.elapsedMs < 3000, qPrintable(QString::number(r.elapsedMs)));
    }

    void newCheckAbandonsThePrevious()
    {
        HttpDouble silent, prom;
        QVERIFY(listenAll({&silent, &prom}));
        silent.setHang(true);
        prometheusDouble(prom);
        ObservabilityHealth health;
        health.setTimeoutMs(3000);
        QSignalSpy spy(&health, &ObservabilityHealth::finished);
        health.check({endpoint(Kind::Prometheus, silent.url())});
        QVERIFY(health.isRunning());
        health.check({endpoint(Kind::Prometheus, prom.url())});
        QTRY_COMPARE(spy.size(), 1);
        QTest::qWait(100);
        QCOMPARE(spy.size(), 1);
        QCOMPARE(toString(spy.at(0).at(1).value<OverallHealth>()),
                 toString(OverallHealth::Healthy));
    }
};

QTEST_GUILESS_MAIN(TestObservabilityHealth)
#include "tst_observabilityhealth.moc"
