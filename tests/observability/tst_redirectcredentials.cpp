// Credentials travel only to the configured origin. Two loopback
// test::HttpDouble servers play an endpoint that answers 302 with a Location
// on another port (another origin, as another host would be) and the server
// it points to, which answers as the documented API would (Prometheus
// /api/v1/query, Grafana /api/search, Loki /ready) and records the headers it
// got. With auth set, every client refuses the cross-origin redirect with a
// clear error and the other server sees no request at all; same-origin
// redirects and redirects without credentials are still followed.
#include "HttpDouble.h"
#include "observability/GrafanaClient.h"
#include "observability/ObservabilityHealth.h"
#include "observability/PrometheusClient.h"

#include <QNetworkAccessManager>
#include <QtTest>

using namespace chom::metrics;
using chom::test::HttpDouble;
using Auth = EndpointConfig::Auth;
using Kind = EndpointConfig::Kind;

namespace {

const QByteArray kVector = R"({"status":"success","data":{"resultType":"vector","result":[]}})";

// `from` redirects every request not under /moved to `to` (same target).
void redirectTo(HttpDouble& from, const QUrl& to)
{
    from.setHandler([to](const HttpDouble::Request& r) {
        HttpDouble::Response moved(302, QByteArray(), QByteArray());
        moved.headers << qMakePair(QByteArray("Location"), to.toString().toUtf8() + r.target);
        return moved;
    });
}

// Answers the documented bodies, for any target.
void answerAsApi(HttpDouble& d)
{
    d.setHandler([](const HttpDouble::Request& r) {
        if (r.path.endsWith("/api/search"))
            return HttpDouble::Response(200, "[]");
        if (r.path.endsWith("/ready"))
            return HttpDouble::Response(200, "ready\n", "text/plain");
        return HttpDouble::Response(200, kVector);
    });
}

EndpointConfig endpoint(Kind kind, const QUrl& url, Auth auth)
{
    EndpointConfig c;
    c.kind = kind;
    c.url = url;
    c.auth = auth;
    c.user = auth == Auth::Basic ? QStringLiteral("ops") : QString();
    c.secret = auth == Auth::None ? QString() : QStringLiteral("s3cret-token");
    c.timeoutMs = 3000;
    return c;
}

} // namespace

class TestRedirectCredentials : public QObject
{
    Q_OBJECT
    QNetworkAccessManager m_nam;

    QueryResult instantQuery(const EndpointConfig& config)
    {
        PrometheusClient client(m_nam, config);
        QueryResult result;
        bool done = false;
        client.query(QStringLiteral("up"), 0, [&](const QueryResult& r) {
            result = r;
            done = true;
        });
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 10000); }();
        return result;
    }

private Q_SLOTS:
    void prometheusRefusesCrossOriginWithCredentials_data()
    {
        QTest::addColumn<Auth>("auth");
        QTest::newRow("bearer") << Auth::Bearer;
        QTest::newRow("basic") << Auth::Basic;
    }
    void prometheusRefusesCrossOriginWithCredentials()
    {
        QFETCH(Auth, auth);
        HttpDouble origin, other;
        QVERIFY(origin.listen() && other.listen());
        redirectTo(origin, other.url());
        answerAsApi(other);
        const QueryResult r = instantQuery(endpoint(Kind::Prometheus, origin.url(), auth));
        QCOMPARE(toString(r.error.kind), toString(ErrorKind::Http));
        QVERIFY2(r.error.message.contains(QStringLiteral("another origin")),
                 qPrintable(r.error.message));
        QVERIFY2(r.error.message.contains(other.url().authority()), qPrintable(r.error.message));
        QVERIFY(!r.error.message.contains(QStringLiteral("s3cret")));
        QCOMPARE(origin.requestCount(), 1);
        QCOMPARE(other.requestCount(), 0); // never reached: no header to leak
    }

    void prometheusFollowsWithoutCredentials()
    {
        HttpDouble origin, other;
        QVERIFY(origin.listen() && other.listen());
        redirectTo(origin, other.url());
        answerAsApi(other);
        const QueryResult r = instantQuery(endpoint(Kind::Prometheus, origin.url(), Auth::None));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(other.requestCount(), 1);
        QVERIFY(!other.lastRequest().hasHeader("Authorization"));
    }

    void prometheusFollowsSameOriginWithCredentials()
    {
        HttpDouble d;
        QVERIFY(d.listen());
        d.setHandler([](const HttpDouble::Request& r) {
            if (r.path.startsWith("/moved"))
                return HttpDouble::Response(200, kVector);
            HttpDouble::Response moved(302, QByteArray(), QByteArray());
            moved.headers << qMakePair(QByteArray("Location"), "/moved" + r.target);
            return moved;
        });
        const QueryResult r = instantQuery(endpoint(Kind::Prometheus, d.url(), Auth::Bearer));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(d.requestCount(), 2);
        QCOMPARE(d.headerValues("Authorization"),
                 (QList<QByteArray>{"Bearer s3cret-token", "Bearer s3cret-token"}));
    }

    void grafanaRefusesCrossOriginWithCredentials()
    {
        HttpDouble origin, other;
        QVERIFY(origin.listen() && other.listen());
        redirectTo(origin, other.url());
        answerAsApi(other);
        GrafanaClient client(m_nam, endpoint(Kind::Grafana, origin.url(), Auth::Bearer));
        MetricsError error;
        bool done = false;
        client.dashboards([&](const QVector<GrafanaDashboard>&, const MetricsError& e) {
            error = e;
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
        QCOMPARE(toString(error.kind), toString(ErrorKind::Http));
        QVERIFY2(error.message.contains(QStringLiteral("another origin")),
                 qPrintable(error.message));
        QCOMPARE(other.requestCount(), 0);
    }

    void healthProbeRefusesCrossOriginWithCredentials()
    {
        HttpDouble origin, other;
        QVERIFY(origin.listen() && other.listen());
        redirectTo(origin, other.url());
        answerAsApi(other);
        ObservabilityHealth health;
        QVector<EndpointHealth> results;
        connect(&health, &ObservabilityHealth::finished, this,
                [&](const QVector<EndpointHealth>& r, OverallHealth) { results = r; });
        health.check({endpoint(Kind::Loki, origin.url(), Auth::Basic)});
        QTRY_VERIFY_WITH_TIMEOUT(!results.isEmpty(), 10000);
        const EndpointHealth& h = results.first();
        QCOMPARE(toString(h.error), toString(ErrorKind::Http));
        QVERIFY2(h.message.contains(QStringLiteral("another origin")), qPrintable(h.message));
        QCOMPARE(other.requestCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestRedirectCredentials)
#include "tst_redirectcredentials.moc"
