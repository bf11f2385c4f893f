// The agent's site commands against a real nginx and PHP-FPM
// (tests/support/WebStack: a stack of its own under a sandbox root on
// 127.0.0.1:18081, with MariaDB on 127.0.0.1:18308): what site:create builds and serves, isolation
// between sites, enable/disable/delete, refusals before any change, rollback of a failing create,
// and a refused config change that leaves every site up. Site users are real; the test checks none
// is left at the end.

#include "AgentProcess.h"
#include "WebStack.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

using chom::test::WebStack;

using chom::test::AgentReply;
using chom::test::readFile;
using Reply = AgentReply;

class TestAgentSites : public QObject
{
    Q_OBJECT
    WebStack m_stack;

    Reply agent(const QStringList& args, const QString& fail = {})
    {
        return chom::test::runAgent(m_stack.root(), args, fail);
    }
    QString sitePath(const QString& domain) const
    {
        return m_stack.root() + QStringLiteral("/var/www/sites/") + domain;
    }
    QString registry() const
    {
        return QString::fromUtf8(
            readFile(m_stack.root() + QStringLiteral("/var/lib/chom-agent/sites.json")));
    }
    // Every trace a site leaves: user, directory, vhost, link, pool.
    QStringList traces(const QString& domain) const
    {
        QStringList found;
        const QString slug = QString(domain).replace(QLatin1Char('.'), QLatin1Char('-'));
        if (WebStack::siteUsers().contains(QStringLiteral("chomt-") + slug))
            found << QStringLiteral("user");
        const QString r = m_stack.root();
        for (const QString& p :
             QStringList{sitePath(domain),
                         r + QStringLiteral("/etc/nginx/sites-available/") + domain + ".conf",
                         r + QStringLiteral("/etc/nginx/sites-enabled/") + domain + ".conf",
                         r + QStringLiteral("/etc/nginx/chom-sites/") + domain + ".d",
                         r + QStringLiteral("/etc/php/%1/fpm/pool.d/").arg(m_stack.phpVersion()) +
                             domain + ".conf"})
            if (QFileInfo::exists(p) || QFileInfo(p).isSymLink())
                found << p;
        if (registry().contains(QStringLiteral("\"%1\"").arg(domain)))
            found << QStringLiteral("registry");
        return found;
    }
    static void writeAs(const QString& path, const QByteArray& text, const QString& user)
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        QCOMPARE(QProcess::execute(QStringLiteral("chown"), {user, path}), 0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString why = WebStack::unavailableReason();
        if (why.isEmpty())
            why = WebStack::databaseUnavailableReason();
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        QCOMPARE(WebStack::siteUsers(), QStringList()); // none before we start
        m_stack.setDatabasePort(18308);                 // php sites get a database
        QVERIFY2(m_stack.start(18081), qPrintable(m_stack.error()));
    }
    // The sites' users and groups are gone again (other tests may add and
    // remove users of their own meanwhile, so only these are compared).
    void cleanupTestCase()
    {
        const QStringList left =
            WebStack::siteUsers() + m_stack.siteDatabases() + m_stack.siteDatabaseUsers();
        m_stack.stop();
        QCOMPARE(left, QStringList());
        QVERIFY(!readFile(QStringLiteral("/etc/group")).contains("\nchomt-"));
    }

