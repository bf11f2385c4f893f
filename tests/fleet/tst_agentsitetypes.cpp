// The agent's database-backed sites against a real nginx, PHP-FPM and
// MariaDB of the test's own (tests/support/WebStack: 127.0.0.1:18082,
// MariaDB on 127.0.0.1:18307): WordPress from the Debian package's tree with
// its installer served, Laravel and PHP sites with their .env, the password
// only in the site's config, the tools run as the site user (export,
// optimize, cache), drift found and healed by site:render, site:audit's
// findings (drift and what no registered site owns), site:php
// refusals, rollback of a failing create including its database, and
// nothing left after delete: users, files, databases, database users.

#include "AgentProcess.h"
#include "WebStack.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QScopeGuard>
#include <QtTest>

using chom::test::AgentReply;
using chom::test::readFile;
using chom::test::WebStack;
using chom::test::writeFile;

class TestAgentSiteTypes : public QObject
{
    Q_OBJECT
    WebStack m_stack;

    AgentReply agent(const QStringList& args, const QString& fail = {})
    {
        return chom::test::runAgent(m_stack.root(), args, fail);
    }
    QString sitePath(const QString& domain) const
    {
        return m_stack.root() + QStringLiteral("/var/www/sites/") + domain;
    }
    static QString slug(const QString& domain)
    {
        return QString(domain).replace(QLatin1Char('.'), QLatin1Char('_'));
    }
    AgentReply create(const QString& domain, const QString& type)
    {
        return agent({QStringLiteral("site:create"), domain, type, m_stack.phpVersion()});
    }
    // Everything a database-backed site leaves behind.
    QStringList traces(const QString& domain) const
    {
        QStringList found;
        if (WebStack::siteUsers().contains(QStringLiteral("chomt-") +
                                           QString(domain).replace(QLatin1Char('.'), '-')))
            found << QStringLiteral("user");
        if (QFileInfo::exists(sitePath(domain)))
            found << sitePath(domain);
        const QString db = QStringLiteral("chomt_") + slug(domain);
        if (m_stack.siteDatabases().contains(db))
            found << QStringLiteral("database");
        if (m_stack.siteDatabaseUsers().contains(db + QStringLiteral("@127.0.0.1")))
            found << QStringLiteral("database user");
        return found;
    }
    static QString owner(const QString& path) { return QFileInfo(path).owner(); }
    static QFile::Permissions mode(const QString& path) { return QFileInfo(path).permissions(); }

private Q_SLOTS:
    void initTestCase()
    {
        QString why = WebStack::unavailableReason();
        if (why.isEmpty())
            why = WebStack::databaseUnavailableReason();
        if (why.isEmpty() &&
            !QFileInfo::exists(QStringLiteral("/usr/share/wordpress/wp-settings.php")))
            why = QStringLiteral(
                "the wordpress package is not installed (scripts/install-deps.sh test)");
        if (!why.isEmpty())
            QSKIP(qPrintable(why));
        QCOMPARE(WebStack::siteUsers(), QStringList());
        m_stack.setDatabasePort(18307);
        QVERIFY2(m_stack.start(18082), qPrintable(m_stack.error()));
        QCOMPARE(m_stack.siteDatabases(), QStringList());
    }
    void cleanupTestCase()
    {
        const QStringList left =
            WebStack::siteUsers() + m_stack.siteDatabases() + m_stack.siteDatabaseUsers();
        m_stack.stop();
        QCOMPARE(left, QStringList());
    }

    void wordpressServesItsInstallerWithTheSecretOnlyInItsConfig()
    {
        const QString d = QStringLiteral("blog.example.test");
        const AgentReply c = create(d, QStringLiteral("wordpress"));
        QVERIFY2(c.ok(), qPrintable(c.describe()));
        const QString db = QStringLiteral("chomt_blog_example_test");
        QCOMPARE(c.data()[QLatin1String("site")][QLatin1String("database")].toString(), db);
        QCOMPARE(traces(d).size(), 4);

        const QString config = sitePath(d) + QStringLiteral("/public/wp-config.php");
        QCOMPARE(owner(config), QStringLiteral("chomt-blog-example-test"));
        QCOMPARE(mode(config) & (QFile::ReadOther | QFile::WriteGroup | QFile::ReadGroup),
                 QFile::ReadGroup);
        const QByteArray text = readFile(config);
        const QRegularExpression pw(QStringLiteral("'DB_PASSWORD', '([A-Za-z0-9]{32})'"));
        const QString password = pw.match(QString::fromUtf8(text)).captured(1);
        QVERIFY2(!password.isEmpty(), text.constData());
        QVERIFY(!c.raw.contains(password.toUtf8()));
        QVERIFY(!readFile(m_stack.root() + QStringLiteral("/var/lib/chom-agent/sites.json"))
                     .contains(password.toUtf8()));
        QCOMPARE(text.count("define( 'AUTH_KEY', '"), 1);

        // The installer answers: WordPress reached its database as the site user.
        const WebStack::Response home = m_stack.get(d);
        QCOMPARE(home.status, 302);
        const WebStack::Response installer =
            m_stack.get(d, QStringLiteral("/wp-admin/install.php"));
        QCOMPARE(installer.status, 200);
        QVERIFY2(installer.body.contains("WordPress"), installer.body.left(400).constData());
        QVERIFY(!installer.body.contains("Error establishing a database connection"));

        // A second create completes in place and keeps the password and salts.
        const AgentReply again = create(d, QStringLiteral("wordpress"));
        QVERIFY2(again.ok(), qPrintable(again.describe()));
        QCOMPARE(again.data()[QLatin1String("existed")].toBool(), true);
        QCOMPARE(readFile(config), text);

        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
        QCOMPARE(traces(d), QStringList());
        QCOMPARE(m_stack.get(d).status, 404);
    }

