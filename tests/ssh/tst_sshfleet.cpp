// Smoke test of the loopback OpenSSH fleet fixture itself, with the stock
// `ssh` client: per-host sandbox environment, auth counting, host down/up,
// host key rotation, the TCP tarpit and a clean teardown.

#include "SshFleet.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using chom::test::SshFleet;
using chom::test::TcpTarpit;

namespace {

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
};

Result runProgram(const QString& program, const QStringList& args, int timeoutMs = 20000)
{
    QProcess p;
    p.start(program, args);
    Result r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        r.err = QStringLiteral("%1 timed out or failed to start: %2").arg(program, p.errorString());
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

// `ssh-keyscan -p PORT ADDR | ssh-keygen -lf -` -> "SHA256:..."
QString scannedFingerprint(const SshFleet::Host& h)
{
    QProcess scan;
    QProcess keygen;
    scan.setStandardOutputProcess(&keygen);
    scan.start(QStringLiteral("ssh-keyscan"),
               {QStringLiteral("-T"), QStringLiteral("5"), QStringLiteral("-t"),
                QStringLiteral("ed25519"), QStringLiteral("-p"), QString::number(h.port),
                h.address});
    keygen.start(QStringLiteral("ssh-keygen"),
                 {QStringLiteral("-l"), QStringLiteral("-f"), QStringLiteral("-")});
    scan.waitForFinished(15000);
    keygen.waitForFinished(15000);
    return QString::fromLocal8Bit(keygen.readAllStandardOutput()).section(QLatin1Char(' '), 1, 1);
}

bool refusesConnections(const SshFleet::Host& h)
{
    QTcpSocket s;
    s.connectToHost(h.address, quint16(h.port));
    if (s.waitForConnected(3000))
        return false;
    return s.error() == QAbstractSocket::ConnectionRefusedError;
}

} // namespace

class TestSshFleet : public QObject
{
    Q_OBJECT

private:
    SshFleet m_fleet;

