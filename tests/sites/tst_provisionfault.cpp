// A site's provision with its SSH session killed while the agent is creating
// the site on the VPS, for an HTML and a WordPress site: the operation must
// end (failed, not hanging) with the site Failed and saying why, and the host
// must be left so that a retry of the operation completes and serves the
// site, and a delete, with or without that retry, leaves nothing behind.
//
// The "VPS" is a loopback root-login sshd host (tests/support/SshFleet,
// 127.0.0.75:2222) whose sandbox holds a real nginx and PHP-FPM stack
// (tests/support/WebStack, nginx on 127.0.0.1:18090, TLS port 18091 unused)
// and a MariaDB of the stack's own (127.0.0.1:18311, for the WordPress site).
//
// To cut the agent mid-work rather than before or after it, the installed
// agent sits behind a small wrapper: while the sandbox holds the file
// "hold-create", site:create stops at the named step (the agent's sandbox
// test hook, CHOM_AGENT_TEST_FAIL=<step>:hang) after it made the site's user
// and directory (and, for WordPress, its database, files and wp-config.php).
// The test sees the agent waiting there, then cuts the session one of two
// ways:
// - host: SshFleet::stopHost, SIGTERM (SIGKILL after 5 s) to the host's sshd
//   and every process it forked, the session's sshd and the agent among them
//   (the host's sshd going down with its connections). The agent, signalled,
//   must roll its partial work back; the host is then started again.
// - session: SIGKILL to the sshd processes of the agent's own session only
//   (the connection cut); the agent, orphaned and unheard, goes on from its
//   held step and finishes the site, which a retry then takes up.
// - agent: SIGKILL to the agent itself, then to its session: no undo can
//   run, so the user, directory (and database) it made stay behind, unknown
//   to the agent's registry; a retry takes them up, and a delete removes
//   them as the unfinished site's (they provably are: the user's comment
//   names the domain and its home is the domain's directory).
#include "SshFleet.h"
#include "TestStore.h"
#include "WebStack.h"
#include "fleet/FleetService.h"
#include "ops/OperationKind.h"
#include "ops/OperationRunner.h"
#include "sites/SiteOperations.h"
#include "ssh/SshPool.h"
#include "store/OperationJournal.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

using namespace chom;
using chom::test::SshFleet;
using chom::test::TempCore;
using chom::test::WebStack;

Q_DECLARE_METATYPE(chom::SiteType)

class TestProvisionFault : public QObject
{
    Q_OBJECT
    SshFleet m_fleet;
    WebStack m_stack;
    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<SshPool> m_pool;
    std::unique_ptr<OperationRunner> m_runner;
    std::unique_ptr<FleetService> m_service;
    std::unique_ptr<SiteOperations> m_sites;
    Id m_tenant = 0;
    bool m_hostDown = false; // stopped by killMidCreate, not yet started again
    Id m_siteId = 0;         // the current case's site, deleted by cleanup() when still there
    QString m_domain;        // and its domain

    // The operation's final status, as text (QCOMPARE prints it); "running"
    // or "pending" when it did not end within timeoutMs.
    QString waitFor(Id op, int timeoutMs = 90000)
    {
        QElapsedTimer clock;
        clock.start();
        OperationStatus st = OperationStatus::Pending;
        while (clock.elapsed() < timeoutMs) {
            st = OperationJournal(m_t->core->store()).get(op).value().status;
            if (st != OperationStatus::Pending && st != OperationStatus::Running)
                break;
            QTest::qWait(50);
        }
        return toString(st);
    }
    // The status of the provision's create step, as text ("" when absent).
    QString createStepStatus(Id op) const
    {
        const auto steps = OperationJournal(m_t->core->store()).steps(op);
        if (!steps)
            return {};
        for (const Operation& s : steps.value())
            if (s.type.endsWith(QLatin1String("/create on the VPS")))
                return toString(s.status);
        return {};
    }
    Site site(Id id) const { return m_t->core->sites().get(id).value(); }
    Site request(const QString& domain, SiteType type) const
    {
        Site s;
        s.tenantId = m_tenant;
        s.domain = domain;
        s.type = type;
        s.phpVersion = m_stack.phpVersion();
        return s;
    }