    void anHtmlSiteIsServedThenDisabledEnabledAndDeleted()
    {
        const QString d = QStringLiteral("shop.example.test");
        const Reply c = agent({QStringLiteral("site:create"), d, QStringLiteral("html")});
        QVERIFY2(c.ok(), qPrintable(c.describe()));
        const QJsonObject site = c.data().value(QLatin1String("site")).toObject();
        QCOMPARE(site.value(QLatin1String("user")).toString(),
                 QStringLiteral("chomt-shop-example-test"));
        QVERIFY(WebStack::siteUsers().contains(QStringLiteral("chomt-shop-example-test")));
        QCOMPARE(QFileInfo(sitePath(d)).owner(), QStringLiteral("chomt-shop-example-test"));
        QCOMPARE(QFileInfo(sitePath(d)).permissions() & QFileDevice::ReadOther, 0);
        QCOMPARE(m_stack.get(d).status, 200);
        const WebStack::Response page = m_stack.get(d);
        QVERIFY2(page.body.contains("Welcome to shop.example.test"), page.body.constData());
        QCOMPARE(m_stack.get(QStringLiteral("www.") + d).status, 200);

        QVERIFY2(agent({QStringLiteral("site:disable"), d}).ok(), "disable");
        QCOMPARE(m_stack.get(d).status, 404); // at once: the catch-all server answers
        QVERIFY(registry().contains(QLatin1String("\"enabled\":false")));
        QVERIFY2(agent({QStringLiteral("site:enable"), d}).ok(), "enable");
        QCOMPARE(m_stack.get(d).status, 200);

        const Reply del = agent({QStringLiteral("site:delete"), d});
        QVERIFY2(del.ok(), qPrintable(del.describe()));
        QCOMPARE(m_stack.get(d).status, 404);
        QCOMPARE(traces(d), QStringList());
        QCOMPARE(agent({QStringLiteral("site:delete"), d}).code(),
                 QStringLiteral("SITE_NOT_FOUND"));
    }

    void phpSitesRunAsTheirOwnUserAndCannotReadEachOther()
    {
        const QString v = m_stack.phpVersion();
        const QString a = QStringLiteral("alpha.example.test"),
                      b = QStringLiteral("beta.example.test");
        for (const QString& d : {a, b}) {
            const Reply c = agent({QStringLiteral("site:create"), d, QStringLiteral("php"), v});
            QVERIFY2(c.ok(), qPrintable(c.describe()));
        }
        QVERIFY(QFile::exists(m_stack.root() +
                              QStringLiteral("/etc/php/%1/fpm/pool.d/%2.conf").arg(v, a)));
        writeAs(sitePath(a) + QStringLiteral("/public/secret.txt"), "alpha's secret\n",
                QStringLiteral("chomt-alpha-example-test"));
        const QByteArray probe =
            "<?php echo get_current_user(), '|', ini_get('open_basedir'), '|', "
            "var_export(@file_get_contents('" +
            sitePath(a).toUtf8() + "/public/secret.txt'), true);";
        writeAs(sitePath(b) + QStringLiteral("/public/probe.php"), probe,
                QStringLiteral("chomt-beta-example-test"));
        WebStack::Response r;
        QCOMPARE((r = m_stack.get(b, QStringLiteral("/probe.php"))).status, 200);
        const QList<QByteArray> parts = r.body.split('|');
        QCOMPARE(parts.size(), 3);
        QCOMPARE(parts.at(0), QByteArray("chomt-beta-example-test"));
        QVERIFY2(parts.at(1).startsWith(sitePath(b).toUtf8()), r.body.constData());
        QCOMPARE(parts.at(2), QByteArray("false")); // open_basedir keeps alpha's files out
        for (const QString& d : {a, b})
            QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
        QCOMPARE(traces(a) + traces(b), QStringList());
    }

    void createIsIdempotentAndRefusesAnotherType()
    {
        const QString d = QStringLiteral("again.example.test");
        QVERIFY(agent({QStringLiteral("site:create"), d, QStringLiteral("html")}).ok());
        const Reply again = agent({QStringLiteral("site:create"), d, QStringLiteral("html")});
        QVERIFY2(again.ok(), qPrintable(again.describe()));
        QCOMPARE(again.data().value(QLatin1String("existed")).toBool(), true);
        const Reply other =
            agent({QStringLiteral("site:create"), d, QStringLiteral("php"), m_stack.phpVersion()});
        QCOMPARE(other.code(), QStringLiteral("SITE_EXISTS"));
        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
    }

