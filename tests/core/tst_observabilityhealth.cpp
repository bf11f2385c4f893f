#include "ObservabilityHealth.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

using namespace chom::metrics;

// ErrorKind and OverallHealth are compared through chom::metrics::toString():
// its overloads shadow QTest::toString() for these enums (ADL).
using Kind = EndpointConfig::Kind;

// A minimal HTTP/1.1 server on loopback answering fixed paths: the protocol
// doubles of this test. `silent` accepts connections and never answers.
class HttpDouble : public QObject
{
public:
    struct Answer
    {
        int status = 200;
        QByteArray body;
        QByteArray contentType = "text/plain; charset=utf-8";
    };
    QMap<QByteArray, Answer> routes;
    QList<QByteArray> requests; // "GET /path" lines seen
    QList<QByteArray> authHeaders;
    bool silent = false;

    HttpDouble()
    {
        QVERIFY(m_server.listen(QHostAddress::LocalHost, 0));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                s->setParent(this);
                connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
            }
        });
    }
    QUrl url() const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
    }

private:
    void onData(QTcpSocket* s)
    {
        QByteArray& buf = m_buffers[s];
        buf += s->readAll();
        const int end = buf.indexOf("\r\n\r\n");
        if (end < 0 || silent)
            return;
        const QList<QByteArray> lines = buf.left(end).split('\n');
        const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
        requests << first.value(0) + ' ' + first.value(1);
        for (const QByteArray& l : lines) {
            if (l.toLower().startsWith("authorization:"))
                authHeaders << l.mid(14).trimmed();
        }
        const Answer a = routes.value(first.value(1), Answer{404, "404 page not found\n"});
        QByteArray out = "HTTP/1.1 " + QByteArray::number(a.status) + " X\r\n";
        out += "Content-Type: " + a.contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(a.body.size()) + "\r\n";
        out += "Connection: close\r\n\r\n" + a.body;
        s->write(out);
        s->disconnectFromHost();
        buf.clear();
    }
    QTcpServer m_server;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

// Prometheus double: /-/healthy as Prometheus 2.x answers it.
static void prometheusDouble(HttpDouble& d)
{
    d.routes["/-/healthy"] = {200, "Prometheus Server is Healthy.\n"};
}
// Loki double: /ready answers "ready" once the ingester is up.
static void lokiDouble(HttpDouble& d)
{
    d.routes["/ready"] = {200, "ready\n"};
}
// Grafana double: /api/health as documented (HTTP API, "Health API").
static void grafanaDouble(HttpDouble& d, const QByteArray& database = "ok")
{
    d.routes["/api/health"] = {
        200, R"({"commit":"abc123","database":")" + database + R"(","version":"10.4.0"})",
        "application/json"};
}
// Alertmanager double: /-/healthy answers "OK".
static void alertmanagerDouble(HttpDouble& d)
{
    d.routes["/-/healthy"] = {200, "OK"};
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
        QCOMPARE(prom.requests, QList<QByteArray>{"GET /-/healthy"});
        QCOMPARE(loki.requests, QList<QByteArray>{"GET /ready"});
        QCOMPARE(grafana.requests, QList<QByteArray>{"GET /api/health"});
        QCOMPARE(am.requests, QList<QByteArray>{"GET /-/healthy"});
        QCOMPARE(loki.authHeaders, QList<QByteArray>{"Bearer tok123"});
        QCOMPARE(grafana.authHeaders,
                 QList<QByteArray>{"Basic " + QByteArray("admin:pw").toBase64()});
    }

    void basePathIsKept()
    {
        HttpDouble loki; // Loki double behind a reverse-proxy prefix
        loki.routes["/loki/ready"] = {200, "ready\n"};
        QUrl u = loki.url();
        u.setPath(QStringLiteral("/loki/"));
        const Run r = probe({endpoint(Kind::Loki, u)});
        QCOMPARE(toString(r.overall), toString(OverallHealth::Healthy));
        QCOMPARE(loki.requests, QList<QByteArray>{"GET /loki/ready"});
    }

    void partialWhenSomeUnconfigured()
    {
        HttpDouble prom, am;
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
        prometheusDouble(prom);
        grafanaDouble(grafana, "failing");
        am.routes["/-/healthy"] = {503, "not ready"};
        silent.silent = true; // accepts and never answers
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
        grafana.routes["/api/health"] = {200, "<html>login</html>", "text/html"};
        const Run r = probe({endpoint(Kind::Grafana, grafana.url())});
        QCOMPARE(toString(r.results[0].error), toString(ErrorKind::InvalidJson));
        QCOMPARE(toString(r.overall), toString(OverallHealth::Degraded));
    }

    void endpointTimeoutShorterThanProbeTimeout()
    {
        HttpDouble silent;
        silent.silent = true;
        EndpointConfig c = endpoint(Kind::Loki, silent.url());
        c.timeoutMs = 1000;
        const Run r = probe({c}, 5000);
        QCOMPARE(toString(r.results[0].error), toString(ErrorKind::Timeout));
        QVERIFY2(r.elapsedMs < 3000, qPrintable(QString::number(r.elapsedMs)));
    }

    void newCheckAbandonsThePrevious()
    {
        HttpDouble silent, prom;
        silent.silent = true;
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
