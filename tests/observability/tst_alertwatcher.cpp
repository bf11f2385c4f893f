// AlertWatcher against an "Alertmanager/Prometheus alerts double": a loopback
// test::HttpDouble set up here that serves GET /api/v1/alerts exactly as
// Prometheus documents it (HTTP API, "Alerts"), with a body the test changes
// between polls.
#include "HttpDouble.h"
#include "observability/AlertWatcher.h"
#include "observability/PrometheusClient.h"

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QtTest>

using namespace chom::metrics;
using chom::test::HttpDouble;

// Alerts double: GET /api/v1/alerts answers `body` with `status` from now on.
static void serve(HttpDouble& d, const QByteArray& body, int status = 200)
{
    d.setRoute("/api/v1/alerts", {status, body});
}
static int alertRequests(const HttpDouble& d)
{
    return int(d.requestLines().count("GET /api/v1/alerts"));
}

// One alert object as Prometheus renders it.
static QByteArray alert(const QByteArray& name, const QByteArray& state,
                        const QByteArray& extraLabels = {}, const QByteArray& summary = "x")
{
    return R"({"labels":{"alertname":")" + name + R"(","severity":"critical")" + extraLabels +
           R"(},"annotations":{"summary":")" + summary + R"("},"state":")" + state +
           R"(","activeAt":"2024-05-01T10:00:00.123456789Z","value":"1e+00"})";
}
static QByteArray alertsBody(const QList<QByteArray>& alerts)
{
    QByteArray joined;
    for (const QByteArray& a : alerts)
        joined += (joined.isEmpty() ? "" : ",") + a;
    return R"({"status":"success","data":{"alerts":[)" + joined + "]}}";
}
static QStringList names(const QList<QList<QVariant>>& spy)
{
    QStringList out;
    for (const auto& args : spy)
        out << args.at(0).value<Alert>().labels.value(QStringLiteral("alertname"));
    return out;
}

class TestAlertWatcher : public QObject
{
    Q_OBJECT

    QNetworkAccessManager m_nam;

