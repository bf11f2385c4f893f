#include "SshFleet.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QSemaphore>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>

#include <unistd.h>

#ifndef CHOM_SOURCE_DIR
#error "CHOM_SOURCE_DIR must be defined (the source tree holding scripts/services/sshd-fleet.sh)"
#endif

namespace chom::test {

namespace {

const QString kSshd = QStringLiteral("/usr/sbin/sshd");
const QString kUser = QStringLiteral("chomfleet");

QString describe(const QProcess& p, const QString& what, const QString& err)
{
    QString reason;
    if (p.error() == QProcess::FailedToStart)
        reason = QStringLiteral("could not be started (%1)").arg(p.errorString());
    else if (p.state() != QProcess::NotRunning)
        reason = QStringLiteral("timed out");
    else if (p.exitStatus() == QProcess::CrashExit)
        reason = QStringLiteral("crashed");
    else
        reason = QStringLiteral("exited with %1").arg(p.exitCode());
    QString msg = what + QLatin1Char(' ') + reason;
    if (!err.trimmed().isEmpty())
        msg += QStringLiteral(": ") + err.trimmed();
    return msg;
}

} // namespace

SshFleet::SshFleet() = default;

SshFleet::~SshFleet()
{
    stop();
}

QString SshFleet::scriptPath()
{
    return QStringLiteral(CHOM_SOURCE_DIR "/scripts/services/sshd-fleet.sh");
}

QString SshFleet::unavailableReason()
{
    if (::geteuid() != 0)
        return QStringLiteral("the sshd fleet needs root (creates user chomfleet, runs sshd)");
    if (!QFileInfo(kSshd).isExecutable())
        return QStringLiteral("%1 not found: install openssh-server").arg(kSshd);
    for (const char* tool : {"ssh-keygen", "bash"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty())
            return QStringLiteral("%1 not found: install openssh-client").arg(QLatin1String(tool));
    }
    if (!QFileInfo::exists(scriptPath()))
        return QStringLiteral("%1 is missing").arg(scriptPath());
    return {};
}

bool SshFleet::processRunning(const QString& pattern)
{
    QProcess p;
    p.start(QStringLiteral("pgrep"), {QStringLiteral("-f"), pattern});
    p.waitForFinished(5000);
    return !p.readAllStandardOutput().trimmed().isEmpty();
}

bool SshFleet::installAgent(int hostIndex) const
{
    if (!checkIndex(hostIndex))
        return false;
    const QString sandbox = m_hosts.at(hostIndex).sandbox;
    const QString bin = sandbox + QStringLiteral("/opt/chom-agent/bin/chom-agent");
    QDir().mkpath(QFileInfo(bin).absolutePath());
    QFile::remove(bin);
    return QFile::copy(QStringLiteral(CHOM_SOURCE_DIR "/resources/agent/chom-agent"), bin) &&
           QFile::setPermissions(bin, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                          QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                          QFile::ExeOther) &&
           QProcess::execute(QStringLiteral("chown"), {QStringLiteral("-R"), user(), sandbox}) == 0;
}

bool SshFleet::available()
{
    return unavailableReason().isEmpty();
}

bool SshFleet::runScript(const QStringList& args, QString* out, int timeoutMs) const
{
    QProcess p;
    p.setProgram(QStringLiteral("bash"));
    p.setArguments(QStringList{scriptPath()} + args);
    if (!m_forceCommand.isEmpty() || !m_network.isEmpty() || m_rootLogin) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (m_rootLogin)
            env.insert(QStringLiteral("CHOM_FLEET_ROOT_LOGIN"), QStringLiteral("1"));
        if (!m_forceCommand.isEmpty())
            env.insert(QStringLiteral("CHOM_FLEET_FORCE_COMMAND"), m_forceCommand);
        if (!m_network.isEmpty())
            env.insert(QStringLiteral("CHOM_FLEET_NET"), m_network);
        p.setProcessEnvironment(env);
    }
    p.start();
    const bool finished = p.waitForFinished(timeoutMs);
    if (!finished && p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(5000);
        m_error = QStringLiteral("sshd-fleet.sh %1 timed out after %2 ms")
                      .arg(args.join(QLatin1Char(' ')))
                      .arg(timeoutMs);
        return false;
    }
    const QString stdErr = QString::fromLocal8Bit(p.readAllStandardError());
    if (out)
        *out = QString::fromLocal8Bit(p.readAllStandardOutput());
    if (p.error() == QProcess::FailedToStart || p.exitStatus() != QProcess::NormalExit ||
        p.exitCode() != 0) {
        m_error =
            describe(p, QStringLiteral("sshd-fleet.sh ") + args.join(QLatin1Char(' ')), stdErr);
        return false;
    }
    return true;
}

