// GrafanaClient against a "Grafana double": a loopback test::HttpDouble set up
// here that serves GET /api/search?type=dash-db as Grafana's HTTP API
// documents it ("Folder/Dashboard Search API") and, like Grafana, answers 401
// {"message":"Unauthorized"} unless the Authorization header is the expected one.
#include "HttpDouble.h"
#include "observability/GrafanaClient.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QUrlQuery>
#include <QtTest>

using namespace chom::metrics;
using chom::test::HttpDouble;

// The Grafana double: GET <any prefix>/api/search?type=dash-db answers `search`
// as it is at that moment (read at each request: keep it alive), or 401 {"message":"Invalid API
// key"} when `expectedAuth` is set and the Authorization header is not it; anything else is 404
// {"message":"Not found"}.
static bool grafanaDouble(HttpDouble& d, const QByteArray& search,
                          const QByteArray& expectedAuth = {})
{
    d.setHandler([&search, expectedAuth](const HttpDouble::Request& r) -> HttpDouble::Response {
        if (!r.target.endsWith("/api/search?type=dash-db"))
            return {404, R"({"message":"Not found"})"};
        if (!expectedAuth.isEmpty() && r.header("Authorization") != expectedAuth)
            return {401, R"({"message":"Invalid API key"})"};
        return {200, search};
    });
    return d.listen();
}

// As in Grafana's documentation: a folder hit and dashboard hits.
static const QByteArray kSearch = R"([
 {"id":163,"uid":"000000163","title":"Folder","url":"/dashboards/f/000000163/folder",
  "type":"dash-folder","tags":[],"isStarred":false,"uri":"db/folder"},
 {"id":1,"uid":"cIBgcSjkk","title":"Production Overview","uri":"db/production-overview",
  "url":"/d/cIBgcSjkk/production-overview","slug":"","type":"dash-db","tags":["prod","web"],
  "isStarred":true,"folderId":163,"folderUid":"000000163","folderTitle":"Folder",
  "folderUrl":"/dashboards/f/000000163/folder"},
 {"id":2,"uid":"rYdddlPWk","title":"Node Exporter Full","uri":"db/node-exporter-full",
  "url":"/d/rYdddlPWk/node-exporter-full","slug":"","type":"dash-db","tags":[],
  "isStarred":false}
])";

class TestGrafanaClient : public QObject
{
    Q_OBJECT
    QNetworkAccessManager m_nam;

    struct Answer
    {
        QVector<GrafanaDashboard> list;
        MetricsError error;
    };
    static Answer fetch(GrafanaClient& c, bool force = false)
    {
        Answer a;
        bool done = false;
        c.dashboards(
            [&](const QVector<GrafanaDashboard>& l, const MetricsError& e) {
                a.list = l;
                a.error = e;
                done = true;
            },
            force);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(done, 5000); }();
        return a;
    }
    static EndpointConfig grafana(const QUrl& url,
                                  EndpointConfig::Auth auth = EndpointConfig::Auth::None,
                                  const QString& secret = {}, const QString& user = {})
    {
        EndpointConfig c;
        c.kind = EndpointConfig::Kind::Grafana;
        c.url = url;
        c.auth = auth;
        c.secret = secret;
        c.user = user;
        c.timeoutMs = 3000;
        return c;
    }

