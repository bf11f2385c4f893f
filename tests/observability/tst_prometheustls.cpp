// PrometheusClient against a real Prometheus serving HTTPS with a throwaway
// CA and basic auth (PrometheusFixture::enableTls / setBasicAuth), and a
// loopback HTTP double for the bearer header Prometheus cannot check.
#include "HttpDouble.h"
#include "PrometheusFixture.h"
#include "observability/PrometheusClient.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace chom::metrics;
using chom::test::HttpDouble;
using chom::test::PrometheusFixture;

namespace {

const QString kUser = QStringLiteral("chom-ops");
const QString kPassword = QStringLiteral("s3cret \"pass\" \\ word");

// A test double (test::HttpDouble), not Prometheus: answers every request
// with an empty vector and logs each request head so the test can read its
// headers.
bool recordingDouble(HttpDouble& d)
{
    d.setHandler([](const HttpDouble::Request&) {
        return HttpDouble::Response{
            200, R"({"status":"success","data":{"resultType":"vector","result":[]}})"};
    });
    return d.listen();
}

} // namespace

class TestPrometheusTls : public QObject
{
    Q_OBJECT

private:
    EndpointConfig config(const QString& caFile, const QString& password = kPassword) const
    {
        EndpointConfig c;
        c.url = QUrl(m_prom.url());
        c.auth = EndpointConfig::Auth::Basic;
        c.user = kUser;
        c.secret = password;
        c.caFile = caFile;
        c.timeoutMs = 5000;
        return c;
    }
    // A fresh access manager per query: no connection or TLS session reuse
    // between cases with different CA settings.
    static QueryResult query(const EndpointConfig& c, const QString& promql)
    {
        QNetworkAccessManager nam;
        PrometheusClient::Options o;
        o.retries = 0;
        PrometheusClient client(nam, c, o);
        std::optional<QueryResult> got;
        client.query(promql, 0, [&](const QueryResult& r) { got = r; });
        if (!QTest::qWaitFor([&] { return got.has_value(); }, 20000)) {
            QueryResult r;
            r.error = MetricsError::make(ErrorKind::Cancelled, QStringLiteral("test gave up"));
            return r;
        }
        return *got;
    }
    static void expectTlsHandshakeError(const QueryResult& r)
    {
        QVERIFY2(!r.ok(), "the query succeeded without trusting the server's CA");
        QCOMPARE(toString(r.error.kind), toString(ErrorKind::Tls));
        QVERIFY2(r.error.message.contains(QLatin1String("TLS failure")),
                 qPrintable(r.error.message));
        QVERIFY2(r.error.message.contains(QLatin1String("certificate"), Qt::CaseInsensitive),
                 qPrintable(r.error.message));
    }