    void refusalsChangeNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("invalid domain")
            << QStringList{"site:create", "Bad..Domain", "html"} << "INVALID_DOMAIN"
            << "";
        QTest::newRow("unknown type")
            << QStringList{"site:create", "x.example.test", "cgi"} << "INVALID_SITE_TYPE"
            << "html, php, wordpress, laravel";
        QTest::newRow("PHP not installed")
            << QStringList{"site:create", "x.example.test", "php", "7.1"} << "PHP_NOT_INSTALLED"
            << "installed: ";
        QTest::newRow("PHP version garbage")
            << QStringList{"site:create", "x.example.test", "php", "../8.2"} << "PHP_NOT_INSTALLED"
            << "";
        QTest::newRow("WordPress on a PHP that is not installed")
            << QStringList{"site:create", "x.example.test", "wordpress", "8.9"}
            << "PHP_NOT_INSTALLED"
            << "installed: ";
        QTest::newRow("enable an unknown site")
            << QStringList{"site:enable", "x.example.test"} << "SITE_NOT_FOUND"
            << "";
    }
    void refusalsChangeNothing()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        const QString before = registry();
        const Reply r = agent(args);
        QCOMPARE(r.code(), code);
        const QString message = r.envelope.value(QLatin1String("error"))
                                    .toObject()
                                    .value(QLatin1String("message"))
                                    .toString();
        QVERIFY2(message.contains(mentions), qPrintable(message));
        if (code == QLatin1String("PHP_NOT_INSTALLED") && !mentions.isEmpty())
            QVERIFY2(message.contains(m_stack.phpVersion()), qPrintable(message));
        QCOMPARE(registry(), before);
        QCOMPARE(traces(QStringLiteral("x.example.test")), QStringList());
    }

    // A create that fails at any step leaves nothing of the site behind.
    void aFailingCreateRollsBack_data()
    {
        QTest::addColumn<QString>("step");
        for (const char* step : {"site.create.user", "site.create.tree", "site.create.pool",
                                 "site.create.vhost", "site.create.registry", "ok"})
            QTest::newRow(step) << QString::fromLatin1(step);
    }
    void aFailingCreateRollsBack()
    {
        QFETCH(QString, step);
        const QString d = QStringLiteral("fails.example.test");
        const Reply r = agent(
            {QStringLiteral("site:create"), d, QStringLiteral("php"), m_stack.phpVersion()}, step);
        if (step == QLatin1String("ok")) { // past every change: the site stands
            QVERIFY(!traces(d).isEmpty());
            QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
            return;
        }
        QCOMPARE(r.code(), QStringLiteral("INTERNAL_ERROR"));
        QCOMPARE(traces(d), QStringList());
        QVERIFY2(agent({QStringLiteral("site:create"), d, QStringLiteral("html")}).ok(),
                 "a later create works");
        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
    }

    // A change nginx refuses is undone: the site keeps its previous config
    // and every other site stays up.
    void aRefusedConfigKeepsEverySiteServed()
    {
        const QString a = QStringLiteral("steady.example.test"),
                      b = QStringLiteral("broken.example.test");
        QVERIFY(agent({QStringLiteral("site:create"), a, QStringLiteral("html")}).ok());
        QVERIFY(agent({QStringLiteral("site:create"), b, QStringLiteral("html")}).ok());
        const QString vhost =
            m_stack.root() + QStringLiteral("/etc/nginx/sites-available/") + b + ".conf";
        const QByteArray before = readFile(vhost);
        QFile drop(m_stack.root() + QStringLiteral("/etc/nginx/chom-sites/") + b + ".d/bad.conf");
        QVERIFY(drop.open(QIODevice::WriteOnly));
        drop.write("not_a_directive on;\n");
        drop.close();
        const Reply r = agent({QStringLiteral("site:create"), b, QStringLiteral("html")});
        QCOMPARE(r.code(), QStringLiteral("NGINX_CONFIG_INVALID"));
        QVERIFY2(r.describe().contains(QLatin1String("not_a_directive")), qPrintable(r.describe()));
        QCOMPARE(readFile(vhost), before);
        QCOMPARE(m_stack.get(a).status, 200);
        QCOMPARE(m_stack.get(b).status, 200);
        QVERIFY(drop.remove());
        for (const QString& d : {a, b})
            QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
    }
};

QTEST_GUILESS_MAIN(TestAgentSites)
#include "tst_agentsites.moc"