private Q_SLOTS:
    void listsDashboardsWithBearerKey()
    {
        const QByteArray search = kSearch;
        HttpDouble d;
        QVERIFY(grafanaDouble(d, search, "Bearer glsa_TestKey123"));
        GrafanaClient c(m_nam, grafana(d.url(), EndpointConfig::Auth::Bearer,
                                       QStringLiteral("glsa_TestKey123")));
        const Answer a = fetch(c);
        QVERIFY2(!a.error, qPrintable(a.error.message));
        QCOMPARE(d.requestLines(), QList<QByteArray>{"GET /api/search?type=dash-db"});
        QCOMPARE(d.requests().value(0).header("Authorization"),
                 QByteArray("Bearer glsa_TestKey123"));
        QCOMPARE(a.list.size(), 2); // the folder hit is not a dashboard
        QCOMPARE(a.list.at(0).uid, QStringLiteral("cIBgcSjkk"));
        QCOMPARE(a.list.at(0).title, QStringLiteral("Production Overview"));
        QCOMPARE(a.list.at(0).url, QStringLiteral("/d/cIBgcSjkk/production-overview"));
        QCOMPARE(a.list.at(0).folderTitle, QStringLiteral("Folder"));
        QCOMPARE(a.list.at(0).tags, (QStringList{"prod", "web"}));
        QCOMPARE(a.list.at(1).folderTitle, QString()); // General folder
    }

    void basicAuthAndWrongKey()
    {
        const QByteArray search = kSearch;
        HttpDouble d;
        QVERIFY(grafanaDouble(d, search, "Basic " + QByteArray("viewer:s3cr:et").toBase64()));
        GrafanaClient c(m_nam, grafana(d.url(), EndpointConfig::Auth::Basic,
                                       QStringLiteral("s3cr:et"), QStringLiteral("viewer")));
        Answer a = fetch(c);
        QVERIFY2(!a.error, qPrintable(a.error.message));
        QCOMPARE(a.list.size(), 2);

        GrafanaClient wrong(m_nam,
                            grafana(d.url(), EndpointConfig::Auth::Bearer, QStringLiteral("nope")));
        a = fetch(wrong);
        QCOMPARE(toString(a.error.kind), toString(ErrorKind::Http));
        QCOMPARE(a.error.httpStatus, 401);
        QVERIFY2(a.error.message.contains(QStringLiteral("Invalid API key")) &&
                     a.error.message.contains(QStringLiteral("API key or user/password")),
                 qPrintable(a.error.message));
        QVERIFY(a.list.isEmpty());
    }

    void cachedForOneHour()
    {
        QByteArray search = kSearch;
        HttpDouble d;
        QVERIFY(grafanaDouble(d, search));
        GrafanaClient c(m_nam, grafana(d.url()));
        qint64 clock = 1'700'000'000'000;
        c.setClock([&clock] { return clock; });
        QCOMPARE(c.ttlMs(), qint64(3600 * 1000));

        // Two callers at once share one request.
        int answered = 0;
        c.dashboards([&](const auto& l, const auto&) { answered += int(l.size()); });
        c.dashboards([&](const auto& l, const auto&) { answered += int(l.size()); });
        QTRY_COMPARE(answered, 4);
        QCOMPARE(d.requestCount(), 1);

        clock += 59 * 60 * 1000; // 59 min: the cache answers
        QCOMPARE(fetch(c).list.size(), 2);
        QCOMPARE(d.requestCount(), 1);
        QCOMPARE(c.requestsSent(), 1);

        clock += 2 * 60 * 1000;                                   // 61 min: expired, asked again
        search = "[" + kSearch.mid(kSearch.indexOf("{\"id\":2")); // one dashboard now
        QCOMPARE(fetch(c).list.size(), 1);
        QCOMPARE(d.requestCount(), 2);

        QCOMPARE(fetch(c).list.size(), 1); // fresh again
        QCOMPARE(d.requestCount(), 2);
        search = kSearch;
        QCOMPARE(fetch(c, true).list.size(), 2); // explicit refresh
        QCOMPARE(d.requestCount(), 3);
    }

    void garbageKeepsCacheWithClearError()
    {
        QByteArray search = kSearch;
        HttpDouble d;
        QVERIFY(grafanaDouble(d, search));
        GrafanaClient c(m_nam, grafana(d.url()));
        QCOMPARE(fetch(c).list.size(), 2);
        search = "<html>502 Bad Gateway</html>";
        Answer a = fetch(c, true);
        QCOMPARE(toString(a.error.kind), toString(ErrorKind::InvalidJson));
        QVERIFY2(a.error.message.contains(QStringLiteral("Grafana")), qPrintable(a.error.message));
        QCOMPARE(a.list.size(), 2); // the last good list is kept
        QCOMPARE(c.cached().size(), 2);
        search = R"({"message":"not a list"})";
        a = fetch(c, true);
        QCOMPARE(toString(a.error.kind), toString(ErrorKind::InvalidJson));
        QCOMPARE(a.list.size(), 2);
    }

    void refusedAndUnconfigured()
    {
        QTcpServer s;
        QVERIFY(s.listen(QHostAddress::LocalHost, 0));
        const QUrl url(QStringLiteral("http://127.0.0.1:%1").arg(s.serverPort()));
        s.close();
        GrafanaClient c(m_nam, grafana(url));
        Answer a = fetch(c);
        QCOMPARE(toString(a.error.kind), toString(ErrorKind::Refused));
        QVERIFY2(a.error.message.contains(QStringLiteral("Grafana")) &&
                     !a.error.message.contains(QStringLiteral("Prometheus")),
                 qPrintable(a.error.message));
        GrafanaClient none(m_nam, grafana({}));
        QCOMPARE(toString(fetch(none).error.kind), toString(ErrorKind::Unconfigured));
    }

    void dashboardUrl_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("tenant");
        QTest::addColumn<QByteArray>("expected");
        const QString b = QStringLiteral("https://grafana.example.com");
        QTest::newRow("no tenant") << b << "/d/abc/node" << QString()
                                   << QByteArray("https://grafana.example.com/d/abc/node?kiosk");
        QTest::newRow("plain") << b << "/d/abc/node"
                               << "42"
                               << QByteArray("https://grafana.example.com/d/abc/node"
                                             "?var-tenant_id=42&kiosk");
        QTest::newRow("ampersand+kiosk")
            << b << "/d/abc/node"
            << "7&kiosk=0&var-tenant_id=8"
            << QByteArray("https://grafana.example.com/d/abc/node"
                          "?var-tenant_id=7%26kiosk%3D0%26var-tenant_id%3D8&kiosk");
        QTest::newRow("fragment/space/plus")
            << b << "/d/abc/node"
            << "a b+c#frag"
            << QByteArray(
                   "https://grafana.example.com/d/abc/node?var-tenant_id=a%20b%2Bc%23frag&kiosk");
        QTest::newRow("quote/brace/newline")
            << b << "/d/abc/node"
            << "\"}\n\\"
            << QByteArray(
                   "https://grafana.example.com/d/abc/node?var-tenant_id=%22%7D%0A%5C&kiosk");
        QTest::newRow("unicode") << b << "/d/abc/node" << QStringLiteral("tenant-ü")
                                 << QByteArray("https://grafana.example.com/d/abc/node"
                                               "?var-tenant_id=tenant-%C3%BC&kiosk");
        QTest::newRow("sub-path, url carries it")
            << "http://h:3000/grafana/"
            << "/grafana/d/abc/node"
            << "1" << QByteArray("http://h:3000/grafana/d/abc/node?var-tenant_id=1&kiosk");
        QTest::newRow("sub-path, url without it")
            << "http://h:3000/grafana"
            << "/d/abc/node"
            << "1" << QByteArray("http://h:3000/grafana/d/abc/node?var-tenant_id=1&kiosk");
        QTest::newRow("url's own query dropped, credentials not passed")
            << "http://admin:pw@h:3000"
            << "/d/abc/node?orgId=1&kiosk=0" << QString()
            << QByteArray("http://h:3000/d/abc/node?kiosk");
    }
    void dashboardUrl()
    {
        QFETCH(QString, base);
        QFETCH(QString, path);
        QFETCH(QString, tenant);
        QFETCH(QByteArray, expected);
        const QUrl u = GrafanaClient::dashboardUrl(QUrl(base), path, tenant);
        QCOMPARE(u.toEncoded(), expected);
        // Read back as Grafana would: exactly one tenant variable, the original value.
        const QUrlQuery q(u);
        const QStringList vars =
            q.allQueryItemValues(QStringLiteral("var-tenant_id"), QUrl::FullyDecoded);
        if (tenant.isEmpty())
            QVERIFY(vars.isEmpty());
        else
            QCOMPARE(vars, QStringList{tenant});
        QVERIFY(q.hasQueryItem(QStringLiteral("kiosk")));
        QVERIFY(u.fragment().isEmpty());
    }

    void quickLinks()
    {
        EndpointConfig p;
        p.url = QUrl(QStringLiteral("http://127.0.0.1:9090/prom/"));
        EndpointConfig g;
        g.url = QUrl(QStringLiteral("https://grafana.example.com"));
        EndpointConfig am;
        am.url = QUrl(QStringLiteral("http://127.0.0.1:9093"));
        QCOMPARE(GrafanaClient::prometheusLink(p).toEncoded(),
                 QByteArray("http://127.0.0.1:9090/prom/graph"));
        QCOMPARE(GrafanaClient::grafanaLink(g).toEncoded(),
                 QByteArray("https://grafana.example.com/"));
        QCOMPARE(GrafanaClient::alertmanagerLink(am).toEncoded(),
                 QByteArray("http://127.0.0.1:9093/#/alerts"));
        QVERIFY(GrafanaClient::prometheusLink(EndpointConfig{}).isEmpty());
        QVERIFY(GrafanaClient::alertmanagerLink(EndpointConfig{}).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestGrafanaClient)
#include "tst_grafanaclient.moc"