    QString sandbox() const { return m_fleet.hosts().at(0).sandbox; }
    QString agentBin() const { return sandbox() + QStringLiteral("/opt/chom-agent/bin"); }
    QString realAgent() const { return agentBin() + QStringLiteral("/chom-agent.real"); }
    QString holdFile() const { return sandbox() + QStringLiteral("/hold-create"); }
    QString siteDir(const QString& domain) const
    {
        return m_stack.root() + QStringLiteral("/var/www/sites/") + domain;
    }
    QString vhost(const QString& domain) const
    {
        return m_stack.root() + QStringLiteral("/etc/nginx/sites-available/") + domain +
               QStringLiteral(".conf");
    }
    static QString userOf(const QString& domain)
    {
        return QStringLiteral("chomt-") +
               QString(domain).replace(QLatin1Char('.'), QLatin1Char('-'));
    }
    // The "chomt-" users of this test's sites (other checkouts may run site
    // tests on this machine at the same time, with users of their own).
    static QStringList ourUsers()
    {
        QStringList ours;
        for (const QString& u : WebStack::siteUsers())
            if (u.startsWith(QLatin1String("chomt-pf")))
                ours << u;
        return ours;
    }
    static QString databaseOf(const QString& domain)
    {
        return userOf(domain).replace(QLatin1Char('-'), QLatin1Char('_'));
    }

