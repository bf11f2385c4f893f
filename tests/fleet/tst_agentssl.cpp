// The agent's SSL commands against a real ACME CA: pebble with its own DNS
// (scripts/services/pebble.sh, https://127.0.0.1:14200/dir) validating over
// HTTP-01 against the test's nginx (tests/support/WebStack, 127.0.0.1:18087,
// HTTPS on 18088), with certbot in webroot mode. Issue moves the site to
// HTTPS with the redirect, HSTS and the hardening headers; renew replaces the
// certificate; a failing certbot leaves the site on HTTP and its message in
// the error; delete removes the certificate.

#include "AgentProcess.h"
#include "WebStack.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QtTest>

using chom::test::AgentReply;
using chom::test::readFile;
using chom::test::WebStack;

class TestAgentSsl : public QObject
{
    Q_OBJECT
    WebStack m_stack;

    AgentReply agent(const QStringList& args, const QString& fail = {})
    {
        return chom::test::runAgent(m_stack.root(), args, fail);
    }
    QString vhost(const QString& d) const
    {
        return QString::fromUtf8(
            readFile(m_stack.root() + QStringLiteral("/etc/nginx/sites-available/") + d + ".conf"));
    }
    QString certFile(const QString& d) const
    {
        return m_stack.root() + QStringLiteral("/etc/letsencrypt/live/") + d +
               QStringLiteral("/fullchain.pem");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why = WebStack::unavailableReason();
        for (const char* tool : {"/usr/bin/certbot", "/usr/bin/pebble", "/usr/bin/curl"})
            if (why.isEmpty() && !QFileInfo(QString::fromLatin1(tool)).isExecutable())
                why = QStringLiteral("%1 is not installed (scripts/install-deps.sh test)")
                          .arg(QString::fromLatin1(tool));
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_stack.start(18087), qPrintable(m_stack.error()));
        QVERIFY2(m_stack.startAcme(14200), qPrintable(m_stack.error()));
    }
    void cleanupTestCase()
    {
        const QStringList left = WebStack::siteUsers();
        m_stack.stop();
        QCOMPARE(left, QStringList());
    }

    void issueMovesTheSiteToHttpsAndKeepsTheHardening()
    {
        const QString d = QStringLiteral("secure.example.test");
        QVERIFY(agent({QStringLiteral("site:create"), d, QStringLiteral("html")}).ok());
        QCOMPARE(
            agent({QStringLiteral("ssl:status"), d}).data()[QLatin1String("certificate")].toBool(),
            false);
        const AgentReply r = agent({QStringLiteral("ssl:issue"), d});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QVERIFY(r.data()[QLatin1String("issuer")].toString().startsWith(QLatin1String("Pebble")));
        QCOMPARE(r.data()[QLatin1String("names")].toArray().first().toString(), d);
        QVERIFY(r.data()[QLatin1String("remaining_s")].toInteger() > 0);

        QCOMPARE(m_stack.get(d).status, 301); // port 80 redirects
        const WebStack::Response https = m_stack.getHttps(d);
        QVERIFY2(https.status == 200, https.body.constData());
        for (const char* header : {"Strict-Transport-Security: max-age=31536000",
                                   "X-Frame-Options: SAMEORIGIN", "X-Content-Type-Options: nosniff",
                                   "Referrer-Policy: strict-origin-when-cross-origin"})
            QVERIFY2(https.body.contains(header), header);
        QVERIFY(https.body.contains("Welcome to secure.example.test"));
        QVERIFY(m_stack.getHttps(d, QStringLiteral("/.env")).status == 403 ||
                m_stack.getHttps(d, QStringLiteral("/.env")).status == 404);

        const AgentReply status = agent({QStringLiteral("ssl:status"), d});
        QCOMPARE(status.data()[QLatin1String("ssl")].toBool(), true);
        QCOMPARE(status.data()[QLatin1String("sha256")], r.data()[QLatin1String("sha256")]);
        // The HTTPS vhost is what the template gives: no drift.
        QCOMPARE(agent({QStringLiteral("site:render"), d, QStringLiteral("--check")})
                     .data()[QLatin1String("drifted")]
                     .toInt(),
                 0);

        const AgentReply renewed = agent({QStringLiteral("ssl:renew"), d});
        QVERIFY2(renewed.ok(), qPrintable(renewed.describe()));
        QVERIFY(renewed.data()[QLatin1String("sha256")] != r.data()[QLatin1String("sha256")]);
        QCOMPARE(m_stack.getHttps(d).status, 200);

        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
        QVERIFY(!QFileInfo::exists(certFile(d)));
    }

    // The ACME server cannot fetch the challenge: the site stays on HTTP and
    // the error carries what the CA said.
    void aFailingCertbotLeavesTheSiteOnHttp()
    {
        const QString d = QStringLiteral("blocked.example.test");
        QVERIFY(agent({QStringLiteral("site:create"), d, QStringLiteral("html")}).ok());
        QFile drop(m_stack.root() + QStringLiteral("/etc/nginx/chom-sites/") + d +
                   QStringLiteral(".d/deny.conf"));
        QVERIFY(drop.open(QIODevice::WriteOnly));
        drop.write("return 403;\n");
        drop.close();
        QVERIFY(agent({QStringLiteral("site:render"), d}).ok() ||
                agent({QStringLiteral("site:disable"), d}).ok());
        QVERIFY(agent({QStringLiteral("site:enable"), d}).ok()); // reloads with the drop-in
        const QString before = vhost(d);
        const AgentReply r = agent({QStringLiteral("ssl:issue"), d});
        QCOMPARE(r.code(), QStringLiteral("SSL_ISSUE_FAILED"));
        QVERIFY2(r.message().contains(QLatin1String("returned 403")), qPrintable(r.message()));
        QVERIFY2(r.message().contains(QLatin1String("stays on HTTP")), qPrintable(r.message()));
        QCOMPARE(vhost(d), before);
        QVERIFY(drop.remove());
        QVERIFY(agent({QStringLiteral("site:enable"), d}).ok());
        QCOMPARE(m_stack.get(d).status, 200);
        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
    }

    void refusals()
    {
        const QString d = QStringLiteral("off.example.test");
        QVERIFY(agent({QStringLiteral("site:create"), d, QStringLiteral("html")}).ok());
        QVERIFY(agent({QStringLiteral("site:disable"), d}).ok());
        QCOMPARE(agent({QStringLiteral("ssl:issue"), d}).code(), QStringLiteral("SITE_DISABLED"));
        QCOMPARE(agent({QStringLiteral("ssl:renew"), d}).code(), QStringLiteral("NO_CERTIFICATE"));
        QCOMPARE(agent({QStringLiteral("ssl:issue"), d, QStringLiteral("--now")}).code(),
                 QStringLiteral("USAGE"));
        QCOMPARE(agent({QStringLiteral("ssl:issue"), QStringLiteral("bad..name")}).code(),
                 QStringLiteral("INVALID_DOMAIN"));
        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
    }
};

QTEST_GUILESS_MAIN(TestAgentSsl)
#include "tst_agentssl.moc"
