// chomctl metrics: the real executable against the fixture's real Prometheus
// (and against a closed loopback port for the failure path), and against a
// second one serving HTTPS with a throwaway CA and basic auth.
#include "PrometheusFixture.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
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
        QMap<QString, QString> env;
        if (!envUrl.isEmpty())
            env.insert(QStringLiteral("CHOM_PROMETHEUS_URL"), envUrl);
        return chomctlEnv(args, env);
    }
    // XDG_CONFIG_HOME is the test's own: the console's saved Settings of
    // whoever runs the suite never leak in.
    Run chomctlEnv(const QStringList& args, const QMap<QString, QString>& extra)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("CHOM_PROMETHEUS_URL"));
        env.remove(QStringLiteral("CHOM_PROMETHEUS_SECRET"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_config.path());
        for (auto it = extra.cbegin(); it != extra.cend(); ++it)
            env.insert(it.key(), it.value());
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

    // `metrics query up --json` on the TLS Prometheus with basic auth as
    // `user`; `extra` options after those.
    Run tlsQuery(const QStringList& extra, const QMap<QString, QString>& env)
    {
        return chomctlEnv(QStringList{QStringLiteral("metrics"), QStringLiteral("query"),
                                      QStringLiteral("up{job=\"node\"}"), QStringLiteral("--json"),
                                      QStringLiteral("--prometheus"), m_tls.url(),
                                      QStringLiteral("--auth"), QStringLiteral("basic"),
                                      QStringLiteral("--user"), kUser} +
                              extra,
                          env);
    }
    static QMap<QString, QString> secretEnv(const QString& secret)
    {
        return {{QStringLiteral("CHOM_PROMETHEUS_SECRET"), secret}};
    }
    static void expectOneUpSeries(const Run& r)
    {
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QStringLiteral("series")).toArray().size(), 1);
    }
    bool tlsReady() const { return m_tls.isRunning(); }

    static inline const QString kUser = QStringLiteral("chomctl-ops");
    static inline const QString kPassword = QStringLiteral("pa ss\"word");

    PrometheusFixture m_prom;
    PrometheusFixture m_tls; // HTTPS + basic auth
    QString m_tlsSkip;       // why m_tls is not running
    QTemporaryDir m_data;
    QTemporaryDir m_config;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_data.isValid());
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        QVERIFY2(m_prom.start(), qPrintable(m_prom.error()));
        m_tlsSkip = PrometheusFixture::tlsUnavailableReason();
        if (m_tlsSkip.isEmpty()) {
            QVERIFY2(m_tls.enableTls(), qPrintable(m_tls.error()));
            m_tls.setBasicAuth(kUser, kPassword);
            QVERIFY2(m_tls.start(), qPrintable(m_tls.error()));
        }
    }
    void cleanupTestCase()
    {
        m_prom.stop();
        m_tls.stop();
    }

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

    // --- HTTPS with a custom CA and basic auth (each skips without openssl/htpasswd)

    void tlsCaFileAndSecretEnvSucceed()
    {
        if (!tlsReady())
            QSKIP(qPrintable(m_tlsSkip));
        expectOneUpSeries(
            tlsQuery({QStringLiteral("--ca-file"), m_tls.caFile()}, secretEnv(kPassword)));
    }

    void tlsWithoutCaFileFails()
    {
        if (!tlsReady())
            QSKIP(qPrintable(m_tlsSkip));
        const Run r = tlsQuery({}, secretEnv(kPassword));
        QCOMPARE(r.code, 1); // prometheus_tls
        QVERIFY(r.out.isEmpty());
        QVERIFY2(r.err.startsWith("chomctl: TLS failure talking to https://127.0.0.1:"),
                 r.err.constData());
        QVERIFY2(r.err.contains("certificate"), r.err.constData());
    }

    void tlsMissingCaFileFails()
    {
        if (!tlsReady())
            QSKIP(qPrintable(m_tlsSkip));
        const QString missing = m_data.filePath(QStringLiteral("no-such-ca.pem"));
        const Run r = tlsQuery({QStringLiteral("--ca-file"), missing}, secretEnv(kPassword));
        QCOMPARE(r.code, 1); // prometheus_tls, before any connection
        const QByteArray expected = "The CA file \"" + missing.toUtf8() + "\" is missing";
        QVERIFY2(r.err.contains(expected), r.err.constData());
    }

    void tlsWrongSecretIsHttp401()
    {
        if (!tlsReady())
            QSKIP(qPrintable(m_tlsSkip));
        const Run r = tlsQuery({QStringLiteral("--ca-file"), m_tls.caFile()},
                               secretEnv(QStringLiteral("wrong")));
        QCOMPARE(r.code, 1); // prometheus_http
        QVERIFY2(r.err.contains("answered HTTP 401"), r.err.constData());
    }

    void tlsSecretFileWinsOverEnv()
    {
        if (!tlsReady())
            QSKIP(qPrintable(m_tlsSkip));
        const QString path = m_data.filePath(QStringLiteral("prom-secret"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kPassword.toUtf8() + "\n");
        f.close();
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
        expectOneUpSeries(tlsQuery(
            {QStringLiteral("--ca-file"), m_tls.caFile(), QStringLiteral("--secret-file"), path},
            secretEnv(QStringLiteral("wrong"))));
        const Run missing = tlsQuery({QStringLiteral("--ca-file"), m_tls.caFile(),
                                      QStringLiteral("--secret-file"), path + "-gone"},
                                     {});
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.contains("cannot read --secret-file"), missing.err.constData());
    }

    void authUsageErrors_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QByteArray>("message");
        QTest::newRow("unknown auth")
            << QStringList{QStringLiteral("--auth"), QStringLiteral("digest")}
            << QByteArray("--auth must be one of none, bearer, basic, not \"digest\"");
        QTest::newRow("secret on argv")
            << QStringList{QStringLiteral("--auth"), QStringLiteral("bearer"),
                           QStringLiteral("--secret"), QStringLiteral("tok")}
            << QByteArray("--secret is refused");
        QTest::newRow("bearer without secret")
            << QStringList{QStringLiteral("--auth"), QStringLiteral("bearer")}
            << QByteArray("bearer auth needs a secret");
        QTest::newRow("basic without user")
            << QStringList{QStringLiteral("--auth"), QStringLiteral("basic")}
            << QByteArray("--auth basic needs --user NAME");
    }
    void authUsageErrors()
    {
        QFETCH(QStringList, options);
        QFETCH(QByteArray, message);
        const Run r = chomctl(QStringList{QStringLiteral("metrics"), QStringLiteral("query"),
                                          QStringLiteral("up"), QStringLiteral("--prometheus"),
                                          m_prom.url()} +
                              options);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(message), r.err.constData());
        QVERIFY2(!r.err.contains("tok"), "the refused secret was echoed");
    }

    // No --prometheus / CHOM_PROMETHEUS_URL: the endpoint saved by the
    // console's Settings page (QSettings "chom"/"chom-console"); the secret
    // still comes from the environment, never the console's secret store.
    void savedSettingsFallback()
    {
        if (!tlsReady())
            QSKIP(qPrintable(m_tlsSkip));
        {
            QSettings s(m_config.filePath(QStringLiteral("chom/chom-console.conf")),
                        QSettings::IniFormat);
            s.beginGroup(QStringLiteral("endpoints/prometheus"));
            s.setValue(QStringLiteral("url"), m_tls.url());
            s.setValue(QStringLiteral("auth"), QStringLiteral("basic"));
            s.setValue(QStringLiteral("user"), kUser);
            s.setValue(QStringLiteral("caFile"), m_tls.caFile());
            s.setValue(QStringLiteral("timeoutS"), 7);
            s.setValue(QStringLiteral("secretStored"), true);
        }
        const QStringList args{QStringLiteral("metrics"), QStringLiteral("query"),
                               QStringLiteral("up{job=\"node\"}"), QStringLiteral("--json")};
        expectOneUpSeries(chomctlEnv(args, secretEnv(kPassword)));
        const Run noSecret = chomctlEnv(args, {});
        QCOMPARE(noSecret.code, 2);
        QVERIFY2(noSecret.err.contains("does not open the console's secret store"),
                 noSecret.err.constData());
        QFile::remove(m_config.filePath(QStringLiteral("chom/chom-console.conf")));
    }
};

QTEST_GUILESS_MAIN(TestChomctlMetrics)
#include "tst_chomctl_metrics.moc"
