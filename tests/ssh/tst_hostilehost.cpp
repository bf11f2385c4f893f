// The SSH layer against compromised hosts (tests/support/HostileHost): a
// flood on stdout or stderr, megabytes without a newline, and the agent
// upload replacing a file while something watches it.
#include "HostileHost.h"
#include "TestStore.h"
#include "fleet/AgentProtocol.h"
#include "ssh/LineSplitter.h"
#include "ssh/RemoteProcessGroup.h"
#include "ssh/SshPool.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QThread>
#include <QtTest>

#include <atomic>

using namespace chom;
using chom::test::HostileHost;
using chom::test::SshFleet;
using chom::test::TempCore;

namespace {

SshCommand cmd(const QString& c)
{
    SshCommand s;
    s.command = c;
    s.timeouts.connectMs = 5000;
    s.timeouts.authMs = 5000;
    s.timeouts.commandMs = 60000;
    s.timeouts.silenceMs = 30000;
    return s;
}

} // namespace

class TestHostileHost : public QObject
{
    Q_OBJECT
    HostileHost m_hosts;
    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<SshPool> m_pool;

    SshTarget target(int i)
    {
        const auto h = m_hosts.fleet().hosts().at(i);
        return {h.address, h.port, m_hosts.fleet().user(), Id(i + 1)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!SshFleet::available())
            QSKIP("needs root and /usr/sbin/sshd (the CI runs as root with openssh-server "
                  "installed)");
        QVERIFY2(m_hosts.start(2, 60), qPrintable(m_hosts.error()));
    }
    void init()
    {
        m_t = std::make_unique<TempCore>();
        SshPool::Config c;
        c.trustNewHostKeys = true;
        m_pool = std::make_unique<SshPool>(m_t->core->store(), c);
        SshIdentity id;
        id.privateKeyPath = m_hosts.fleet().clientKeyPath();
        m_pool->setIdentity(id);
        QVERIFY(m_hosts.setMode(0, QString()));
    }
    void cleanup()
    {
        m_pool.reset();
        m_t.reset();
    }
    void cleanupTestCase() { m_hosts.stop(); }

    void stdoutFloodIsCappedAndTheSessionSurvives()
    {
        QVERIFY(m_hosts.setMode(0, QStringLiteral("flood-lines 3000000000")));
        SshCommand c = cmd(QStringLiteral("chom-agent health"));
        c.maxOutputBytes = 1 << 20;
        const SshResult r = m_pool->run(target(0), c);
        QCOMPARE(toString(r.error), toString(SshErrorKind::OutputTooLarge));
        QCOMPARE(toString(r.error), QStringLiteral("output_too_large"));
        QVERIFY(r.out.size() <= c.maxOutputBytes);
        QVERIFY2(r.message.contains(QStringLiteral("stdout")), qPrintable(r.message));
        QCOMPARE(toError(r).code, QStringLiteral("output_too_large"));
        QVERIFY(toError(r).kind() == ErrorKind::Remote);
        // The flood's channel is closed; the session serves the next command.
        QVERIFY(m_hosts.setMode(0, QString()));
        const SshResult next = m_pool->run(target(0), cmd(QStringLiteral("echo after")));
        QVERIFY2(next.ok(), qPrintable(next.message));
        QCOMPARE(next.out, QByteArray("after\n"));
    }

    void stderrFloodIsCapped()
    {
        QVERIFY(m_hosts.setMode(0, QStringLiteral("flood-lines 3000000000 err")));
        SshCommand c = cmd(QStringLiteral("true"));
        c.maxOutputBytes = 256 * 1024;
        const SshResult r = m_pool->run(target(0), c);
        QCOMPARE(toString(r.error), toString(SshErrorKind::OutputTooLarge));
        QVERIFY(r.err.size() <= c.maxOutputBytes);
        QVERIFY2(r.message.contains(QStringLiteral("stderr")), qPrintable(r.message));
    }

    void theDefaultCapHolds()
    {
        QVERIFY(m_hosts.setMode(0, QStringLiteral("flood-raw 3000000000")));
        const SshResult r = m_pool->run(target(0), cmd(QStringLiteral("true")));
        QCOMPARE(toString(r.error), toString(SshErrorKind::OutputTooLarge));
        QVERIFY(r.out.size() <= SshCommand::kDefaultMaxOutputBytes);
    }