    PrometheusFixture m_prom;
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        if (!PrometheusFixture::available())
            QSKIP(qPrintable(PrometheusFixture::unavailableReason()));
        if (!PrometheusFixture::tlsUnavailableReason().isEmpty())
            QSKIP(qPrintable(PrometheusFixture::tlsUnavailableReason()));
        QVERIFY2(m_prom.enableTls(), qPrintable(m_prom.error()));
        m_prom.setBasicAuth(kUser, kPassword);
        QVERIFY2(m_prom.start(), qPrintable(m_prom.error()));
        QVERIFY(m_prom.url().startsWith(QLatin1String("https://127.0.0.1:")));
    }
    void cleanupTestCase() { m_prom.stop(); }

    // (a) the right CA and credentials: a real answer over HTTPS.
    void caFileAndPasswordSucceed()
    {
        const QueryResult r = query(config(m_prom.caFile()), QStringLiteral("up{job=\"node\"}"));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        QCOMPARE(r.resultType, QStringLiteral("vector"));
        QCOMPARE(r.series.size(), 1);
        QCOMPARE(r.series.at(0).points.at(0).y(), 1.0);
    }

    // The CA file is read once, when the endpoint is set: a client whose CA
    // file has since gone keeps working, and no request touches the disk.
    void caFileIsReadOnceNotPerRequest()
    {
        const QString copy = m_tmp.filePath(QStringLiteral("ca-once.pem"));
        QFile::remove(copy);
        QVERIFY(QFile::copy(m_prom.caFile(), copy));
        QNetworkAccessManager nam;
        PrometheusClient::Options o;
        o.retries = 0;
        PrometheusClient client(nam, config(copy), o);
        for (int i = 0; i < 2; ++i) {
            std::optional<QueryResult> got;
            client.query(QStringLiteral("up"), 0, [&](const QueryResult& r) { got = r; });
            QVERIFY(QTest::qWaitFor([&] { return got.has_value(); }, 20000));
            QVERIFY2(got->ok(), qPrintable(got->error.message));
            // Before the second request the file holds a foreign CA, and the
            // next request makes a fresh TLS handshake.
            QVERIFY(QFile::remove(copy));
            QVERIFY(QFile::copy(m_prom.foreignCaFile(), copy) || i == 1);
            nam.clearConnectionCache();
        }
    }

    // (b) no CA file: the system CAs do not know the throwaway CA.
    void withoutCaFileIsTlsError()
    {
        expectTlsHandshakeError(query(config(QString()), QStringLiteral("up")));
    }

    // (c) a CA that did not sign the server certificate.
    void foreignCaIsTlsError()
    {
        expectTlsHandshakeError(query(config(m_prom.foreignCaFile()), QStringLiteral("up")));
    }

    // (d) a CA file that is missing or holds no certificate is reported before
    // any connection, never silently replaced by the system CAs.
    void badCaFileIsConfigurationError_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("content"); // empty: do not create the file
        QTest::newRow("missing") << m_tmp.filePath(QStringLiteral("nope.pem")) << QByteArray();
        QTest::newRow("garbage") << m_tmp.filePath(QStringLiteral("garbage.pem"))
                                 << QByteArray("-----BEGIN CERTIFICATE-----\nnot base64 !!\n"
                                               "-----END CERTIFICATE-----\n");
        QTest::newRow("key only") << m_tmp.filePath(QStringLiteral("key.pem"))
                                  << QByteArray("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                                                "-----END PRIVATE KEY-----\n");
    }
    void badCaFileIsConfigurationError()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, content);
        if (!content.isEmpty()) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        const QueryResult r = query(config(path), QStringLiteral("up"));
        QVERIFY2(!r.ok(), "a bad CA file was ignored");
        QCOMPARE(toString(r.error.kind), toString(ErrorKind::Tls));
        QVERIFY2(r.error.message.contains(QLatin1String("CA file")), qPrintable(r.error.message));
        QVERIFY2(r.error.message.contains(path), qPrintable(r.error.message));
        QVERIFY2(r.error.message.contains(QLatin1String("no readable PEM certificate")),
                 qPrintable(r.error.message));
    }

    // (e) TLS is fine, the password is not: HTTP 401.
    void wrongPasswordIsHttp401()
    {
        const QueryResult r =
            query(config(m_prom.caFile(), QStringLiteral("wrong")), QStringLiteral("up"));
        QVERIFY(!r.ok());
        QCOMPARE(toString(r.error.kind), toString(ErrorKind::Http));
        QCOMPARE(r.error.httpStatus, 401);
        QVERIFY2(r.error.message.contains(QLatin1String("HTTP 401")), qPrintable(r.error.message));
        QVERIFY2(r.error.message.contains(QLatin1String("127.0.0.1")), qPrintable(r.error.message));
    }

    // (f) bearer: the header goes out as "Authorization: Bearer <token>"
    // (checked on the double); the basic-auth Prometheus refuses it.
    void bearerSendsAuthorizationHeader()
    {
        HttpDouble dbl;
        QVERIFY(recordingDouble(dbl));
        EndpointConfig c;
        c.url = dbl.url();
        c.auth = EndpointConfig::Auth::Bearer;
        c.secret = QStringLiteral("tok-123.abc");
        c.timeoutMs = 5000;
        const QueryResult r = query(c, QStringLiteral("up"));
        QVERIFY2(r.ok(), qPrintable(r.error.message));
        const QList<QByteArray> lines = dbl.lastRequest().head.split('\n');
        QVERIFY2(lines.contains("Authorization: Bearer tok-123.abc\r"),
                 dbl.lastRequest().head.constData());

        c.url = QUrl(m_prom.url());
        c.caFile = m_prom.caFile();
        const QueryResult refused = query(c, QStringLiteral("up"));
        QCOMPARE(toString(refused.error.kind), toString(ErrorKind::Http));
        QCOMPARE(refused.error.httpStatus, 401);
    }

    void noAuthSendsNoAuthorizationHeader()
    {
        HttpDouble dbl;
        QVERIFY(recordingDouble(dbl));
        EndpointConfig c;
        c.url = dbl.url();
        c.timeoutMs = 5000;
        QVERIFY(query(c, QStringLiteral("up")).ok());
        QVERIFY2(!dbl.lastRequest().head.toLower().contains("authorization:"),
                 dbl.lastRequest().head.constData());
    }
};

QTEST_GUILESS_MAIN(TestPrometheusTls)
#include "tst_prometheustls.moc"
