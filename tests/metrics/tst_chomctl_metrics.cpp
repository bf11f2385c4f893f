// chomctl metrics: the real executable against the fixture's real Prometheus
// (and against a closed loopback port for the failure path).
#include "PrometheusFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using chom::test::PrometheusFixture;

namespace {

struct Run
{
    int code = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestChomctlMetrics : public QObject
{
    Q_OBJECT

private:
    Run chomctl(const QStringList& args, const QString& envUrl = QString())
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("CHOM_PROMETHEUS_URL"));
        if (!envUrl.isEmpty())
            env.insert(QStringLiteral("CHOM_PROMETHEUS_URL"), envUrl);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(CHOMCTL_PATH),
                QStringList{QStringLiteral("--data-dir"), m_data.path()} + args);
        Run r;
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return r;
        }
        r.code = p.exitCode();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

    PrometheusFixture m_prom;
    QTemporaryDir m_data;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        QVERIFY2(m_prom.start(), qPrintable(m_prom.error()));
    }
    void cleanupTestCase() { m_prom.stop(); }

    void queryJson()
    {
        const Run r = chomctl({QStringLiteral("metrics"), QStringLiteral("query"),
                               QStringLiteral("up{job=\"node\"}"), QStringLiteral("--json"),
                               QStringLiteral("--prometheus"), m_prom.url()});
        QVERIFY2(r.code == 0, r.err.constData());
        QJsonParseError pe;
        const QJsonObject o = QJsonDocument::fromJson(r.out, &pe).object();
        QCOMPARE(pe.error, QJsonParseError::NoError);
        QCOMPARE(o.value(QStringLiteral("result_type")).toString(), QStringLiteral("vector"));
        const QJsonArray series = o.value(QStringLiteral("series")).toArray();
        QCOMPARE(series.size(), 1);
        const QJsonObject s = series.at(0).toObject();
        QCOMPARE(
            s.value(QStringLiteral("labels")).toObject().value(QStringLiteral("job")).toString(),
            QStringLiteral("node"));
        QCOMPARE(s.value(QStringLiteral("points")).toArray().at(0).toArray().at(1).toDouble(), 1.0);
    }

    void rangeTextFromEnv()
    {
        const Run r =
            chomctl({QStringLiteral("metrics"), QStringLiteral("range"),
                     QStringLiteral("sin(vector(time())/300)"), QStringLiteral("--start"),
                     QStringLiteral("-10m"), QStringLiteral("--step"), QStringLiteral("15")},
                    m_prom.url());
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("POINTS"), r.out.constData());
        QVERIFY2(r.out.contains(" 41 "), r.out.constData());
    }

    void alertsAndHealth()
    {
        Run r = chomctl({QStringLiteral("--json"), QStringLiteral("metrics"),
                         QStringLiteral("alerts"), QStringLiteral("--prometheus"), m_prom.url()});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(QJsonDocument::fromJson(r.out).isArray());
        r = chomctl({QStringLiteral("metrics"), QStringLiteral("health"),
                     QStringLiteral("--prometheus"), m_prom.url()});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("healthy"));
    }

    void refusedPortFails()
    {
        const QString url =
            QStringLiteral("http://127.0.0.1:%1").arg(PrometheusFixture::freePort());
        const Run r =
            chomctl({QStringLiteral("metrics"), QStringLiteral("query"), QStringLiteral("up"),
                     QStringLiteral("--json"), QStringLiteral("--prometheus"), url});
        QCOMPARE(r.code, 1);
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.startsWith("chomctl: Connection refused"), r.err.constData());
    }

    void noUrlIsUsageError()
    {
        const Run r =
            chomctl({QStringLiteral("metrics"), QStringLiteral("query"), QStringLiteral("up")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("CHOM_PROMETHEUS_URL"), r.err.constData());
    }

    void scopePrintsScopedQuery()
    {
        const Run r = chomctl({QStringLiteral("metrics"), QStringLiteral("scope"),
                               QStringLiteral("rate(http_requests_total[5m])"),
                               QStringLiteral("--tenant"), QStringLiteral("42")});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(r.out.trimmed(), QByteArray("rate(http_requests_total{tenant_id=\"42\"}[5m])"));
    }
};

QTEST_GUILESS_MAIN(TestChomctlMetrics)
#include "tst_chomctl_metrics.moc"
