#pragma once

// A site-hosting stack for tests: nginx and a PHP-FPM master under a
// sandbox root on a loopback port (scripts/services/webstack.sh), never the
// machine's own services. The agent runs against root(); site users it
// makes carry the prefix "chomt-" and are removed by stop().
//
// Needs root, nginx and php-fpm: tests QSKIP with unavailableReason().

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;

namespace chom::test {

class SshFleet;

class WebStack
{
public:
    WebStack();
    ~WebStack(); // stop()
    WebStack(const WebStack&) = delete;
    WebStack& operator=(const WebStack&) = delete;

    // With a port, start() also runs a MariaDB of the stack's own on
    // 127.0.0.1:port (set before start; 0: none).
    void setDatabasePort(quint16 port) { m_dbPort = port; }
    // rootDir: the agent's root to lay the stack out in (a fleet host's
    // sandbox); empty: a directory of the stack's own.
    bool start(quint16 port = 18080, const QString& rootDir = {});
    // A "VPS" for site tests: `fleet` started as one root-login host at
    // 127.0.0.<firstOctet>, the agent installed in its sandbox, and the stack
    // laid out there. fleetUnavailableReason() says why it cannot run here.
    bool startOnFleetHost(SshFleet& fleet, int firstOctet, quint16 port);
    static QString fleetUnavailableReason();
    // Stops nginx and php-fpm and deletes every "chomt-" user left behind.
    void stop();
    QString root() const;
    quint16 port() const { return m_port; }
    QString phpVersion() const { return m_php; }
    QString error() const { return m_error; }

    struct Response
    {
        int status = 0; // 0: no answer
        QByteArray body;
    };
    // GET path from the stack's nginx with that Host header.
    Response get(const QString& host, const QString& path = QStringLiteral("/")) const;

    // An ACME CA for the stack (scripts/services/pebble.sh: pebble on
    // https://127.0.0.1:acmePort/dir validating against this nginx), named in
    // the agent's config; stopped by stop(). Call after start().
    bool startAcme(quint16 acmePort);
    QString acmeRoots() const; // the PEM of the roots pebble signs with
    // GET over HTTPS from the stack's TLS port (port() + 1) with SNI = host,
    // trusting only the ACME CA's roots; the response head in `body` too.
    Response getHttps(const QString& host, const QString& path = QStringLiteral("/")) const;

    // Runs SQL as MariaDB's root over the stack's socket: the rows, tab
    // separated (empty on error).
    QString sql(const QString& statement) const;
    // The stack's "chomt_" databases and database users (user@host).
    QStringList siteDatabases() const;
    QStringList siteDatabaseUsers() const;
    static QString databaseUnavailableReason(); // empty when MariaDB can run here

    // The "chomt-" users in /etc/passwd now.
    static QStringList siteUsers();
    static QString unavailableReason(); // empty when the stack can run here

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_root;
    quint16 m_port = 0;
    quint16 m_dbPort = 0;
    bool m_acme = false;
    QString m_php;
    QString m_error;
};

} // namespace chom::test
