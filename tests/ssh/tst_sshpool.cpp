// The SSH pool against a real OpenSSH fleet on loopback (tests/support/SshFleet).
#include "SshFleet.h"
#include "TestStore.h"
#include "secrets/EncryptedFileSecretStore.h"
#include "ssh/ShellQuote.h"
#include "ssh/SshKeys.h"
#include "ssh/SshPool.h"
#include "store/HostKeyStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QtTest>

using namespace chom;
using chom::test::SshFleet;
using chom::test::TempCore;

namespace {

SshCommand cmd(const QString& c, int commandMs = 20000)
{
    SshCommand s;
    s.command = c;
    s.timeouts.connectMs = 5000;
    s.timeouts.authMs = 5000;
    s.timeouts.commandMs = commandMs;
    s.timeouts.silenceMs = commandMs;
    return s;
}

const QString kAgent = QStringLiteral("\"$CHOM_AGENT_ROOT\"/opt/chom-agent/bin/chom-agent");

} // namespace

class TestSshPool : public QObject
{
    Q_OBJECT
private:
    SshFleet m_fleet;
    std::unique_ptr<TempCore> m_t;

    SshTarget target(int i) const
    {
        const auto h = m_fleet.hosts().at(i);
        return {h.address, h.port, m_fleet.user(), Id(i + 1)};
    }
    std::unique_ptr<SshPool> makePool(SshPool::Config c = {}, bool trustNew = true)
    {
        c.trustNewHostKeys = trustNew;
        auto pool = std::make_unique<SshPool>(m_t->core->store(), c);
        SshIdentity id;
        id.privateKeyPath = m_fleet.clientKeyPath();
        id.name = QStringLiteral("fleet key");
        pool->setIdentity(id);
        return pool;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!SshFleet::available())
            QSKIP("needs root and /usr/sbin/sshd (the CI runs as root with openssh-server "
                  "installed)");
        QVERIFY2(m_fleet.start(4, 40), qPrintable(m_fleet.error()));
        for (int i = 0; i < m_fleet.hosts().size(); ++i)
            QVERIFY(m_fleet.installAgent(i));
    }
    void init() { m_t = std::make_unique<TempCore>(); }
    void cleanup() { m_t.reset(); }

    void oneHandshakeServesManyCommands()
    {
        auto pool = makePool();
        const int before = m_fleet.acceptedAuthCount(0);
        for (int i = 0; i < 30; ++i) {
            const SshResult r = pool->run(target(0), cmd(QStringLiteral("echo n%1").arg(i)));
            QVERIFY2(r.ok(), qPrintable(r.message));
            QCOMPARE(r.out, QByteArray("n") + QByteArray::number(i) + '\n');
            QCOMPARE(r.reusedSession, i > 0);
        }
        QCOMPARE(pool->openSessions(), 1);
        QTRY_COMPARE(m_fleet.acceptedAuthCount(0), before + 1);
    }

    void concurrentChannelsOnOneSession()
    {
        auto pool = makePool();
        QElapsedTimer t;
        t.start();
        QVector<std::shared_ptr<SshJob>> jobs;
        for (int i = 0; i < 6; ++i)
            jobs << pool->submit(target(1), cmd(QStringLiteral("sleep 1; echo done%1").arg(i)));
        for (auto& j : jobs)
            QVERIFY2(j->wait().ok(), qPrintable(j->wait().message));
        QVERIFY2(t.elapsed() < 4000,
                 "six 1 s commands must overlap on one session"); // not a speed claim: sequential
                                                                  // would be ≥ 6 s
    }

    // A command queued while another runs on the same host gets its own
    // channel at once: it must not wait behind the long one.
    void laterCommandDoesNotWaitBehindALongOne()
    {
        auto pool = makePool();
        QVERIFY(pool->run(target(1), cmd(QStringLiteral("true"))).ok()); // session open
        auto slow = pool->submit(target(1), cmd(QStringLiteral("sleep 4; echo slow"), 20000));
        QTest::qWait(300); // the slow command is running now
        auto quick = pool->submit(target(1), cmd(QStringLiteral("echo quick")));
        const SshResult r = quick->wait();
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.out, QByteArray("quick\n"));
        QVERIFY2(!slow->isFinished(), "the quick command waited for the slow one to end");
        QVERIFY(slow->wait().ok());
        QCOMPARE(pool->openSessions(), 1);
    }

    void streamsLinesAndExitStatus()
    {
        auto pool = makePool();
        QSignalSpy lines(pool.get(), &SshPool::jobOutput);
        const SshResult r =
            pool->run(target(0), cmd(QStringLiteral("printf 'a\\nb\\n'; echo oops >&2; exit 7")));
        QVERIFY(r.error == SshErrorKind::None);
        QCOMPARE(r.exitStatus, 7);
        QVERIFY(!r.ok());
        QCOMPARE(r.err, QByteArray("oops\n"));
        QTRY_COMPARE(lines.count(), 3);
        QStringList got;
        for (const auto& l : lines)
            got << QStringLiteral("%1:%2").arg(l.at(1).toInt()).arg(l.at(2).toString());
        got.sort();
        QCOMPARE(got, (QStringList{"1:a", "1:b", "2:oops"}));
    }

    void reconnectsTransparentlyAfterServerKillsSession()
    {
        auto pool = makePool();
        QVERIFY(pool->run(target(2), cmd(QStringLiteral("true"))).ok());
        const int auths = m_fleet.acceptedAuthCount(2);
        // Kill the per-connection sshd children of this host (not the listener).
        QProcess::execute(QStringLiteral("pkill"),
                          {QStringLiteral("-f"), QStringLiteral("^sshd: chomfleet")});
        QTest::qWait(300);
        const SshResult r = pool->run(target(2), cmd(QStringLiteral("echo again")));
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(r.out, QByteArray("again\n"));
        QTRY_COMPARE(m_fleet.acceptedAuthCount(2), auths + 1);
    }

    void tarpitTimesOut()
    {
        chom::test::TcpTarpit tarpit;
        QVERIFY(tarpit.listen(QStringLiteral("127.0.0.99")));
        auto pool = makePool();
        SshCommand c = cmd(QStringLiteral("true"));
        c.timeouts.connectMs = 1500;
        QElapsedTimer t;
        t.start();
        const SshResult r =
            pool->run({QStringLiteral("127.0.0.99"), tarpit.port(), QStringLiteral("x")}, c);
        QCOMPARE(toString(r.error), QStringLiteral("timeout"));
        QVERIFY(t.elapsed() < 10000);
        QVERIFY(!r.message.isEmpty());
    }

    void refusedIsClassified()
    {
        auto pool = makePool();
        const SshResult r = pool->run({QStringLiteral("127.0.0.98"), 2222, QStringLiteral("x")},
                                      cmd(QStringLiteral("true")));
        QCOMPARE(toString(r.error), QStringLiteral("refused"));
    }

    void cancelStopsALongCommand()
    {
        auto pool = makePool();
        const QString marker =
            QStringLiteral("sleep 41.%1").arg(QCoreApplication::applicationPid());
        auto job = pool->submit(target(3), cmd(marker, 60000));
        QTest::qWait(800);
        QElapsedTimer t;
        t.start();
        job->cancel();
        const SshResult r = job->wait();
        QCOMPARE(toString(r.error), QStringLiteral("cancelled"));
        QVERIFY(t.elapsed() < 3000);
        // The remote process is gone too (the fleet runs on this machine).
        QTRY_VERIFY_WITH_TIMEOUT(
            QProcess::execute(QStringLiteral("pgrep"), {QStringLiteral("-f"), marker}) != 0, 5000);
        QVERIFY(pool->run(target(3), cmd(QStringLiteral("true"))).ok()); // session still usable
    }

    void commandAndSilenceTimeouts()
    {
        auto pool = makePool();
        SshCommand c = cmd(QStringLiteral("sleep 5"));
        c.timeouts.commandMs = 700;
        QCOMPARE(toString(pool->run(target(0), c).error), QStringLiteral("command_timeout"));
        c = cmd(QStringLiteral("echo start; sleep 5"));
        c.timeouts.silenceMs = 700;
        const SshResult r = pool->run(target(0), c);
        QCOMPARE(toString(r.error), QStringLiteral("silence"));
        QCOMPARE(r.out, QByteArray("start\n"));
    }

    void firstContactAndChangedHostKey()
    {
        auto strict = makePool({}, /*trustNew*/ false);
        SshResult r = strict->run(target(1), cmd(QStringLiteral("true")));
        QCOMPARE(toString(r.error), QStringLiteral("host_key_unknown"));
        QCOMPARE(r.fingerprint, m_fleet.hostKeyFingerprintSha256());
        QVERIFY(r.message.contains(r.fingerprint));
        // Operator trusts the shown key; then it connects.
        auto trusting = makePool({}, true);
        QVERIFY(trusting->run(target(1), cmd(QStringLiteral("true"))).ok());
        QVERIFY(strict->run(target(1), cmd(QStringLiteral("true"))).ok());
        // The server's key changes: refused by both, naming old and new.
        QVERIFY(m_fleet.rotateHostKey(1));
        trusting->closeAll();
        strict->closeAll();
        QTest::qWait(200);
        for (SshPool* p : {trusting.get(), strict.get()}) {
            r = p->run(target(1), cmd(QStringLiteral("true")));
            QCOMPARE(toString(r.error), QStringLiteral("host_key_changed"));
            QVERIFY(!r.oldFingerprint.isEmpty());
            QVERIFY(r.oldFingerprint != r.fingerprint);
            QVERIFY(r.message.contains(r.oldFingerprint));
            QVERIFY(r.message.contains(r.fingerprint));
        }
        // Explicit re-trust.
        HostKeyStore known(m_t->core->store());
        auto k = known.lookup(target(1).host, target(1).port).value().value();
        QVERIFY(known.forget(k.host, k.port).ok());
        QVERIFY(trusting->run(target(1), cmd(QStringLiteral("true"))).ok());
    }

    void authFailure()
    {
        auto pool = makePool();
        QTemporaryDir dir;
        const QString key = dir.path() + QStringLiteral("/other");
        QCOMPARE(QProcess::execute(QStringLiteral("ssh-keygen"),
                                   {"-q", "-t", "ed25519", "-N", "", "-f", key}),
                 0);
        SshIdentity wrong;
        wrong.privateKeyPath = key;
        pool->setIdentity(wrong);
        const SshResult r = pool->run(target(0), cmd(QStringLiteral("true")));
        QCOMPARE(toString(r.error), QStringLiteral("auth_failed"));
        QVERIFY(pool->breakerState(target(0)) ==
                CircuitBreaker::State::Closed); // not a transport failure
    }

    void passphraseProtectedKeyFromTheSecretStore()
    {
        auto key =
            sshkeys::generateEd25519(QStringLiteral("console-test"), QStringLiteral("open sesame"));
        QVERIFY(key.ok());
        QTemporaryDir dir;
        EncryptedFileSecretStore secrets(dir.filePath(QStringLiteral("secrets.json")),
                                         [] { return QStringLiteral("m"); });
        QVERIFY(sshkeys::save(secrets, QStringLiteral("generated"), key.value()).ok());
        const QString authorized =
            QStringLiteral("/home/%1/.ssh/authorized_keys").arg(m_fleet.user());
        QFile f(authorized);
        QVERIFY(f.open(QIODevice::Append));
        f.write(key->publicKeyLine.toUtf8() + '\n');
        f.close();
        auto pool = makePool();
        pool->setIdentity(sshkeys::load(secrets, QStringLiteral("generated")).value());
        QAtomicInt asked = 0;
        QString answer = QStringLiteral("wrong");
        pool->setPassphraseProvider([&](const QString& name) {
            asked.fetchAndAddOrdered(1);
            return name == QStringLiteral("generated") ? answer : QString();
        });
        SshResult r = pool->run(target(3), cmd(QStringLiteral("echo in")));
        QCOMPARE(toString(r.error), QStringLiteral("auth_failed"));
        QVERIFY(r.message.contains(QStringLiteral("passphrase")));
        answer = QStringLiteral("open sesame");
        r = pool->run(target(3), cmd(QStringLiteral("echo in")));
        QVERIFY2(r.ok(), qPrintable(r.message));
        QCOMPARE(asked.loadRelaxed(), 2);
        // Remove the test key again.
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray all = f.readAll();
        f.close();
        all.replace(QByteArray(key->publicKeyLine.toUtf8() + '\n'), QByteArray());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(all);
    }

    void breakerOpensOnTransportFailuresOnly()
    {
        SshPool::Config c;
        c.breakerThreshold = 2;
        c.breakerCoolDownMs = 600;
        auto pool = makePool(c);
        const SshTarget dead{QStringLiteral("127.0.0.97"), 2222, QStringLiteral("x")};
        QSignalSpy changes(pool.get(), &SshPool::breakerChanged);
        QCOMPARE(toString(pool->run(dead, cmd(QStringLiteral("true"))).error),
                 QStringLiteral("refused"));
        QVERIFY(pool->breakerState(dead) == CircuitBreaker::State::Closed);
        pool->run(dead, cmd(QStringLiteral("true")));
        QVERIFY(pool->breakerState(dead) == CircuitBreaker::State::Open);
        QCOMPARE(toString(pool->run(dead, cmd(QStringLiteral("true"))).error),
                 QStringLiteral("breaker_open"));
        QTest::qWait(700);
        QVERIFY(pool->breakerState(dead) == CircuitBreaker::State::HalfOpen);
        QCOMPARE(toString(pool->run(dead, cmd(QStringLiteral("true"))).error),
                 QStringLiteral("refused")); // the probe
        QVERIFY(pool->breakerState(dead) == CircuitBreaker::State::Open);
        QTRY_VERIFY(changes.count() >= 2);
        // A remote command error never opens it.
        for (int i = 0; i < 4; ++i)
            QCOMPARE(pool->run(target(0), cmd(QStringLiteral("exit 3"))).exitStatus, 3);
        QVERIFY(pool->breakerState(target(0)) == CircuitBreaker::State::Closed);
    }

    void hostileValuesArriveIntact_data()
    {
        QTest::addColumn<QString>("value");
        QTest::newRow("single quote") << "it's";
        QTest::newRow("double quote") << "say \"hi\"";
        QTest::newRow("command subst") << "$(touch /tmp/PWNED-chom)";
        QTest::newRow("backticks") << "`touch /tmp/PWNED-chom`";
        QTest::newRow("semicolon") << "a; touch /tmp/PWNED-chom";
        QTest::newRow("and") << "a && touch /tmp/PWNED-chom";
        QTest::newRow("pipe") << "a | touch /tmp/PWNED-chom";
        QTest::newRow("newline") << "a\ntouch /tmp/PWNED-chom";
        QTest::newRow("variables") << "$HOME ${PATH} $0";
        QTest::newRow("glob") << "* ?";
        QTest::newRow("leading dash") << "--root=/etc";
        QTest::newRow("backslashes") << "a\\'b\\\\";
        QTest::newRow("unicode") << "bücher — ✓";
        QTest::newRow("long") << QString(10000, QLatin1Char('x'));
        QTest::newRow("empty") << "";
    }
    void hostileValuesArriveIntact()
    {
        QFETCH(QString, value);
        QFile::remove(QStringLiteral("/tmp/PWNED-chom"));
        auto pool = makePool();
        auto line =
            shell::join(kAgent, {QStringLiteral("args:echo"), value, QStringLiteral("second")});
        QVERIFY(line.ok());
        const SshResult r = pool->run(target(0), cmd(line.value()));
        QVERIFY2(r.error == SshErrorKind::None, qPrintable(r.message));
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QVERIFY2(o.value(QStringLiteral("ok")).toBool(), r.out.constData());
        const QJsonArray argv =
            o.value(QStringLiteral("data")).toObject().value(QStringLiteral("argv")).toArray();
        QCOMPARE(argv.size(), 2);
        QCOMPARE(argv.at(0).toString(), value);
        QCOMPARE(argv.at(1).toString(), QStringLiteral("second"));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/PWNED-chom")));
    }

    void sftpUploadCreatesParentsAndReplaces()
    {
        auto pool = makePool();
        const QString path =
            m_fleet.hosts().at(2).sandbox + QStringLiteral("/opt/upload-test/bin/tool");
        for (const QByteArray& content :
             {QByteArray("#!/bin/sh\necho v1\n"), QByteArray("#!/bin/sh\necho v2\n")}) {
            SshCommand up = cmd(QString());
            up.uploadPath = path;
            up.uploadData = content;
            const SshResult r = pool->run(target(2), up);
            QVERIFY2(r.ok(), qPrintable(r.message));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QCOMPARE(f.readAll(), content);
            QVERIFY(f.permissions() & QFile::ExeOwner);
        }
        const SshResult run = pool->run(target(2), cmd(shell::quote(path).value()));
        QCOMPARE(run.out, QByteArray("v2\n"));
        SshCommand bad = cmd(QString());
        bad.uploadPath = QStringLiteral("/proc/forbidden/tool");
        bad.uploadData = "x";
        const SshResult r = pool->run(target(2), bad);
        QVERIFY(!r.ok());
        QCOMPARE(toString(r.error), QStringLiteral("channel_failed"));
    }

    // Timeout and cancel stop the command's whole process group on the host.
    void timeoutAndCancelLeaveNothingRunning()
    {
        const auto running = &SshFleet::processRunning;
        auto pool = makePool();
        const SshResult r =
            pool->run(target(3), cmd(QStringLiteral("sleep 7781 & sleep 7782; echo never"), 800));
        QCOMPARE(toString(r.error), QStringLiteral("command_timeout"));
        QTRY_VERIFY_WITH_TIMEOUT(!running(QStringLiteral("sleep 778[12]")), 5000);
        auto job = pool->submit(target(3), cmd(QStringLiteral("sleep 7783 & sleep 7784")));
        QTRY_VERIFY_WITH_TIMEOUT(running(QStringLiteral("sleep 778[34]")), 5000);
        job->cancel();
        QCOMPARE(toString(job->wait().error), QStringLiteral("cancelled"));
        QTRY_VERIFY_WITH_TIMEOUT(!running(QStringLiteral("sleep 778[34]")), 5000);
    }

    void idleSessionsAreClosed()
    {
        SshPool::Config c;
        c.idleCloseMs = 300;
        c.keepaliveMs = 100;
        auto pool = makePool(c);
        QVERIFY(pool->run(target(3), cmd(QStringLiteral("true"))).ok());
        QCOMPARE(pool->openSessions(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(pool->openSessions(), 0, 5000);
        QVERIFY(pool->run(target(3), cmd(QStringLiteral("true"))).ok()); // reopens on demand
    }

    void nulIsRefusedBeforeSending()
    {
        auto line = shell::join(kAgent, {QStringLiteral("args:echo"),
                                         QStringLiteral("a") + QChar(0) + QStringLiteral("b")});
        QVERIFY(!line.ok());
        QCOMPARE(line.error().code, QStringLiteral("invalid_argument"));
    }
};

QTEST_GUILESS_MAIN(TestSshPool)
#include "tst_sshpool.moc"
