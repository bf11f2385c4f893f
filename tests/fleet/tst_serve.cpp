// The agent's serve channel end to end: SshPool + ServeChannel against the
// real agent on a loopback OpenSSH fleet (tests/support/SshFleet, hosts at
// 127.0.0.66-67). Warm calls are served; an agent without serve, or none at
// all, falls back to one-shot; a killed server is restarted once, then the
// host falls back; a wedged one is replaced; timeouts and cancels leave the
// channel usable and nothing running; concurrent requests on one host get their own answers.
#include "SshFleet.h"
#include "TestStore.h"
#include "fleet/AgentProtocol.h"
#include "fleet/AgentServe.h"
#include "ssh/SshJob.h"
#include "ssh/SshPool.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QtTest>

using namespace chom;
using chom::test::SshFleet;
using chom::test::TempCore;

namespace {

const QString kSource = QStringLiteral(CHOM_SOURCE_DIR "/resources/agent/chom-agent");

bool writeExecutable(const QString& path, const QByteArray& text)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size() &&
           f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                            QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                            QFile::ExeOther);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestServe : public QObject
{
    Q_OBJECT
    SshFleet m_fleet;
    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<SshPool> m_pool;

    SshFleet::Host host(int i) const { return m_fleet.hosts().at(i); }
    SshTarget target(int i) const
    {
        const auto h = host(i);
        return {h.address, h.port, m_fleet.user(), Id(i + 1)};
    }
    QString binDir(int i) const { return host(i).sandbox + QStringLiteral("/opt/chom-agent/bin"); }

    // The agent as installed, behind a wrapper that makes `diag` hang while
    // the sandbox holds the file "hang" when a process starts.
    bool install(int i, const QByteArray& script)
    {
        const QString real = binDir(i) + QStringLiteral("/chom-agent.real");
        const QByteArray wrapper =
            "#!/bin/bash\n"
            "if [[ -e $CHOM_AGENT_ROOT/hang ]]; then export CHOM_AGENT_TEST_FAIL=diag.run:hang; "
            "fi\n"
            "exec bash \"$CHOM_AGENT_ROOT/opt/chom-agent/bin/chom-agent.real\" \"$@\"\n";
        return writeExecutable(real, script) &&
               writeExecutable(binDir(i) + QStringLiteral("/chom-agent"), wrapper) &&
               QProcess::execute(QStringLiteral("chown"),
                                 {QStringLiteral("-R"), m_fleet.user(), host(i).sandbox}) == 0;
    }
    void setHang(int i, bool on)
    {
        const QString f = host(i).sandbox + QStringLiteral("/hang");
        if (on)
            QVERIFY(writeExecutable(f, "1\n"));
        else
            QFile::remove(f);
    }
    // The serve processes of host i, killed as a crash would end them.
    bool serverRunning(int i) const
    {
        return SshFleet::processRunning(binDir(i) + QStringLiteral("/chom-agent.real serve"));
    }
    void crashServer(int i, bool waitGone = true)
    {
        QProcess::execute(QStringLiteral("pkill"),
                          {QStringLiteral("-KILL"), QStringLiteral("-f"),
                           binDir(i) + QStringLiteral("/chom-agent.real serve")});
        if (waitGone) // (a request in flight restarts it at once)
            QTRY_VERIFY(!serverRunning(i));
    }
    // The hanging diag's tool, on a fleet host (they run as the fleet user).
    bool hangRunning() const
    {
        QProcess p;
        p.start(QStringLiteral("pgrep"), {QStringLiteral("-u"), m_fleet.user(),
                                          QStringLiteral("-f"), QStringLiteral("^sleep 3600$")});
        p.waitForFinished(5000);
        return !p.readAllStandardOutput().trimmed().isEmpty();
    }

    static SshCommand agentCommand(const QString& name, const QStringList& args = {},
                                   int commandMs = 20000)
    {
        auto call = agent::call(name, args);
        SshCommand c;
        c.command = call.value().line;
        c.stdinData = call.value().input;
        c.serve = agent::serveCall(name, args);
        c.timeouts.connectMs = 5000;
        c.timeouts.authMs = 5000;
        c.timeouts.commandMs = commandMs;
        c.timeouts.silenceMs = commandMs;
        return c;
    }
    SshResult call(int i, const QString& name, const QStringList& args = {})
    {
        return m_pool->run(target(i), agentCommand(name, args));
    }
    // Opens host i's session (first request, one-shot) and starts its server.
    void warm(int i)
    {
        QVERIFY(!call(i, QStringLiteral("version")).served);
        QVERIFY(call(i, QStringLiteral("version")).served);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!SshFleet::available())
            QSKIP(qPrintable(SshFleet::unavailableReason()));
        QVERIFY2(m_fleet.start(2, 66), qPrintable(m_fleet.error()));
        const QByteArray agentScript = readAll(kSource);
        QVERIFY(!agentScript.isEmpty());
        for (int i = 0; i < 2; ++i) {
            QVERIFY(install(i, agentScript));
            QVERIFY(writeExecutable(host(i).sandbox + QStringLiteral("/etc/chom-agent/services"),
                                    "nginx=running\nphp_fpm=running\nmariadb=absent\n"));
        }
    }
    void init()
    {
        m_t = std::make_unique<TempCore>();
        SshPool::Config c;
        c.trustNewHostKeys = true;
        m_pool = std::make_unique<SshPool>(m_t->core->store(), c);
        SshIdentity id;
        id.privateKeyPath = m_fleet.clientKeyPath();
        m_pool->setIdentity(id);
    }
    void cleanup()
    {
        m_pool.reset();
        m_t.reset();
        setHang(0, false);
        QVERIFY(install(0, readAll(kSource)));
        QTRY_VERIFY(!serverRunning(0));
    }

    void warmCallsAreServed()
    {
        for (int n = 0; n < 5; ++n) {
            const SshResult r = call(0, QStringLiteral("version"));
            const AgentReply a = agent::classify(r);
            QVERIFY2(a.ok(), qPrintable(a.message));
            QCOMPARE(r.served, n > 0); // a session's first request runs one-shot
            QCOMPARE(a.data.value(QLatin1String("version")).toString(), agent::bundledVersion());
        }
        QVERIFY(serverRunning(0));
        // Arguments cross the serve framing untouched.
        const QStringList hostile{QStringLiteral("a\nb"), QStringLiteral("$(id)"), QString(),
                                  QStringLiteral("'\";|")};
        const AgentReply echo = agent::classify(call(0, QStringLiteral("args:echo"), hostile));
        QVERIFY2(echo.ok(), qPrintable(echo.message));
        QCOMPARE(echo.data.value(QLatin1String("argv")).toVariant().toStringList(), hostile);
        // Errors keep their one-shot codes.
        const AgentReply bad =
            agent::classify(call(0, QStringLiteral("site:info"), {QStringLiteral("a..b")}));
        QVERIFY(bad.kind == AgentReply::Kind::AgentError);
        QCOMPARE(bad.code, QStringLiteral("INVALID_DOMAIN"));
        // Writes and the like are never sent to the server.
        QVERIFY(!agent::servable(QStringLiteral("site:create")));
        // Closing the session ends the server.
        m_pool.reset();
        QTRY_VERIFY(!serverRunning(0));
    }

    void anUploadedAgentReplacesTheServer()
    {
        warm(0);
        QByteArray next = readAll(kSource);
        const QByteArray line = QByteArray("readonly AGENT_VERSION=\"")
                                    .append(agent::bundledVersion().toUtf8())
                                    .append('"');
        QVERIFY(next.contains(line));
        next.replace(line, "readonly AGENT_VERSION=\"9.9.9\"");
        SshCommand up;
        up.uploadPath = binDir(0) + QStringLiteral("/chom-agent.real");
        up.uploadData = next;
        QVERIFY2(m_pool->run(target(0), up).error == SshErrorKind::None, "upload failed");
        const SshResult r = call(0, QStringLiteral("version"));
        const AgentReply a = agent::classify(r);
        QVERIFY2(a.ok(), qPrintable(a.message));
        QVERIFY(r.served);
        QCOMPARE(a.data.value(QLatin1String("version")).toString(), QStringLiteral("9.9.9"));
    }

    // Servers that break the protocol: the request is never lost, it ends up
    // answered one-shot (after one restart where the server had said hello).
    void aServerThatBreaksTheProtocolFallsBack_data()
    {
        QTest::addColumn<QByteArray>("serve"); // bash: what `serve` does after reading a line
        const QByteArray hello = "printf '%s\\n' '{\"id\":0,\"ok\":true,\"agent\":\"1.2.0\","
                                 "\"command\":\"serve\",\"data\":{\"protocol\":1}}'\n";
        QTest::newRow("a reply for an id never sent")
            << hello + "while IFS= read -r l; do [[ $l =~ \\\"id\\\":([0-9]+) ]] && printf "
                       "'{\"id\":%d,\"ok\":true}\\n' $((BASH_REMATCH[1] + 1000)); done\n";
        QTest::newRow("a line that is not a reply")
            << hello + "while IFS= read -r l; do echo garbage; done\n";
        QTest::newRow("a line over the cap")
            << hello + "while IFS= read -r l; do head -c 1100000 /dev/zero | tr '\\0' x; done\n";
        QTest::newRow("it ends after the hello") << hello + "exit 0\n";
        QTest::newRow("no hello: it reads its input to the end") << QByteArray("cat >/dev/null\n");
        QTest::newRow("a hello of another protocol")
            << QByteArray("printf '%s\\n' '{\"id\":0,\"ok\":true,\"command\":\"serve\","
                          "\"data\":{\"protocol\":9}}'; sleep 30\n");
    }
    void aServerThatBreaksTheProtocolFallsBack()
    {
        QFETCH(QByteArray, serve);
        QVERIFY(install(0, "#!/bin/bash\nif [[ ${1-} == serve ]]; then\n" + serve +
                               "exit 0\nfi\nprintf '%s\\n' '{\"ok\":true,\"agent\":\"1.2.0\","
                               "\"command\":\"version\",\"data\":{\"version\":\"one-shot\"}}'\n"));
        for (int n = 0; n < 3; ++n) {
            const SshResult r = call(0, QStringLiteral("version"));
            const AgentReply a = agent::classify(r);
            QVERIFY2(a.ok(), qPrintable(a.message + QString::fromUtf8(r.out.left(200))));
            QCOMPARE(a.data.value(QLatin1String("version")).toString(), QStringLiteral("one-shot"));
            QVERIFY(!r.served);
        }
    }

    void anAgentWithoutServeFallsBackToOneShot()
    {
        QByteArray old = readAll(kSource);
        old.replace("register serve ", "true register-serve ");
        QVERIFY(install(0, old));
        for (int n = 0; n < 3; ++n) {
            const SshResult r = call(0, QStringLiteral("health"));
            const AgentReply a = agent::classify(r);
            QVERIFY2(a.ok(), qPrintable(a.message));
            QVERIFY(!r.served);
        }
    }

    void aMissingAgentIsReportedAsMissing()
    {
        QFile::remove(binDir(0) + QStringLiteral("/chom-agent"));
        for (int n = 0; n < 3; ++n) { // one-shot, then the server start fails, then one-shot
            const AgentReply a = agent::classify(call(0, QStringLiteral("version")));
            QVERIFY2(a.kind == AgentReply::Kind::AgentMissing, qPrintable(a.message));
        }
    }

    void aKilledServerIsRestartedOnceThenTheHostFallsBack()
    {
        warm(0);
        crashServer(0);
        const SshResult again = call(0, QStringLiteral("health"));
        QVERIFY2(agent::classify(again).ok(), qPrintable(again.message));
        QVERIFY(again.served); // the restarted server answered
        crashServer(0);
        const SshResult last = call(0, QStringLiteral("health"));
        QVERIFY2(agent::classify(last).ok(), qPrintable(last.message));
        QVERIFY(!last.served); // one restart only: one-shot from now on
        QVERIFY(!call(0, QStringLiteral("version")).served);
    }

    void aServerKilledMidRequestAnswersAfterItsRestart()
    {
        setHang(0, true);
        warm(0);
        auto job = m_pool->submit(target(0),
                                  agentCommand(QStringLiteral("diag"), {QStringLiteral("uptime")}));
        QTRY_VERIFY(hangRunning());
        setHang(0, false); // the restarted server answers normally
        crashServer(0, false);
        const SshResult r = job->wait();
        const AgentReply a = agent::classify(r);
        QVERIFY2(a.ok(), qPrintable(a.message + QString::fromUtf8(r.out)));
        QVERIFY(r.served);
        QTRY_VERIFY(!hangRunning()); // the old server's group went with it
    }

    void aTimeoutAbandonsTheRequestAndKeepsTheChannel()
    {
        setHang(0, true);
        warm(0); // hangs only diag
        const SshResult r = m_pool->run(
            target(0), agentCommand(QStringLiteral("diag"), {QStringLiteral("uptime")}, 1500));
        QVERIFY2(r.error == SshErrorKind::CommandTimeout,
                 qPrintable(toString(r.error) + r.message));
        QTRY_VERIFY(!hangRunning());
        const SshResult next = call(0, QStringLiteral("health"));
        QVERIFY2(agent::classify(next).ok(), qPrintable(next.message));
        QVERIFY(next.served);
        QCOMPARE(agent::parseEnvelope(next.out).value(QLatin1String("command")).toString(),
                 QStringLiteral("health"));
    }

    void aCancelAbandonsTheRequestAndKeepsTheChannel()
    {
        setHang(0, true);
        warm(0);
        auto job = m_pool->submit(target(0),
                                  agentCommand(QStringLiteral("diag"), {QStringLiteral("uptime")}));
        QTRY_VERIFY(hangRunning());
        m_pool->cancel(job->id());
        QVERIFY(job->wait().error == SshErrorKind::Cancelled);
        QTRY_VERIFY(!hangRunning());
        const SshResult next = call(0, QStringLiteral("version"));
        QVERIFY2(agent::classify(next).ok(), qPrintable(next.message));
        QVERIFY(next.served);
    }

    void aWedgedServerIsReplaced()
    {
        warm(0);
        QProcess::execute(QStringLiteral("pkill"),
                          {QStringLiteral("-STOP"), QStringLiteral("-f"),
                           binDir(0) + QStringLiteral("/chom-agent.real serve")});
        const SshResult r =
            m_pool->run(target(0), agentCommand(QStringLiteral("version"), {}, 1500));
        QVERIFY2(r.error == SshErrorKind::CommandTimeout, qPrintable(r.message));
        // Not even the cancel is answered: the server is killed and started again.
        const SshResult next = call(0, QStringLiteral("health"));
        QVERIFY2(agent::classify(next).ok(), qPrintable(next.message));
        QVERIFY(next.served);
    }

    void concurrentRequestsOnOneHost()
    {
        warm(1);
        QVector<std::shared_ptr<SshJob>> jobs;
        for (int n = 0; n < 24; ++n)
            jobs << m_pool->submit(target(1), agentCommand(QStringLiteral("args:echo"),
                                                           {QStringLiteral("v%1").arg(n)}));
        for (int n = 0; n < jobs.size(); ++n) {
            const SshResult r = jobs.at(n)->wait();
            const AgentReply a = agent::classify(r);
            QVERIFY2(a.ok(), qPrintable(a.message));
            QVERIFY(r.served);
            QCOMPARE(a.data.value(QLatin1String("argv")).toArray().at(0).toString(),
                     QStringLiteral("v%1").arg(n));
        }
        QCOMPARE(m_pool->openSessions(), 1);
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