    void laravelAndPhpSitesGetTheirEnvironment_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<bool>("appKey");
        QTest::newRow("laravel") << "laravel" << true;
        QTest::newRow("php") << "php" << false;
    }
    void laravelAndPhpSitesGetTheirEnvironment()
    {
        QFETCH(QString, type);
        QFETCH(bool, appKey);
        const QString d = type + QStringLiteral(".example.test");
        const AgentReply c = create(d, type);
        QVERIFY2(c.ok(), qPrintable(c.describe()));
        const QString env = sitePath(d) + QStringLiteral("/.env");
        const QByteArray text = readFile(env);
        QVERIFY2(text.contains(QByteArray("DB_DATABASE=chomt_").append(slug(d).toUtf8())),
                 text.constData());
        QCOMPARE(text.contains("APP_KEY=base64:"), appKey);
        QCOMPARE(owner(env), QStringLiteral("chomt-") + QString(d).replace('.', '-'));
        QCOMPARE(mode(env) & QFile::ReadOther, 0);
        QCOMPARE(m_stack.get(d).status, 200);
        if (appKey)
            QVERIFY(QFileInfo(sitePath(d) + QStringLiteral("/storage/framework/views")).isDir());
        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
        QCOMPARE(traces(d), QStringList());
    }

    // The database tools run as the site user, with its own credentials.
    void exportOptimizeAndCacheClearRunAsTheSite()
    {
        const QString d = QStringLiteral("tools.example.test");
        QVERIFY(create(d, QStringLiteral("wordpress")).ok());
        const QString db = QStringLiteral("chomt_tools_example_test");
        QVERIFY(!m_stack
                     .sql(QStringLiteral("CREATE TABLE %1.t (id INT PRIMARY KEY, v TEXT); "
                                         "INSERT INTO %1.t VALUES (1, 'kept row')")
                              .arg(db))
                     .contains(QLatin1String("ERROR")));
        const AgentReply e = agent({QStringLiteral("database:export"), d});
        QVERIFY2(e.ok(), qPrintable(e.describe()));
        const QString dump = m_stack.root() + e.data()[QLatin1String("path")].toString();
        QCOMPARE(owner(dump), QStringLiteral("chomt-tools-example-test"));
        QProcess gz;
        gz.start(QStringLiteral("gzip"), {QStringLiteral("-dc"), dump});
        QVERIFY(gz.waitForFinished());
        QVERIFY(gz.readAllStandardOutput().contains("kept row"));
        QProcess sum;
        sum.start(QStringLiteral("sha256sum"), {dump});
        QVERIFY(sum.waitForFinished());
        QCOMPARE(QString::fromLatin1(sum.readAllStandardOutput().left(64)),
                 e.data()[QLatin1String("sha256")].toString());
        QVERIFY(!QFileInfo::exists(sitePath(d) + QStringLiteral("/tmp/.chom-client.cnf")));

        const AgentReply o = agent({QStringLiteral("database:optimize"), d});
        QVERIFY2(o.ok(), qPrintable(o.describe()));
        QCOMPARE(o.data()[QLatin1String("tables")].toInt(), 1);

        const QString cache = sitePath(d) + QStringLiteral("/public/wp-content/cache");
        QVERIFY(QDir().mkpath(cache + QStringLiteral("/page")));
        QFile f(cache + QStringLiteral("/page/index.html"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QCOMPARE(QProcess::execute(
                     QStringLiteral("chown"),
                     {QStringLiteral("-R"), QStringLiteral("chomt-tools-example-test"), cache}),
                 0);
        const AgentReply cc = agent({QStringLiteral("cache:clear"), d});
        QVERIFY2(cc.ok(), qPrintable(cc.describe()));
        QCOMPARE(cc.data()[QLatin1String("removed")].toInt(), 2);
        QVERIFY(QDir(cache).isEmpty());

        QCOMPARE(
            agent({QStringLiteral("database:export"), QStringLiteral("none.example.test")}).code(),
            QStringLiteral("SITE_NOT_FOUND"));
        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
        QCOMPARE(traces(d), QStringList());
    }

    void renderFindsDriftAndHealsIt()
    {
        const QString d = QStringLiteral("drift.example.test");
        QVERIFY(create(d, QStringLiteral("php")).ok());
        AgentReply r = agent({QStringLiteral("site:render"), d, QStringLiteral("--check")});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.data()[QLatin1String("drifted")].toInt(), 0);
        const QString vhost =
            m_stack.root() + QStringLiteral("/etc/nginx/sites-available/") + d + ".conf";
        const QByteArray rendered = readFile(vhost);
        QFile f(vhost);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(
            QByteArray(rendered).replace("add_header X-Frame-Options SAMEORIGIN always;\n", ""));
        f.close();
        r = agent({QStringLiteral("site:render"), d, QStringLiteral("--check")});
        QCOMPARE(r.data()[QLatin1String("drifted")].toInt(), 1);
        const QJsonObject file = r.data()[QLatin1String("files")].toArray().at(0).toObject();
        QCOMPARE(file[QLatin1String("state")].toString(), QStringLiteral("drifted"));
        QVERIFY(file[QLatin1String("diff")].toString().contains(
            QLatin1String("+    add_header X-Frame-Options")));
        QVERIFY(readFile(vhost) != rendered); // --check changes nothing
        r = agent({QStringLiteral("site:render"), d});
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QCOMPARE(r.data()[QLatin1String("rendered")].toBool(), true);
        QCOMPARE(readFile(vhost), rendered);
        QCOMPARE(m_stack.get(d).status, 200);
        QVERIFY(agent({QStringLiteral("site:delete"), d}).ok());
    }

    // site:audit: each registered site against its templates and the
    // machine, and what the agent made that no registered site owns (a site
    // dropped from the registry leaves all of it behind).
    void auditReportsEachSiteAndWhatNoSiteOwns()
    {
        const QString html = QStringLiteral("aud-h.example.test");
        const QString php = QStringLiteral("aud-p.example.test");
        const QString lost = QStringLiteral("aud-o.example.test");
        const QString registry = m_stack.root() + QStringLiteral("/var/lib/chom-agent/sites.json");
        QByteArray saved;
        const auto removeAll = qScopeGuard([&] { // on failure too: cleanupTestCase checks
            if (!saved.isEmpty())
                writeFile(registry, saved);
            for (const QString& d : {html, php, lost})
                agent({QStringLiteral("site:delete"), d});
        });
        QVERIFY(create(html, QStringLiteral("html")).ok());
        QVERIFY(create(php, QStringLiteral("php")).ok());
        QVERIFY(create(lost, QStringLiteral("php")).ok());
        const QString vhost =
            m_stack.root() + QStringLiteral("/etc/nginx/sites-available/") + html + ".conf";
        const QByteArray rendered = readFile(vhost);
        QVERIFY(writeFile(vhost, QByteArray(rendered).replace("add_header X-Frame-Options "
                                                              "SAMEORIGIN always;\n",
                                                              "")));
        saved = readFile(registry);
        QJsonObject reg = QJsonDocument::fromJson(saved).object();
        QJsonArray kept;
        for (const QJsonValue& v : reg.value("sites").toArray())
            if (v.toObject().value("domain").toString() != lost)
                kept.append(v);
        reg["sites"] = kept;
        QVERIFY(writeFile(registry, QJsonDocument(reg).toJson()));

        const AgentReply r = agent({QStringLiteral("site:audit")});
        QVERIFY(writeFile(registry, saved));
        saved.clear();
        QVERIFY2(r.ok(), qPrintable(r.describe()));
        QHash<QString, QJsonObject> sites;
        for (const QJsonValue& v : r.data()[QLatin1String("sites")].toArray())
            sites.insert(v.toObject().value("domain").toString(), v.toObject());
        QCOMPARE(sites.size(), 2);
        QCOMPARE(sites[html]["vhost"].toString(), QStringLiteral("drifted"));
        QCOMPARE(sites[html]["pool"].toString(), QStringLiteral("none"));
        QCOMPARE(sites[html]["database"].toString(), QStringLiteral("none"));
        QCOMPARE(sites[php]["vhost"].toString(), QStringLiteral("same"));
        QCOMPARE(sites[php]["pool"].toString(), QStringLiteral("same"));
        QCOMPARE(sites[php]["database"].toString(), QStringLiteral("present"));
        QCOMPARE(sites[php]["database_user"].toString(), QStringLiteral("present"));
        for (const QString& d : {html, php}) {
            QVERIFY(sites[d]["linked"].toBool());
            QVERIFY(sites[d]["user"].toBool());
            QVERIFY(sites[d]["certificate"].isNull());
        }
        const QJsonObject u = r.data()[QLatin1String("unknown")].toObject();
        QCOMPARE(u["vhosts"].toArray(), QJsonArray{lost});
        QCOMPARE(u["pools"].toArray().at(0).toObject()["domain"].toString(), lost);
        QCOMPARE(u["users"].toArray(), QJsonArray{QStringLiteral("chomt-aud-o-example-test")});
        QCOMPARE(u["directories"].toArray(), QJsonArray{lost});
        QCOMPARE(u["databases"].toArray(), QJsonArray{QStringLiteral("chomt_aud_o_example_test")});
        QCOMPARE(u["database_users"].toArray(),
                 QJsonArray{QStringLiteral("chomt_aud_o_example_test@127.0.0.1")});
        QVERIFY(r.data()[QLatin1String("database")].toObject()["checked"].toBool());
        QCOMPARE(readFile(vhost), QByteArray(rendered).replace("add_header X-Frame-Options "
                                                               "SAMEORIGIN always;\n",
                                                               "")); // read only
    }

    // Site commands at once on one host (the console provisions several in
    // parallel): every create lands in the registry, none is lost.
    void concurrentCreatesAllLand()
    {
        QVector<QStringList> creates;
        QStringList domains;
        for (int i = 0; i < 6; ++i) {
            domains << QStringLiteral("par%1.example.test").arg(i);
            creates << QStringList{QStringLiteral("site:create"), domains.last(),
                                   QStringLiteral("html")};
        }
        const auto removeAll = qScopeGuard([&] {
            for (const QString& d : domains)
                agent({QStringLiteral("site:delete"), d});
        });
        const QVector<AgentReply> replies = chom::test::runAgents(m_stack.root(), creates);
        for (const AgentReply& r : replies)
            QVERIFY2(r.ok(), qPrintable(r.describe()));
        const AgentReply list = agent({QStringLiteral("site:list")});
        QVERIFY2(list.ok(), qPrintable(list.describe()));
        QStringList listed;
        for (const QJsonValue& v : list.data()[QLatin1String("sites")].toArray())
            listed << v.toObject().value("domain").toString();
        for (const QString& d : domains) {
            QVERIFY2(listed.contains(d), qPrintable(d));
            QCOMPARE(m_stack.get(d).status, 200);
        }
    }

    void phpVersionChangesAreChecked()
    {
        const QString d = QStringLiteral("ver.example.test");
        QVERIFY(create(d, QStringLiteral("php")).ok());
        const AgentReply missing = agent({QStringLiteral("site:php"), d, QStringLiteral("7.1")});
        QCOMPARE(missing.code(), QStringLiteral("PHP_NOT_INSTALLED"));
        QVERIFY2(missing.message().contains(m_stack.phpVersion()), qPrintable(missing.message()));
        const AgentReply same = agent({QStringLiteral("site:php"), d, m_stack.phpVersion()});
        QVERIFY2(same.ok(), qPrintable(same.describe()));
        QCOMPARE(same.data()[QLatin1String("changed")].toBool(), false);
        QVERIFY(agent({QStringLiteral("site:create"), QStringLiteral("static.example.test"),
                       QStringLiteral("html")})
                    .ok());
        QCOMPARE(agent({QStringLiteral("site:php"), QStringLiteral("static.example.test"),
                        m_stack.phpVersion()})
                     .code(),
                 QStringLiteral("NO_PHP"));
        for (const QString& s : {d, QStringLiteral("static.example.test")})
            QVERIFY(agent({QStringLiteral("site:delete"), s}).ok());
    }

    // A create failing after its database was made drops it again.
    void aFailingCreateDropsItsDatabase_data()
    {
        QTest::addColumn<QString>("step");
        for (const char* step : {"site.create.database", "site.create.code", "site.create.vhost",
                                 "site.create.registry"})
            QTest::newRow(step) << QString::fromLatin1(step);
    }
    void aFailingCreateDropsItsDatabase()
    {
        QFETCH(QString, step);
        const QString d = QStringLiteral("rollback.example.test");
        const AgentReply r = agent(
            {QStringLiteral("site:create"), d, QStringLiteral("wordpress"), m_stack.phpVersion()},
            step);
        QCOMPARE(r.code(), QStringLiteral("INTERNAL_ERROR"));
        QCOMPARE(traces(d), QStringList());
    }
};

QTEST_GUILESS_MAIN(TestAgentSiteTypes)
#include "tst_agentsitetypes.moc"
