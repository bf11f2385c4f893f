#pragma once

// A fleet of compromised VPSes for the security tests: real loopback sshds
// (SshFleet) whose ForceCommand is tests/support/hostile-host.sh. Each host
// plays the part its mode file names — floods, raw bytes without newlines,
// a crafted reply (fake envelopes, terminal escapes), a hang, a non-POSIX
// login shell — or, with no mode, runs the command honestly. The script
// records every command it receives.

#include "SshFleet.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace chom::test {

class HostileHost
{
public:
    HostileHost();
    bool start(int count, int firstOctet);
    void stop() { m_fleet.stop(); }
    SshFleet& fleet() { return m_fleet; }
    QString error() const { return m_fleet.error(); }

    // "flood-lines 50000000", "flood-raw 2000000", "reply 0", "hang",
    // "login-shell /usr/bin/fish"; empty: honest.
    bool setMode(int hostIndex, const QString& mode);
    // What the "reply" mode prints (verbatim, on stdout).
    bool setReply(int hostIndex, const QByteArray& reply);
    // The commands the host was asked to run so far, oldest first.
    QStringList commandsSeen(int hostIndex) const;
    // What the last "reply" session received on stdin.
    QByteArray lastStdin(int hostIndex) const;

    static QString scriptPath();

private:
    bool writeFile(int hostIndex, const QString& name, const QByteArray& data);
    QByteArray readFile(int hostIndex, const QString& name) const;

    SshFleet m_fleet;
};

} // namespace chom::test