    // The site:create agent of this host that waits at its held step (the
    // hook's `sleep` is its child), 0 when there is none.
    qint64 heldAgent() const
    {
        QProcess p;
        p.start(QStringLiteral("bash"),
                {QStringLiteral("-c"),
                 QStringLiteral("for p in $(pgrep -f -- \"$1 \"); do "
                                "pgrep -P \"$p\" -x sleep >/dev/null && echo \"$p\" && exit 0; "
                                "done; exit 1"),
                 QStringLiteral("held"), realAgent()});
        if (!p.waitForFinished(10000) || p.exitStatus() != QProcess::NormalExit || p.exitCode())
            return 0;
        return p.readAllStandardOutput().trimmed().toLongLong();
    }
    static qint64 parentOf(qint64 pid)
    {
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        const QByteArray stat = f.readAll();
        // "pid (comm) state ppid ...": comm may hold spaces, the last ')' ends it.
        const QList<QByteArray> rest = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
        return rest.size() > 1 ? rest.at(1).toLongLong() : 0;
    }
    // Running (a zombie is not: a container's init may reap late).
    static bool alive(qint64 pid)
    {
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            return false;
        const QByteArray stat = f.readAll();
        return stat.mid(stat.lastIndexOf(')') + 2, 1) != "Z";
    }
    static QString nameOf(qint64 pid)
    {
        QFile f(QStringLiteral("/proc/%1/comm").arg(pid));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().trimmed()) : QString();
    }
    // The sshd processes of the agent's own session: its sshd ancestors
    // below the host's listening sshd.
    QStringList sessionSshd(qint64 agent) const
    {
        QFile pidFile(sandbox() + QStringLiteral("/sshd.pid"));
        const qint64 listener =
            pidFile.open(QIODevice::ReadOnly) ? pidFile.readAll().trimmed().toLongLong() : 0;
        QStringList pids;
        if (!listener)
            return pids;
        for (qint64 p = parentOf(agent); p > 1 && p != listener; p = parentOf(p))
            if (nameOf(p) == QLatin1String("sshd"))
                pids << QString::number(p);
        return pids;
    }

    // Nothing of the site on the host: no user, directory, vhost (available
    // or enabled), pool, database or database user.
    void verifyNothingLeft(const QString& domain)
    {
        QCOMPARE(ourUsers(), QStringList());
        QVERIFY2(!QFileInfo::exists(siteDir(domain)), qPrintable(siteDir(domain)));
        QVERIFY2(!QFileInfo::exists(vhost(domain)), qPrintable(vhost(domain)));
        const QString enabled = m_stack.root() + QStringLiteral("/etc/nginx/sites-enabled/") +
                                domain + QStringLiteral(".conf");
        QVERIFY2(!QFileInfo(enabled).isSymLink() && !QFileInfo::exists(enabled),
                 qPrintable(enabled));
        const QString pool = m_stack.root() + QStringLiteral("/etc/php/") + m_stack.phpVersion() +
                             QStringLiteral("/fpm/pool.d/") + domain + QStringLiteral(".conf");
        QVERIFY2(!QFileInfo::exists(pool), qPrintable(pool));
        QCOMPARE(m_stack.siteDatabases(), QStringList());
        QCOMPARE(m_stack.siteDatabaseUsers(), QStringList());
    }

    // Starts the site's provision held at `holdAt`, checks the agent did part
    // of the work and waits there, then cuts its session (`cut`: "host" or
    // "session" or "agent", see the top of the file) and checks that the operation fails
    // with the site telling why, and what the host holds then: nothing of the
    // site when the agent was signalled (rolled back), the whole site when it
    // carried on. The host is up on return.
    void killMidCreate(const QString& domain, SiteType type, const QString& holdAt,
                       const QString& cut, Id* siteId, Id* opId)
    {
        QFile hold(holdFile());
        QVERIFY(hold.open(QIODevice::WriteOnly | QIODevice::Truncate));
        hold.write(holdAt.toUtf8() + '\n');
        hold.close();

        auto started = m_sites->startCreate(request(domain, type));
        QVERIFY2(started, qPrintable(started.errorMessage()));
        *siteId = m_siteId = started.value().siteId;
        m_domain = domain;
        *opId = started.value().operationId;

        // Mid-work: the create step runs, the agent waits at its held step,
        // and what it made before is on the host.
        qint64 agent = 0;
        QTRY_VERIFY_WITH_TIMEOUT((agent = heldAgent()) != 0, 60000);
        QCOMPARE(createStepStatus(*opId), toString(OperationStatus::Running));
        QCOMPARE(toString(site(*siteId).status), toString(SiteStatus::Creating));
        QCOMPARE(ourUsers(), QStringList{userOf(domain)});
        QVERIFY(QFileInfo(siteDir(domain) + QStringLiteral("/public")).isDir());
        QVERIFY(!QFileInfo::exists(vhost(domain)));
        if (type == SiteType::WordPress) {
            QCOMPARE(m_stack.siteDatabases(), QStringList{databaseOf(domain)});
            QVERIFY(QFileInfo::exists(siteDir(domain) + QStringLiteral("/public/wp-config.php")));
        }

        QElapsedTimer clock;
        clock.start();
        if (cut == QLatin1String("host")) {
            // The host's sshd goes down with its sessions, the agent in one.
            m_hostDown = true;
            QVERIFY2(m_fleet.stopHost(0), qPrintable(m_fleet.error()));
            QVERIFY(!alive(agent));
        } else if (cut == QLatin1String("agent")) {
            const QStringList session = sessionSshd(agent);
            QVERIFY(!session.isEmpty());
            QProcess::execute(
                QStringLiteral("pkill"),
                {QStringLiteral("-KILL"), QStringLiteral("-P"), QString::number(agent)});
            QCOMPARE(QProcess::execute(QStringLiteral("kill"),
                                       {QStringLiteral("-KILL"), QString::number(agent)}),
                     0);
            QProcess::execute(QStringLiteral("kill"),
                              QStringList{QStringLiteral("-KILL")} + session);
            QTRY_VERIFY_WITH_TIMEOUT(!alive(agent), 30000);
        } else {
            // Only the agent's session dies (SIGKILL to its sshd processes, as
            // when the connection is cut); the agent, orphaned and no longer
            // heard, is then let go on from its held step: its hook's sleep
            // ended by SIGPIPE, for which bash reports no job status on the
            // (now closed) stderr, as if the step had just finished.
            const QStringList session = sessionSshd(agent);
            QVERIFY(!session.isEmpty());
            QCOMPARE(QProcess::execute(QStringLiteral("kill"),
                                       QStringList{QStringLiteral("-KILL")} + session),
                     0);
            QVERIFY(alive(agent));
            QProcess::execute(QStringLiteral("pkill"),
                              {QStringLiteral("-PIPE"), QStringLiteral("-P"),
                               QString::number(agent), QStringLiteral("-x"),
                               QStringLiteral("sleep")});
            QTRY_VERIFY_WITH_TIMEOUT(!alive(agent), 30000);
        }
        QFile::remove(holdFile());

        QCOMPARE(waitFor(*opId), QStringLiteral("failed"));
        qInfo("the provision failed %lld ms after the kill", clock.elapsed());
        QCOMPARE(createStepStatus(*opId), toString(OperationStatus::Failed));
        const Site s = site(*siteId);
        QCOMPARE(toString(s.status), toString(SiteStatus::Failed));
        QCOMPARE(s.provisionAttempts, 1);
        // The reason names the lost session, not a generic "interrupted".
        static const QRegularExpression lost(
            QStringLiteral("disconnect|dropped|without an answer|interrupted by SIG"),
            QRegularExpression::CaseInsensitiveOption);
        QVERIFY2(lost.match(s.failureReason).hasMatch(), qPrintable(s.failureReason));
        qInfo("failure reason: %s", qPrintable(s.failureReason));

        if (cut == QLatin1String("host")) {
            // Signalled, the agent undid its partial work before it ended.
            verifyNothingLeft(domain);
            QVERIFY2(m_fleet.startHost(0), qPrintable(m_fleet.error()));
            m_hostDown = false;
        } else if (cut == QLatin1String("agent")) {
            // Killed outright, it undid nothing: its work so far stays, and
            // the registry does not know the site.
            QCOMPARE(ourUsers(), QStringList{userOf(domain)});
            QVERIFY(QFileInfo(siteDir(domain)).isDir());
            QFile registry(m_stack.root() + QStringLiteral("/var/lib/chom-agent/sites.json"));
            QVERIFY(registry.open(QIODevice::ReadOnly));
            QVERIFY(!registry.readAll().contains(domain.toUtf8()));
        } else {
            // Not signalled, the agent finished the site unheard: on the
            // host, and in its registry, though the console saw a failure.
            QVERIFY(QFileInfo::exists(vhost(domain)));
            QCOMPARE(ourUsers(), QStringList{userOf(domain)});
            QFile registry(m_stack.root() + QStringLiteral("/var/lib/chom-agent/sites.json"));
            QVERIFY(registry.open(QIODevice::ReadOnly));
            QVERIFY(registry.readAll().contains(domain.toUtf8()));
        }
    }

    void deleteSite(Id siteId)
    {
        auto del = m_sites->startDelete(siteId);
        QVERIFY2(del, qPrintable(del.errorMessage()));
        QCOMPARE(waitFor(del.value()), QStringLiteral("completed"));
        QVERIFY(!m_t->core->sites().get(siteId));
    }

    // The cases of both scenarios, their domains led by `prefix`: html and
    // WordPress, each with the host down or only the agent's session cut.
    static void cases(const QString& prefix)
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<SiteType>("type");
        QTest::addColumn<QString>("holdAt"); // the agent's step the kill lands on
        QTest::addColumn<QString>("cut");    // "host", "session" or "agent"
        for (const QString& cut :
             {QStringLiteral("host"), QStringLiteral("session"), QStringLiteral("agent")}) {
            QTest::addRow("html, %s", qPrintable(cut))
                << prefix + QStringLiteral("-html-%1.example.test").arg(cut.left(4))
                << SiteType::Html << QStringLiteral("site.create.vhost") << cut;
            QTest::addRow("wordpress, %s", qPrintable(cut))
                << prefix + QStringLiteral("-wp-%1.example.test").arg(cut.left(4))
                << SiteType::WordPress << QStringLiteral("site.create.pool") << cut;
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = WebStack::fleetUnavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        if (const QString why = WebStack::databaseUnavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_stack.setDatabasePort(18311);
        QVERIFY2(m_stack.startOnFleetHost(m_fleet, 75, 18090), qPrintable(m_stack.error()));
        const auto host = m_fleet.hosts().at(0);

        // The agent as installed, behind the wrapper that holds site:create.
        QVERIFY(QFile::rename(agentBin() + QStringLiteral("/chom-agent"), realAgent()));
        QFile wrapper(agentBin() + QStringLiteral("/chom-agent"));
        QVERIFY(wrapper.open(QIODevice::WriteOnly));
        wrapper.write(
            "#!/bin/bash\n"
            "if [[ -f $CHOM_AGENT_ROOT/hold-create ]]; then\n"
            "    export CHOM_AGENT_TEST_FAIL=\"$(<\"$CHOM_AGENT_ROOT/hold-create\"):hang\"\n"
            "fi\n"
            "exec bash \"$CHOM_AGENT_ROOT/opt/chom-agent/bin/chom-agent.real\" \"$@\"\n");
        wrapper.close();
        QVERIFY(wrapper.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                       QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                       QFile::ExeOther));

        m_t = std::make_unique<TempCore>();
        m_tenant = m_t->addTenant(QStringLiteral("Acme"), QStringLiteral("enterprise"));
        Vps v;
        v.hostname = QStringLiteral("web-1.fleet.test");
        v.ipAddress = host.address;
        v.sshPort = host.port;
        v.sshUser = QStringLiteral("root");
        v.status = VpsStatus::Active;
        auto id = m_t->core->vps().create(v);
        QVERIFY2(id, qPrintable(id.errorMessage()));

        SshPool::Config c;
        c.trustNewHostKeys = true;
        m_pool = std::make_unique<SshPool>(m_t->core->store(), c);
        m_runner = std::make_unique<OperationRunner>(m_t->core->store(), &m_t->core->notifier());
        m_service = std::make_unique<FleetService>(*m_t->core, *m_pool, *m_runner);
        SshIdentity key;
        key.privateKeyPath = m_fleet.clientKeyPath();
        m_service->setIdentity(key);
        m_sites = std::make_unique<SiteOperations>(*m_service);
        m_service->addKind(m_sites->provisionKind());
    }
    void cleanupTestCase()
    {
        if (m_fleet.isRunning() && !m_fleet.hosts().isEmpty())
            QFile::remove(holdFile());
        m_runner.reset();
        m_sites.reset();
        m_service.reset();
        m_pool.reset();
        m_t.reset();
        const QStringList databases = m_stack.siteDatabases();
        m_stack.stop();
        m_fleet.stop();
        QCOMPARE(databases, QStringList());
        QCOMPARE(ourUsers(), QStringList());
    }

    // After each case, a failed one too: no hold, the host up, no site.
    void cleanup()
    {
        if (m_fleet.hosts().isEmpty())
            return;
        QFile::remove(holdFile());
        if (m_hostDown && m_fleet.startHost(0))
            m_hostDown = false;
        if (m_siteId && m_t->core->sites().get(m_siteId)) {
            auto del = m_sites->startDelete(m_siteId);
            if (del)
                waitFor(del.value());
        }
        // A failed case may have left the site on the host: removed here, so
        // that the next case starts from a clean host.
        if (QTest::currentTestFailed() && !m_domain.isEmpty()) {
            const QString db = databaseOf(m_domain);
            (void)m_stack.sql(QStringLiteral("DROP DATABASE IF EXISTS `%1`").arg(db));
            for (const QString& u : m_stack.siteDatabaseUsers())
                if (u.startsWith(db + QLatin1Char('@')))
                    (void)m_stack.sql(QStringLiteral("DROP USER IF EXISTS '%1'@'%2'")
                                          .arg(db, u.mid(db.size() + 1)));
            QDir(siteDir(m_domain)).removeRecursively();
            QFile::remove(vhost(m_domain));
            QProcess::execute(QStringLiteral("userdel"), {userOf(m_domain)});
        }
        m_domain.clear();
        m_siteId = 0;
    }

    void killedMidCreateThenRetried_data() { cases(QStringLiteral("pfr")); }
    // Killed mid-create, the host back, the operation retried from the
    // journal: the site is created and served, then deleted without a trace.
    void killedMidCreateThenRetried()
    {
        QFETCH(QString, domain);
        QFETCH(SiteType, type);
        QFETCH(QString, holdAt);
        QFETCH(QString, cut);
        Id siteId = 0;
        Id opId = 0;
        killMidCreate(domain, type, holdAt, cut, &siteId, &opId);
        if (QTest::currentTestFailed())
            return;

        QElapsedTimer clock;
        clock.start();
        auto again = m_service->retryOperation(opId);
        QVERIFY2(again, qPrintable(again.errorMessage()));
        const QString done = waitFor(again.value());
        const Site s = site(siteId);
        QVERIFY2(done == QLatin1String("completed"), qPrintable(done + ": " + s.failureReason));
        qInfo("the retry completed in %lld ms", clock.elapsed());
        QCOMPARE(toString(s.status), toString(SiteStatus::Active));
        QCOMPARE(s.provisionAttempts, 2);
        QVERIFY(s.failureReason.isEmpty());
        QCOMPARE(ourUsers(), QStringList{userOf(domain)});
        if (type == SiteType::WordPress) {
            const WebStack::Response installer =
                m_stack.get(domain, QStringLiteral("/wp-admin/install.php"));
            QVERIFY2(installer.status == 200 && installer.body.contains("WordPress"),
                     installer.body.left(300).constData());
            QCOMPARE(m_stack.siteDatabases(), QStringList{databaseOf(domain)});
        } else {
            QCOMPARE(m_stack.get(domain).status, 200);
        }

        deleteSite(siteId);
        QCOMPARE(m_stack.get(domain).status, 404);
        verifyNothingLeft(domain);
    }

    void killedMidCreateThenDeleted_data() { cases(QStringLiteral("pfd")); }
    // Killed mid-create, the host back, the site deleted without a retry:
    // nothing of it stays on the host.
    void killedMidCreateThenDeleted()
    {
        QFETCH(QString, domain);
        QFETCH(SiteType, type);
        QFETCH(QString, holdAt);
        QFETCH(QString, cut);
        Id siteId = 0;
        Id opId = 0;
        killMidCreate(domain, type, holdAt, cut, &siteId, &opId);
        if (QTest::currentTestFailed())
            return;
        deleteSite(siteId);
        QCOMPARE(m_stack.get(domain).status, 404);
        verifyNothingLeft(domain);
    }
};

QTEST_GUILESS_MAIN(TestProvisionFault)
#include "tst_provisionfault.moc"