    // Megabytes without a newline arrive as one line; the search for the
    // newline looks at each byte once.
    void oneLongLineArrivesWhole()
    {
        const int size = 4 * 1024 * 1024;
        QVERIFY(m_hosts.setMode(0, QStringLiteral("flood-raw %1").arg(size)));
        SshCommand c = cmd(QStringLiteral("true"));
        c.maxOutputBytes = 8 * 1024 * 1024;
        const SshResult r = m_pool->run(target(0), c);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.out.size(), size);
    }

    void lineSplitterScansEachByteOnce()
    {
        LineSplitter s;
        QList<QByteArray> lines;
        const auto sink = [&](const QByteArray& l) { lines << l; };
        const QByteArray chunk(16384, 'x');
        for (int i = 0; i < 256; ++i) // 4 MiB, no newline
            s.feed(chunk.constData(), chunk.size(), sink);
        QVERIFY(lines.isEmpty());
        QCOMPARE(s.scannedBytes(), qint64(256) * chunk.size());
        s.feed("a\nb\n\nc", 6, sink);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines.at(0).size(), 256 * 16384 + 1);
        QCOMPARE(lines.at(1), QByteArray("b"));
        QCOMPARE(lines.at(2), QByteArray());
        QCOMPARE(s.pendingBytes(), 1);
        s.flush(sink);
        QCOMPARE(lines.last(), QByteArray("c"));
        QCOMPARE(s.scannedBytes(), qint64(256) * chunk.size() + 6);
    }

    void oversizedCommandIsRefusedBeforeSending()
    {
        const int before = int(m_hosts.commandsSeen(0).size());
        const QString big = QStringLiteral("echo ") + QString(200 * 1024, QLatin1Char('y'));
        const SshResult r = m_pool->run(target(0), cmd(big));
        QCOMPARE(toString(r.error), toString(SshErrorKind::InvalidArgument));
        QCOMPARE(toString(r.error), QStringLiteral("invalid_argument"));
        QVERIFY2(r.message.contains(QStringLiteral("stdin")), qPrintable(r.message));
        QCOMPARE(int(m_hosts.commandsSeen(0).size()), before);
        const QString fits = QStringLiteral("echo ") + QString(100 * 1024, QLatin1Char('y'));
        QVERIFY(m_pool->run(target(0), cmd(fits)).ok());
    }

    void nonPosixLoginShellIsRefused()
    {
        for (const char* shell : {"/usr/bin/fish", "/bin/tcsh", "/bin/csh"}) {
            QVERIFY(m_hosts.setMode(0, QStringLiteral("login-shell %1").arg(QLatin1String(shell))));
            m_pool->closeAll();
            const SshResult r = m_pool->run(target(0), cmd(QStringLiteral("echo ran")));
            QCOMPARE(toString(r.error), QStringLiteral("unsupported_shell"));
            QVERIFY2(r.message.contains(QLatin1String(shell)), qPrintable(r.message));
            QVERIFY(!m_hosts.commandsSeen(0).contains(QStringLiteral("echo ran")));
        }
        QVERIFY(m_hosts.setMode(0, QStringLiteral("login-shell /bin/bash")));
        m_pool->closeAll();
        QVERIFY(m_pool->run(target(0), cmd(QStringLiteral("echo ran"))).ok());
    }

    // Agent arguments never cross the login shell: the command line is
    // constant text and the values arrive on stdin, framed.
    void agentArgumentsTravelOnStdin()
    {
        const QString hostile = QStringLiteral("x'\\'; touch /tmp/chom-pwned #\n$(id)`id`!");
        auto call = agent::call(QStringLiteral("diag"), {hostile, QStringLiteral("second")});
        QVERIFY(call);
        QVERIFY(!call.value().line.contains(QLatin1String("touch")));
        QVERIFY(m_hosts.setReply(0, "{\"ok\":true,\"agent\":\"1.0.0\",\"data\":{}}\n"));
        QVERIFY(m_hosts.setMode(0, QStringLiteral("reply 0")));
        SshCommand c = cmd(call.value().line);
        c.stdinData = call.value().input;
        const SshResult r = m_pool->run(target(0), c);
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(m_hosts.commandsSeen(0).last(),
                 QString::fromUtf8(RemoteProcessGroup::wrap(call.value().line.toUtf8())));
        QCOMPARE(m_hosts.lastStdin(0),
                 QByteArray("chom-args 2\n") + hostile.toUtf8() + '\0' + "second" + '\0');
        QVERIFY(!agent::call(QStringLiteral("diag; id"), {}));
        QVERIFY(!agent::call(QStringLiteral("diag"), {QStringLiteral("a") + QChar(0)}));
        QCOMPARE(agent::call(QStringLiteral("version")).value().input, QByteArray());
    }

    // A command that times out or is cancelled leaves nothing running on the
    // host, children included, although sshd refuses signal requests for
    // forced-command sessions like these.
    void timeoutAndCancelLeaveNothingRunning()
    {
        const auto running = &SshFleet::processRunning;
        SshCommand slow = cmd(QStringLiteral("sleep 7771 & sleep 7772; echo never"));
        slow.timeouts.commandMs = 800;
        const SshResult r = m_pool->run(target(0), slow);
        QCOMPARE(toString(r.error), QStringLiteral("command_timeout"));
        QVERIFY(r.err.isEmpty()); // the group header is not the command's stderr
        QTRY_VERIFY_WITH_TIMEOUT(!running(QStringLiteral("sleep 777[12]")), 5000);

        auto job = m_pool->submit(target(0), cmd(QStringLiteral("sleep 7773 & sleep 7774")));
        QTRY_VERIFY_WITH_TIMEOUT(running(QStringLiteral("sleep 777[34]")), 5000);
        job->cancel();
        QCOMPARE(toString(job->wait().error), QStringLiteral("cancelled"));
        QTRY_VERIFY_WITH_TIMEOUT(!running(QStringLiteral("sleep 777[34]")), 5000);
        // The session still serves the next command, its stderr intact.
        const SshResult next =
            m_pool->run(target(0), cmd(QStringLiteral("echo oops >&2; echo ok")));
        QVERIFY2(next.ok(), qPrintable(next.message));
        QCOMPARE(next.err, QByteArray("oops\n"));
    }

    void groupHeaderIsParsedAcrossChunks()
    {
        RemoteProcessGroup g;
        QCOMPARE(g.take("chom-p", 6), 0);
        QCOMPARE(g.take("gid:4242\nreal err", 17), 8);
        QCOMPARE(g.pgid(), 4242);
        QCOMPARE(g.take("more", 4), 4);
        RemoteProcessGroup none;
        QCOMPARE(none.take("plain stderr\n", 13), 13);
        QCOMPARE(none.pgid(), 0);
        RemoteProcessGroup forged;
        QCOMPARE(forged.take("chom-pgid:1\n", 12), 0);
        QCOMPARE(forged.pgid(), 0); // never the whole system
    }

    // The upload moves the new file over the old one in one rename: a
    // reader never finds the path missing.
    void uploadReplacesAtomically()
    {
        const QString path =
            m_hosts.fleet().hosts().at(1).sandbox + QStringLiteral("/opt/chom-agent/bin/tool");
        std::atomic<bool> stop{false};
        std::atomic<int> missing{0};
        std::atomic<int> looks{0};
        SshCommand up = cmd(QString());
        up.uploadPath = path;
        up.uploadData = QByteArray(64 * 1024, 'a');
        QVERIFY2(m_pool->run(target(1), up).ok(), "first upload");
        QThread* watcher = QThread::create([&] {
            while (!stop.load()) {
                if (!QFileInfo::exists(path))
                    ++missing;
                ++looks;
            }
        });
        watcher->start();
        for (int i = 0; i < 20; ++i) {
            up.uploadData = QByteArray(64 * 1024, char('b' + i));
            const SshResult r = m_pool->run(target(1), up);
            QVERIFY2(r.ok(), qPrintable(r.message));
        }
        stop.store(true);
        watcher->wait();
        delete watcher;
        QVERIFY(looks.load() > 0);
        QCOMPARE(missing.load(), 0);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), up.uploadData);
        QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    }
};

QTEST_GUILESS_MAIN(TestHostileHost)
#include "tst_hostilehost.moc"