    Result ssh(int hostIndex, const QString& command)
    {
        return runProgram(QStringLiteral("ssh"), m_fleet.sshArguments(hostIndex) << command);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!SshFleet::available())
            QSKIP(qPrintable(QStringLiteral("no sshd fleet: ") + SshFleet::unavailableReason()));
        if (QStandardPaths::findExecutable(QStringLiteral("ssh")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("ssh-keyscan")).isEmpty())
            QSKIP("the ssh client (openssh-client) is not installed");
        QElapsedTimer t;
        t.start();
        QVERIFY2(m_fleet.start(20), qPrintable(m_fleet.error()));
        qInfo("started 20 sshd hosts in %lld ms", t.elapsed());
        QCOMPARE(m_fleet.hosts().size(), 20);
        QCOMPARE(m_fleet.user(), QStringLiteral("chomfleet"));
    }

    void layout()
    {
        const QVector<SshFleet::Host> hosts = m_fleet.hosts();
        for (int i = 0; i < hosts.size(); ++i) {
            const SshFleet::Host& h = hosts.at(i);
            QCOMPARE(h.address, QStringLiteral("127.0.0.%1").arg(10 + i));
            QCOMPARE(h.port, 2222);
            QCOMPARE(h.name, QStringLiteral("h%1").arg(i, 2, 10, QLatin1Char('0')));
            QCOMPARE(h.sandbox, m_fleet.dir() + QStringLiteral("/hosts/") + h.name);
            QCOMPARE(QFileInfo(h.sandbox).owner(), QStringLiteral("chomfleet"));
        }
        QVERIFY(QFileInfo::exists(m_fleet.clientKeyPath()));
        QVERIFY(m_fleet.clientPublicKey().startsWith(QLatin1String("ssh-ed25519 ")));
        QVERIFY(m_fleet.hostKeyFingerprintSha256().startsWith(QLatin1String("SHA256:")));
        QVERIFY(
            m_fleet.knownHostsLine(0).startsWith(QLatin1String("[127.0.0.10]:2222 ssh-ed25519 ")));
    }

    void sessionGetsItsHostsSandbox_data()
    {
        QTest::addColumn<int>("index");
        QTest::newRow("first") << 0;
        QTest::newRow("middle") << 7;
        QTest::newRow("last") << 19;
    }

    void sessionGetsItsHostsSandbox()
    {
        QFETCH(int, index);
        const SshFleet::Host h = m_fleet.hosts().at(index);
        QCOMPARE(m_fleet.acceptedAuthCount(index), 0);

        const Result r =
            ssh(index,
                QStringLiteral("echo $CHOM_AGENT_ROOT; id -un; touch \"$CHOM_AGENT_ROOT/probe\""));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.value(0), h.sandbox);
        QCOMPARE(lines.value(1), QStringLiteral("chomfleet"));
        // The session user can write its sandbox.
        QCOMPARE(QFileInfo(h.sandbox + QStringLiteral("/probe")).owner(),
                 QStringLiteral("chomfleet"));
        QCOMPARE(m_fleet.acceptedAuthCount(index), 1);
    }

    void hostDownAndBack()
    {
        const int index = 3;
        const SshFleet::Host h = m_fleet.hosts().at(index);
        QVERIFY(!refusesConnections(h));
        QVERIFY2(m_fleet.stopHost(index), qPrintable(m_fleet.error()));
        QVERIFY(refusesConnections(h));
        // The neighbours are unaffected.
        QVERIFY(!refusesConnections(m_fleet.hosts().at(index + 1)));
        QVERIFY2(m_fleet.startHost(index), qPrintable(m_fleet.error()));
        QVERIFY(!refusesConnections(h));
        const Result r = ssh(index, QStringLiteral("echo $CHOM_AGENT_ROOT"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed(), h.sandbox);
    }

    void rotatedHostKey()
    {
        const int index = 5;
        const SshFleet::Host h = m_fleet.hosts().at(index);
        const QString fleetKey = m_fleet.hostKeyFingerprintSha256();
        QCOMPARE(scannedFingerprint(h), fleetKey);
        QCOMPARE(m_fleet.hostKeyFingerprintSha256(index), fleetKey);

        QVERIFY2(m_fleet.rotateHostKey(index), qPrintable(m_fleet.error()));
        const QString rotated = scannedFingerprint(h);
        QVERIFY(rotated.startsWith(QLatin1String("SHA256:")));
        QVERIFY(rotated != fleetKey);
        QCOMPARE(m_fleet.hostKeyFingerprintSha256(index), rotated);
        QVERIFY(m_fleet.knownHostsLine(index) != m_fleet.knownHostsLine(index + 1));
        // Only that host changed.
        QCOMPARE(m_fleet.hostKeyFingerprintSha256(), fleetKey);
        QCOMPARE(scannedFingerprint(m_fleet.hosts().at(index + 1)), fleetKey);
    }

    void busyAddressFailsCleanly()
    {
        // A second fleet on the same addresses: a clear error, nothing left behind.
        SshFleet other;
        QVERIFY(!other.start(2, 10));
        QVERIFY2(other.error().contains(QLatin1String("port busy")), qPrintable(other.error()));
        QVERIFY(!other.isRunning());
        QVERIFY(other.hosts().isEmpty());
        // The running fleet is untouched.
        const Result r = ssh(0, QStringLiteral("true"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // A fleet whose test crashed (its owner process is gone, its stop never
    // ran) must not keep its addresses busy: the next start stops it.
    void orphanedFleetIsReaped()
    {
        QProcess gone; // a process that has exited: the orphan's "owner"
        gone.start(QStringLiteral("true"), {});
        QVERIFY(gone.waitForFinished(5000));
        const qint64 deadPid = gone.processId() > 0 ? gone.processId() : 999999;
        QTemporaryDir orphanDir(QDir::tempPath() + QStringLiteral("/chom-sshfleet-XXXXXX"));
        QVERIFY(orphanDir.isValid());
        QProcess start;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("CHOM_FLEET_OWNER_PID"), QString::number(deadPid));
        start.setProcessEnvironment(env);
        start.start(QStringLiteral("/bin/bash"),
                    {SshFleet::scriptPath(), QStringLiteral("start"), orphanDir.path(),
                     QStringLiteral("1"), QStringLiteral("90")});
        QVERIFY(start.waitForFinished(30000));
        QVERIFY2(start.exitCode() == 0, start.readAllStandardError().constData());

        SshFleet next; // same address: works, and the orphan is down
        QVERIFY2(next.start(1, 90), qPrintable(next.error())); // .90: no other test uses it
        const Result status =
            runProgram(QStringLiteral("/bin/bash"),
                       {SshFleet::scriptPath(), QStringLiteral("status"), orphanDir.path()});
        QCOMPARE(status.exitCode, 3);
        QVERIFY2(status.out.contains(QLatin1String(" down")), qPrintable(status.out));
        next.stop();
    }

    void tarpitNeverAnswers()
    {
        TcpTarpit tarpit;
        QVERIFY(tarpit.listen(QStringLiteral("127.0.0.1")));
        QVERIFY(tarpit.port() > 0);

        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), quint16(tarpit.port()));
        QVERIFY(s.waitForConnected(3000));
        s.write("SSH-2.0-tst_sshfleet\r\n");
        QVERIFY(s.waitForBytesWritten(1000));
        QElapsedTimer t;
        t.start();
        QVERIFY(!s.waitForReadyRead(1000));
        QVERIFY(t.elapsed() >= 900);
        QCOMPARE(s.bytesAvailable(), qint64(0));
        QCOMPARE(s.state(), QAbstractSocket::ConnectedState);
        QTRY_COMPARE(tarpit.acceptedCount(), 1);

        // A real client gives up on it by its own timeout.
        t.restart();
        const Result r = runProgram(QStringLiteral("ssh"),
                                    {QStringLiteral("-F"), QStringLiteral("/dev/null"),
                                     QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                                     QStringLiteral("-o"), QStringLiteral("ConnectTimeout=1"),
                                     QStringLiteral("-p"), QString::number(tarpit.port()),
                                     QStringLiteral("nobody@127.0.0.1"), QStringLiteral("true")});
        QCOMPARE(r.exitCode, 255);
        QVERIFY2(t.elapsed() < 10000, qPrintable(QString::number(t.elapsed())));
        tarpit.close();
    }

    void cleanupTestCase()
    {
        if (!m_fleet.isRunning())
            return;
        const QString dir = m_fleet.dir();
        const QString pub = m_fleet.clientPublicKey();
        m_fleet.stop();
        QVERIFY(!m_fleet.isRunning());
        QVERIFY(!QFileInfo::exists(dir));
        const Result stray = runProgram(QStringLiteral("pgrep"), {QStringLiteral("-af"), dir});
        QVERIFY2(stray.exitCode == 1, qPrintable(QStringLiteral("stray processes:\n") + stray.out));
        // The fleet's client key is no longer authorized.
        const QString home = runProgram(QStringLiteral("getent"),
                                        {QStringLiteral("passwd"), QStringLiteral("chomfleet")})
                                 .out.section(QLatin1Char(':'), 5, 5);
        QFile keys(home + QStringLiteral("/.ssh/authorized_keys"));
        if (!home.isEmpty() && keys.open(QIODevice::ReadOnly))
            QVERIFY(!QString::fromUtf8(keys.readAll()).contains(pub));
    }
};

QTEST_GUILESS_MAIN(TestSshFleet)
#include "tst_sshfleet.moc"
