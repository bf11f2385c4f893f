#include "WebStack.h"

#include "SshFleet.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <unistd.h>

namespace chom::test {
namespace {

const QString kScript = QStringLiteral(CHOM_SOURCE_DIR "/scripts/services/webstack.sh");
const QString kPebble = QStringLiteral(CHOM_SOURCE_DIR "/scripts/services/pebble.sh");

} // namespace

WebStack::WebStack() = default;

WebStack::~WebStack()
{
    stop();
}

QString WebStack::unavailableReason()
{
    if (::geteuid() != 0)
        return QStringLiteral("needs root (site users, php-fpm's master)");
    if (!QFileInfo(QStringLiteral("/usr/sbin/nginx")).isExecutable())
        return QStringLiteral("nginx is not installed (scripts/install-deps.sh test)");
    return {};
}

bool WebStack::start(quint16 port, const QString& rootDir)
{
    stop();
    m_dir = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/chom-webstack-XXXXXX"));
    m_root = rootDir.isEmpty() ? m_dir->path() + QStringLiteral("/root") : rootDir;
    QProcess p;
    p.start(QStringLiteral("bash"),
            QStringList{kScript, QStringLiteral("start"), m_dir->path(), QString::number(port),
                        m_root, m_dbPort ? QString::number(m_dbPort) : QString()});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        m_error = QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
        stop();
        return false;
    }
    for (const QByteArray& line : p.readAllStandardOutput().split('\n'))
        if (line.startsWith("php "))
            m_php = QString::fromUtf8(line.mid(4)).trimmed();
    m_port = port;
    return true;
}

void WebStack::stop()
{
    if (!m_dir)
        return;
    if (m_acme)
        QProcess::execute(QStringLiteral("bash"), {kPebble, QStringLiteral("stop"),
                                                   m_dir->path() + QStringLiteral("/acme")});
    m_acme = false;
    QProcess::execute(QStringLiteral("bash"), {kScript, QStringLiteral("stop"), m_dir->path()});
    for (const QString& u : siteUsers())
        QProcess::execute(QStringLiteral("userdel"), {u});
    m_dir.reset();
    m_port = 0;
}

QString WebStack::databaseUnavailableReason()
{
    for (const char* tool :
         {"/usr/sbin/mariadbd", "/usr/bin/mariadb-install-db", "/usr/bin/mariadb"})
        if (!QFileInfo(QString::fromLatin1(tool)).isExecutable())
            return QStringLiteral("%1 is not installed (scripts/install-deps.sh test)")
                .arg(QString::fromLatin1(tool));
    return {};
}

QString WebStack::sql(const QString& statement) const
{
    QProcess p;
    p.start(QStringLiteral("mariadb"),
            {QStringLiteral("--no-defaults"),
             QStringLiteral("--socket=") + m_root + QStringLiteral("/run/mysqld/mysqld.sock"),
             QStringLiteral("-uroot"), QStringLiteral("-N"), QStringLiteral("-B"),
             QStringLiteral("-e"), statement});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QStringList WebStack::siteDatabases() const
{
    return sql(QStringLiteral("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                              "SCHEMA_NAME LIKE 'chomt\\_%' ORDER BY 1"))
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QStringList WebStack::siteDatabaseUsers() const
{
    return sql(QStringLiteral("SELECT CONCAT(User, '@', Host) FROM mysql.user WHERE User LIKE "
                              "'chomt\\_%' ORDER BY 1"))
        .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QString WebStack::fleetUnavailableReason()
{
    const QString fleet = SshFleet::unavailableReason();
    return fleet.isEmpty() ? unavailableReason() : fleet;
}

bool WebStack::startOnFleetHost(SshFleet& fleet, int firstOctet, quint16 port)
{
    fleet.setRootLogin(true);
    if (!fleet.start(1, firstOctet)) {
        m_error = fleet.error();
        return false;
    }
    // The agent first: installing it hands the sandbox to the fleet's user.
    if (!fleet.installAgent(0)) {
        m_error =
            QStringLiteral("cannot install the agent into %1").arg(fleet.hosts().at(0).sandbox);
        return false;
    }
    return start(port, fleet.hosts().at(0).sandbox);
}

bool WebStack::startAcme(quint16 acmePort)
{
    const QString dir = m_dir->path() + QStringLiteral("/acme");
    QProcess p;
    p.start(QStringLiteral("bash"), {kPebble, QStringLiteral("start"), dir, QString::number(m_port),
                                     QString::number(acmePort)});
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        m_error = QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput());
        return false;
    }
    m_acme = true;
    QFile conf(m_root + QStringLiteral("/etc/chom-agent/agent.conf"));
    if (!conf.open(QIODevice::Append))
        return false;
    conf.write(QStringLiteral("acme_server=https://127.0.0.1:%1/dir\nacme_ca_bundle=%2/ca.pem\n")
                   .arg(acmePort)
                   .arg(dir)
                   .toUtf8());
    return true;
}

QString WebStack::acmeRoots() const
{
    QFile f(m_dir->path() + QStringLiteral("/acme/roots.pem"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

WebStack::Response WebStack::getHttps(const QString& host, const QString& path) const
{
    const QString tls = QString::number(m_port + 1);
    QProcess p;
    p.start(QStringLiteral("curl"),
            {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("--max-time"),
             QStringLiteral("10"), QStringLiteral("--cacert"),
             m_dir->path() + QStringLiteral("/acme/roots.pem"), QStringLiteral("--resolve"),
             host + QLatin1Char(':') + tls + QStringLiteral(":127.0.0.1"),
             QStringLiteral("https://") + host + QLatin1Char(':') + tls + path});
    Response r;
    if (!p.waitForFinished(20000) || p.exitCode() != 0) {
        r.body = p.readAllStandardError();
        return r;
    }
    r.body = p.readAllStandardOutput();
    const QList<QByteArray> status = r.body.left(r.body.indexOf("\r\n")).split(' ');
    r.status = status.size() > 1 ? status.at(1).toInt() : 0;
    return r;
}

QString WebStack::root() const
{
    return m_dir ? m_root : QString();
}

WebStack::Response WebStack::get(const QString& host, const QString& path) const
{
    Response r;
    QTcpSocket s;
    s.connectToHost(QStringLiteral("127.0.0.1"), m_port);
    if (!s.waitForConnected(3000))
        return r;
    s.write(QStringLiteral("GET %1 HTTP/1.0\r\nHost: %2\r\nConnection: close\r\n\r\n")
                .arg(path, host)
                .toUtf8());
    // HTTP/1.0 with "Connection: close": the answer ends when nginx closes.
    QByteArray all;
    for (;;) {
        all += s.readAll();
        if (s.state() != QAbstractSocket::ConnectedState || !s.waitForReadyRead(5000))
            break;
    }
    all += s.readAll();
    const qsizetype head = all.indexOf("\r\n\r\n");
    const QList<QByteArray> status = all.left(all.indexOf("\r\n")).split(' ');
    r.status = status.size() > 1 ? status.at(1).toInt() : 0;
    r.body = head < 0 ? QByteArray() : all.mid(head + 4);
    return r;
}

QStringList WebStack::siteUsers()
{
    QFile f(QStringLiteral("/etc/passwd"));
    QStringList users;
    if (!f.open(QIODevice::ReadOnly))
        return users;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("chomt-"))
            users << QString::fromUtf8(line.left(line.indexOf(':')));
    return users;
}

} // namespace chom::test
