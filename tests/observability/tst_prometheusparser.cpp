// PrometheusClient's body parsers on canned documents (no server needed).
#include "observability/PrometheusClient.h"

#include <QDateTime>
#include <QTest>

#include <cmath>

using namespace chom::metrics;

class TestPrometheusParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseQueryBodyTypes()
    {
        auto r = PrometheusClient::parseQueryBody(
            R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},)"
            R"("values":[[1700000000,"1"],[1700000015.5,"NaN"],[1700000030,"+Inf"]]}]}})");
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(r.resultType, QStringLiteral("matrix"));
        QCOMPARE(r.series.size(), 1);
        QCOMPARE(r.series[0].labels.value(QStringLiteral("job")), QStringLiteral("a"));
        QCOMPARE(r.series[0].points.size(), 3);
        QCOMPARE(r.series[0].points[0], QPointF(1700000000000.0, 1.0));
        QCOMPARE(r.series[0].points[1].x(), 1700000015500.0);
        QVERIFY(std::isnan(r.series[0].points[1].y()));
        QVERIFY(std::isnan(r.series[0].points[2].y()));

        r = PrometheusClient::parseQueryBody(
            R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"2.5"]}]}})");
        QVERIFY(r.ok());
        QCOMPARE(r.series[0].points[0].y(), 2.5);
        r = PrometheusClient::parseQueryBody(
            R"({"status":"success","data":{"resultType":"scalar","result":[1700000000,"7"]}})");
        QVERIFY(r.ok());
        QCOMPARE(r.series.size(), 1);
        QCOMPARE(r.series[0].points[0].y(), 7.0);
        r = PrometheusClient::parseQueryBody(
            R"({"status":"success","data":{"resultType":"string","result":[1700000000,"hello"]}})");
        QVERIFY(r.ok());
        QCOMPARE(r.series[0].labels.value(QStringLiteral("value")), QStringLiteral("hello"));

        for (
            const char* bad :
            {"", "not json", R"({"status":"success"})", R"({"status":"success","data":{}})",
             R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{}}]}})",
             R"({"status":"success","data":{"resultType":"vector","result":[{"value":[1,2]}]}})"}) {
            r = PrometheusClient::parseQueryBody(bad);
            QCOMPARE(toString(r.error.kind), toString(ErrorKind::InvalidJson));
            QVERIFY(!r.error.message.isEmpty());
        }
        r = PrometheusClient::parseQueryBody(
            R"({"status":"error","errorType":"bad_data","error":"parse error"})");
        QCOMPARE(toString(r.error.kind), toString(ErrorKind::Prometheus));
        QCOMPARE(r.error.errorType, QStringLiteral("bad_data"));
        QVERIFY(r.error.message.contains(QStringLiteral("parse error")));
    }

    void parseAlertsDouble()
    {
        // A test double of Prometheus' documented /api/v1/alerts answer.
        const QByteArray body = R"({"status":"success","data":{"alerts":[
            {"labels":{"alertname":"HighLoad","tenant_id":"7"},"annotations":{"summary":"load"},
             "state":"firing","activeAt":"2024-05-01T10:00:00.123456789Z","value":"1.5e+00"},
            {"labels":{"alertname":"DiskFull"},"annotations":{},"state":"pending",
             "activeAt":"2024-05-01T10:05:00Z","value":"0.97"}]}})";
        QVector<Alert> alerts;
        const MetricsError e = PrometheusClient::parseAlertsBody(body, &alerts);
        QVERIFY2(!e, qPrintable(e.message));
        QCOMPARE(alerts.size(), 2);
        QCOMPARE(alerts[0].labels.value(QStringLiteral("alertname")), QStringLiteral("HighLoad"));
        QCOMPARE(alerts[0].state, QStringLiteral("firing"));
        QCOMPARE(alerts[0].value, 1.5);
        QCOMPARE(
            alerts[0].activeAtMs,
            QDateTime::fromString(QStringLiteral("2024-05-01T10:00:00.123Z"), Qt::ISODateWithMs)
                .toMSecsSinceEpoch());
        QCOMPARE(alerts[1].state, QStringLiteral("pending"));
        QCOMPARE(toString(PrometheusClient::parseAlertsBody("{]", &alerts).kind),
                 toString(ErrorKind::InvalidJson));
    }
};

QTEST_GUILESS_MAIN(TestPrometheusParser)
#include "tst_prometheusparser.moc"