    static EndpointConfig endpoint(const QUrl& url)
    {
        EndpointConfig c;
        c.url = url;
        c.timeoutMs = 3000;
        return c;
    }
    // One poll, waited for; returns whether it succeeded.
    static bool poll(AlertWatcher& w)
    {
        QSignalSpy done(&w, &AlertWatcher::polled);
        w.pollNow();
        if (!done.wait(5000))
            return false;
        return done.at(0).at(0).toBool();
    }

private Q_SLOTS:
    void newlyFiringOncePendingIgnoredRefireIsNew()
    {
        HttpDouble d;
        QVERIFY(d.listen());
        PrometheusClient client(m_nam, endpoint(d.url()));
        AlertWatcher w(client);
        w.setNotifyOnFirstPoll(true);
        QSignalSpy fired(&w, &AlertWatcher::newlyFiring);
        QSignalSpy changed(&w, &AlertWatcher::alertsChanged);

        // A fires, B is only pending.
        serve(d, alertsBody({alert("A", "firing"), alert("B", "pending")}));
        QVERIFY(poll(w));
        QCOMPARE(names(fired), QStringList{"A"});
        QCOMPARE(w.alerts().size(), 2);
        QCOMPARE(w.firing().size(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(w.alerts().at(0).activeAtMs,
                 QDateTime(QDate(2024, 5, 1), QTime(10, 0, 0, 123), Qt::UTC).toMSecsSinceEpoch());

        // Same answer again: nothing new, nothing changed.
        fired.clear();
        QVERIFY(poll(w));
        QVERIFY(fired.isEmpty());
        QCOMPARE(changed.size(), 1);

        // B goes pending -> firing: new. A's labels in another JSON order: same alert.
        serve(d,
              alertsBody({R"({"state":"firing","labels":{"severity":"critical","alertname":"A"},)"
                          R"("annotations":{"summary":"x"},)"
                          R"("activeAt":"2024-05-01T10:00:00.123456789Z","value":"1"})",
                          alert("B", "firing")}));
        QVERIFY(poll(w));
        QCOMPARE(names(fired), QStringList{"B"});

        // A resolves (gone), then fires again: new again.
        fired.clear();
        serve(d, alertsBody({alert("B", "firing")}));
        QVERIFY(poll(w));
        QVERIFY(fired.isEmpty());
        serve(d, alertsBody({alert("A", "firing"), alert("B", "firing")}));
        QVERIFY(poll(w));
        QCOMPARE(names(fired), QStringList{"A"});

        // Firing -> pending -> firing is also a new firing.
        fired.clear();
        serve(d, alertsBody({alert("A", "firing"), alert("B", "pending")}));
        QVERIFY(poll(w));
        QVERIFY(fired.isEmpty());
        serve(d, alertsBody({alert("A", "firing"), alert("B", "firing")}));
        QVERIFY(poll(w));
        QCOMPARE(names(fired), QStringList{"B"});

        // Another label value = another alert (identity is the whole label set);
        // an annotation change is not.
        fired.clear();
        serve(d, alertsBody({alert("A", "firing", R"(,"instance":"web-2:9100")", "changed"),
                             alert("A", "firing", {}, "changed"), alert("B", "firing")}));
        QVERIFY(poll(w));
        QCOMPARE(fired.size(), 1);
        QCOMPARE(fired.at(0).at(0).value<Alert>().labels.value(QStringLiteral("instance")),
                 QStringLiteral("web-2:9100"));
    }

    void firstPollIsBaselineByDefault()
    {
        HttpDouble d;
        QVERIFY(d.listen());
        serve(d, alertsBody({alert("A", "firing")}));
        PrometheusClient client(m_nam, endpoint(d.url()));
        AlertWatcher w(client);
        QSignalSpy fired(&w, &AlertWatcher::newlyFiring);
        QVERIFY(poll(w));
        QCOMPARE(w.firing().size(), 1);
        QVERIFY(fired.isEmpty()); // already firing when the console looked first
        serve(d, alertsBody({alert("A", "firing"), alert("C", "firing")}));
        QVERIFY(poll(w));
        QCOMPARE(names(fired), QStringList{"C"});
    }

    void tenantFilter()
    {
        HttpDouble d;
        QVERIFY(d.listen());
        serve(d, alertsBody({alert("T7", "firing", R"(,"tenant_id":"7")"),
                             alert("T17", "firing", R"(,"tenant_id":"17")"),
                             alert("T7p", "pending", R"(,"tenant_id":"7")"),
                             alert("Fleet", "firing")}));
        PrometheusClient client(m_nam, endpoint(d.url()));
        AlertWatcher w(client);
        QVERIFY(poll(w));
        QStringList got;
        for (const Alert& a : w.forTenant(QStringLiteral("7")))
            got << a.labels.value(QStringLiteral("alertname"));
        QCOMPARE(got, (QStringList{"T7", "T7p"}));
        QCOMPARE(w.forTenant(QStringLiteral("17")).size(), 1);
        QCOMPARE(w.forTenant(QStringLiteral("1")).size(), 0);
        QCOMPARE(w.forTenant(QString()).size(), 0); // no label is not tenant ""
        QCOMPARE(AlertWatcher::filterTenant(w.firing(), QStringLiteral("7")).size(), 1);
    }

    void garbageKeepsListWithClearError()
    {
        HttpDouble d;
        QVERIFY(d.listen());
        serve(d, alertsBody({alert("A", "firing")}));
        PrometheusClient client(m_nam, endpoint(d.url()));
        AlertWatcher w(client);
        w.setNotifyOnFirstPoll(true);
        QSignalSpy fired(&w, &AlertWatcher::newlyFiring);
        QSignalSpy errors(&w, &AlertWatcher::errorChanged);
        QVERIFY(poll(w));
        QCOMPARE(fired.size(), 1);

        serve(d, "{\"status\":\"success\",\"data\":{\"alerts\":[{\"labels\": <html>");
        QVERIFY(!poll(w));
        QCOMPARE(toString(w.lastError().kind), toString(ErrorKind::InvalidJson));
        QVERIFY2(!w.lastError().message.isEmpty(), "an operator-readable sentence");
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.at(0).at(0).toString(), w.lastError().message);
        QCOMPARE(w.firing().size(), 1); // the last good list is kept

        // Well-formed JSON in the wrong shape is as invalid.
        serve(d, R"({"status":"success","data":{"alerts":"none"}})");
        QVERIFY(!poll(w));
        QCOMPARE(toString(w.lastError().kind), toString(ErrorKind::InvalidJson));
        QCOMPARE(w.firing().size(), 1);

        // HTTP 500 with Prometheus' error document.
        serve(d, R"({"status":"error","errorType":"internal","error":"rule manager down"})", 500);
        QVERIFY(!poll(w));
        QVERIFY2(w.lastError().message.contains(QStringLiteral("rule manager down")),
                 qPrintable(w.lastError().message));

        // Back to normal: error cleared, and A (still firing) is not "new".
        serve(d, alertsBody({alert("A", "firing")}), 200);
        QVERIFY(poll(w));
        QVERIFY(!w.lastError());
        QVERIFY(errors.last().at(0).toString().isEmpty());
        QCOMPARE(fired.size(), 1);
    }

    void pollsOnlyWhileStarted()
    {
        HttpDouble d;
        QVERIFY(d.listen());
        serve(d, alertsBody({}));
        PrometheusClient client(m_nam, endpoint(d.url()));
        AlertWatcher w(client);
        QCOMPARE(w.intervalMs(), AlertWatcher::kDefaultIntervalMs);
        w.setIntervalMs(100);
        QTest::qWait(300);
        QCOMPARE(alertRequests(d), 0); // not started: no polls
        w.start();
        QVERIFY(w.isRunning());
        QTRY_VERIFY_WITH_TIMEOUT(alertRequests(d) >= 3, 5000);
        w.stop();
        QVERIFY(!w.isRunning());
        QTest::qWait(150); // a request already on the wire may still land
        const int seen = alertRequests(d);
        QTest::qWait(400);
        QCOMPARE(alertRequests(d), seen);
    }
};

QTEST_GUILESS_MAIN(TestAlertWatcher)
#include "tst_alertwatcher.moc"
