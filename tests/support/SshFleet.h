#pragma once

// A real OpenSSH "VPS fleet" on loopback for tests: one sshd per simulated
// host (127.0.0.<firstOctet+i>:2222), started by scripts/services/sshd-fleet.sh
// in a fresh temporary directory. Every host has its own sandbox directory,
// owned by the test user, and every ssh session on that host gets
// CHOM_AGENT_ROOT=<sandbox> in its environment (sshd_config SetEnv).
//
// Needs root (the script creates the user "chomfleet" and runs sshd) and
// openssh-server/-client: tests QSKIP when !SshFleet::available(), with
// SshFleet::unavailableReason() as the message.
//
// Hosts use the default address range 127.0.0.10.. unless told otherwise; two
// fleets at once need disjoint ranges (or a ctest RESOURCE_LOCK), or one of
// them on another loopback /24 (setNetwork).

#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

class QTemporaryDir;

namespace chom::test {

class SshFleet
{
public:
    struct Host
    {
        QString address; // "127.0.0.10"
        int port = 0;    // 2222
        QString sandbox; // DIR/hosts/h00, owned by chomfleet; $CHOM_AGENT_ROOT in sessions
        QString name;    // "h00"
    };

    SshFleet();
    ~SshFleet(); // stop()
    SshFleet(const SshFleet&) = delete;
    SshFleet& operator=(const SshFleet&) = delete;

    // A script every host then runs as its sshd ForceCommand (before start()).
    void setForceCommand(const QString& scriptPath) { m_forceCommand = scriptPath; }
    // Lets root log in too, with the fleet's client key (before start()):
    // for agents that must run as root, such as site provisioning.
    void setRootLogin(bool on) { m_rootLogin = on; }
    // The first three octets of the hosts' addresses, "127.X.Y" (before
    // start()); empty: the script's 127.0.0.
    void setNetwork(const QString& prefix) { m_network = prefix; }

    // Starts `count` hosts (1..200) in a fresh temp dir via the script;
    // returns false and sets error() on failure (nothing is left running).
    // A running fleet is stopped first.
    bool start(int count, int firstOctet = 10);
    // Stops every sshd of the fleet (and their open connections), removes the
    // client key from authorized_keys and deletes the temp dir. Idempotent.
    void stop();
    bool isRunning() const;

    QVector<Host> hosts() const;
    QString dir() const;             // the fleet's temp dir (empty when stopped)
    QString user() const;            // "chomfleet"
    QString clientKeyPath() const;   // private key, no passphrase
    QString clientPublicKey() const; // contents of the .pub ("ssh-ed25519 AAAA... comment")
    // The fleet's shared host key as `ssh-keygen -lf` prints it: "SHA256:...".
    QString hostKeyFingerprintSha256() const;
    // The key one host serves now (differs from the fleet's after rotateHostKey).
    QString hostKeyFingerprintSha256(int hostIndex) const;
    // A known_hosts line for one host: "[127.0.0.10]:2222 ssh-ed25519 AAAA...".
    QString knownHostsLine(int hostIndex) const;
    // Arguments for the `ssh` client to reach one host non-interactively
    // (no config file, this key, no host key checking); append the command.
    QStringList sshArguments(int hostIndex) const;

    // Number of "Accepted publickey" lines in that host's sshd log (all of its
    // starts). -1 for a bad index.
    int acceptedAuthCount(int hostIndex) const;
    QString logPath(int hostIndex) const;

    // The source tree's agent in one host's sandbox, laid out as bootstrap
    // lays it (opt/chom-agent/bin/chom-agent, the sandbox owned by the user).
    bool installAgent(int hostIndex) const;

    bool stopHost(int hostIndex);  // kill one host's sshd and its connections ("host down")
    bool startHost(int hostIndex); // bring it back (same key, same sandbox)
    // A NEW host key for one host, then restart it ("changed host key" tests).
    bool rotateHostKey(int hostIndex);

    QString error() const;

    // Whether a process whose command line matches the pgrep pattern runs on
    // this machine, which hosts every "VPS" of the fleet.
    static bool processRunning(const QString& pattern);

    static bool available();            // root, /usr/sbin/sshd, ssh-keygen, the script
    static QString unavailableReason(); // empty when available()
    static QString scriptPath();

private:
    bool runScript(const QStringList& args, QString* out = nullptr, int timeoutMs = 60000) const;
    bool checkIndex(int hostIndex) const;
    static QString fingerprintOf(const QString& pubKeyPath, QString* error);

    std::unique_ptr<QTemporaryDir> m_dir;
    QVector<Host> m_hosts;
    QString m_fingerprint;
    QString m_forceCommand;
    bool m_rootLogin = false;
    QString m_network;
    mutable QString m_error;
};

// A loopback TCP "tarpit" for timeout tests: accepts connections, reads and
// discards whatever arrives, never sends a byte. The server lives in its own
// thread, so it keeps accepting while the test thread blocks.
class TcpTarpit
{
public:
    TcpTarpit();
    ~TcpTarpit(); // close()
    TcpTarpit(const TcpTarpit&) = delete;
    TcpTarpit& operator=(const TcpTarpit&) = delete;

    // port 0: any free port. False if the address/port cannot be bound.
    bool listen(const QString& address = QStringLiteral("127.0.0.1"), quint16 port = 0);
    int port() const; // 0 before listen()
    QString address() const;
    int acceptedCount() const; // connections accepted so far
    void close();              // drops every connection

private:
    class Thread;
    std::unique_ptr<Thread> m_thread;
};

} // namespace chom::test