QString SshFleet::fingerprintOf(const QString& pubKeyPath, QString* error)
{
    QProcess p;
    p.start(QStringLiteral("ssh-keygen"), {QStringLiteral("-l"), QStringLiteral("-f"), pubKeyPath});
    p.waitForFinished(10000);
    const QString out = QString::fromLocal8Bit(p.readAllStandardOutput());
    // "256 SHA256:abc... comment (ED25519)"
    const QString fp = out.section(QLatin1Char(' '), 1, 1);
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0 ||
        !fp.startsWith(QLatin1String("SHA256:"))) {
        if (error)
            *error = describe(p, QStringLiteral("ssh-keygen -lf ") + pubKeyPath,
                              QString::fromLocal8Bit(p.readAllStandardError()));
        return {};
    }
    return fp;
}

bool SshFleet::start(int count, int firstOctet)
{
    stop();
    m_error.clear();
    if (!available()) {
        m_error = unavailableReason();
        return false;
    }
    if (count < 1 || count > 200 || firstOctet < 1 || firstOctet + count - 1 > 254) {
        m_error = QStringLiteral("bad fleet size %1 from %2.%3")
                      .arg(count)
                      .arg(m_network.isEmpty() ? QStringLiteral("127.0.0") : m_network)
                      .arg(firstOctet);
        return false;
    }

    auto dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/chom-sshfleet-XXXXXX"));
    if (!dir->isValid()) {
        m_error = QStringLiteral("cannot create a temp dir: ") + dir->errorString();
        return false;
    }
    // The sandboxes below are written by chomfleet: the dir must be searchable.
    QFile::setPermissions(dir->path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                           QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                           QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                           QFileDevice::ExeOther);

    QString out;
    const QStringList args{QStringLiteral("start"), dir->path(), QString::number(count),
                           QString::number(firstOctet)};
    if (!runScript(args, &out)) {
        const QString err = m_error;
        runScript({QStringLiteral("stop"), dir->path()}); // belt and braces
        m_error = err;
        return false;
    }

    QVector<Host> hosts;
    const QStringList lines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString& line : lines) {
        // host NN 127.0.0.X 2222 DIR/hosts/hNN
        const QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() != 5 || f.at(0) != QLatin1String("host"))
            continue;
        Host h;
        h.name = QLatin1Char('h') + f.at(1);
        h.address = f.at(2);
        h.port = f.at(3).toInt();
        h.sandbox = f.at(4);
        hosts.append(h);
    }
    QString fpError;
    const QString fp = fingerprintOf(dir->path() + QStringLiteral("/hostkey.pub"), &fpError);
    if (hosts.size() != count || fp.isEmpty()) {
        runScript({QStringLiteral("stop"), dir->path()});
        m_error = hosts.size() != count
                      ? QStringLiteral("sshd-fleet.sh start printed %1 hosts, expected %2:\n%3")
                            .arg(hosts.size())
                            .arg(count)
                            .arg(out)
                      : fpError;
        return false;
    }

    m_dir = std::move(dir);
    m_hosts = hosts;
    m_fingerprint = fp;
    return true;
}

void SshFleet::stop()
{
    if (!m_dir)
        return;
    if (!runScript({QStringLiteral("stop"), m_dir->path()}))
        qWarning("SshFleet: %s", qPrintable(m_error));
    m_dir.reset(); // removes the tree (we are root: the sandboxes' files too)
    m_hosts.clear();
    m_fingerprint.clear();
}

bool SshFleet::isRunning() const
{
    return m_dir != nullptr;
}

QVector<SshFleet::Host> SshFleet::hosts() const
{
    return m_hosts;
}

QString SshFleet::dir() const
{
    return m_dir ? m_dir->path() : QString();
}

QString SshFleet::user() const
{
    return kUser;
}

QString SshFleet::clientKeyPath() const
{
    return m_dir ? m_dir->filePath(QStringLiteral("client_ed25519")) : QString();
}

QString SshFleet::clientPublicKey() const
{
    if (!m_dir)
        return {};
    QFile f(m_dir->filePath(QStringLiteral("client_ed25519.pub")));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).trimmed();
}

QString SshFleet::hostKeyFingerprintSha256() const
{
    return m_fingerprint;
}

bool SshFleet::checkIndex(int hostIndex) const
{
    if (hostIndex >= 0 && hostIndex < m_hosts.size())
        return true;
    m_error = QStringLiteral("no host %1 (fleet of %2)").arg(hostIndex).arg(m_hosts.size());
    return false;
}

// The host key a host serves: its own after rotateHostKey, else the fleet's.
static QString hostPubKeyPath(const QString& dir, const QString& hostName)
{
    const QString own = dir + QStringLiteral("/hostkey-") + hostName + QStringLiteral(".pub");
    return QFileInfo::exists(own) ? own : dir + QStringLiteral("/hostkey.pub");
}

QString SshFleet::hostKeyFingerprintSha256(int hostIndex) const
{
    if (!checkIndex(hostIndex))
        return {};
    return fingerprintOf(hostPubKeyPath(dir(), m_hosts.at(hostIndex).name), &m_error);
}

QString SshFleet::knownHostsLine(int hostIndex) const
{
    if (!checkIndex(hostIndex))
        return {};
    QFile f(hostPubKeyPath(dir(), m_hosts.at(hostIndex).name));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    // "ssh-ed25519 AAAA... comment" -> drop the comment.
    const QString key = QString::fromUtf8(f.readAll()).trimmed().section(QLatin1Char(' '), 0, 1);
    const Host& h = m_hosts.at(hostIndex);
    return QStringLiteral("[%1]:%2 %3").arg(h.address).arg(h.port).arg(key);
}

QStringList SshFleet::sshArguments(int hostIndex) const
{
    if (!checkIndex(hostIndex))
        return {};
    const Host& h = m_hosts.at(hostIndex);
    return {QStringLiteral("-F"),
            QStringLiteral("/dev/null"),
            QStringLiteral("-i"),
            clientKeyPath(),
            QStringLiteral("-o"),
            QStringLiteral("IdentitiesOnly=yes"),
            QStringLiteral("-o"),
            QStringLiteral("StrictHostKeyChecking=no"),
            QStringLiteral("-o"),
            QStringLiteral("UserKnownHostsFile=/dev/null"),
            QStringLiteral("-o"),
            QStringLiteral("BatchMode=yes"),
            QStringLiteral("-o"),
            QStringLiteral("LogLevel=ERROR"),
            QStringLiteral("-o"),
            QStringLiteral("ConnectTimeout=10"),
            QStringLiteral("-p"),
            QString::number(h.port),
            kUser + QLatin1Char('@') + h.address};
}

QString SshFleet::logPath(int hostIndex) const
{
    if (!checkIndex(hostIndex))
        return {};
    return m_hosts.at(hostIndex).sandbox + QStringLiteral("/sshd.log");
}

int SshFleet::acceptedAuthCount(int hostIndex) const
{
    if (!checkIndex(hostIndex))
        return -1;
    QFile f(logPath(hostIndex));
    if (!f.open(QIODevice::ReadOnly))
        return 0; // no log yet: nothing accepted
    return int(f.readAll().count("Accepted publickey for "));
}

bool SshFleet::stopHost(int hostIndex)
{
    if (!checkIndex(hostIndex))
        return false;
    return runScript({QStringLiteral("stop-host"), dir(), QString::number(hostIndex)});
}

bool SshFleet::startHost(int hostIndex)
{
    if (!checkIndex(hostIndex))
        return false;
    return runScript({QStringLiteral("start-host"), dir(), QString::number(hostIndex)});
}

bool SshFleet::rotateHostKey(int hostIndex)
{
    if (!checkIndex(hostIndex))
        return false;
    return runScript({QStringLiteral("rotate-key"), dir(), QString::number(hostIndex)});
}

QString SshFleet::error() const
{
    return m_error;
}

// --- TcpTarpit -------------------------------------------------------------

class TcpTarpit::Thread : public QThread
{
public:
    QHostAddress address;
    quint16 requestedPort = 0;
    std::atomic<int> port{0};
    std::atomic<int> accepted{0};
    bool ok = false;
    QSemaphore ready;

protected:
    void run() override
    {
        QTcpServer server;
        server.setMaxPendingConnections(1000);
        QObject::connect(&server, &QTcpServer::newConnection, &server, [this, &server] {
            while (QTcpSocket* s = server.nextPendingConnection()) {
                ++accepted;
                // Swallow whatever the client says; answer nothing, ever.
                QObject::connect(s, &QTcpSocket::readyRead, s, [s] { s->readAll(); });
                // Child of the server: closed when the thread ends.
            }
        });
        ok = server.listen(address, requestedPort);
        port = ok ? server.serverPort() : 0;
        ready.release();
        if (ok)
            exec();
    }
};

TcpTarpit::TcpTarpit() = default;

TcpTarpit::~TcpTarpit()
{
    close();
}

bool TcpTarpit::listen(const QString& address, quint16 port)
{
    close();
    m_thread = std::make_unique<Thread>();
    m_thread->address = QHostAddress(address);
    m_thread->requestedPort = port;
    m_thread->start();
    m_thread->ready.acquire();
    if (!m_thread->ok) {
        m_thread->wait();
        m_thread.reset();
        return false;
    }
    return true;
}

int TcpTarpit::port() const
{
    return m_thread ? m_thread->port.load() : 0;
}

QString TcpTarpit::address() const
{
    return m_thread ? m_thread->address.toString() : QString();
}

int TcpTarpit::acceptedCount() const
{
    return m_thread ? m_thread->accepted.load() : 0;
}

void TcpTarpit::close()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
}

} // namespace chom::test
