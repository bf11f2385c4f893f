#pragma once

#include <QByteArray>

struct ssh_session_struct;

namespace chom {

// Stopping a remote command for good. sshd makes every exec its own session,
// so the login shell leads a process group holding everything the command
// starts; a "signal" channel request would reach the shell alone, and sshd
// refuses it for forced-command sessions. So each command first reports its
// group on stderr, and a timeout or cancel kills that whole group over a
// second channel (TERM, then KILL after a grace period).
class RemoteProcessGroup
{
public:
    // The command, prefixed with constant text that writes
    // "chom-pgid:<pid>\n" to stderr before anything else runs.
    static QByteArray wrap(const QByteArray& command);

    // Fed the start of stderr: swallows the header line and keeps the group
    // id. Returns how many bytes of `data` belong to the command's own stderr
    // (at the end of data), 0 while the header is still incomplete.
    int take(const char* data, int size);
    qint64 pgid() const { return m_pgid; }
    bool decided() const { return m_done; } // header read, or known to be absent

    // TERM now and KILL two seconds later to the whole group; waits at most
    // timeoutMs for the kill command itself.
    static void kill(ssh_session_struct* session, qint64 pgid, int timeoutMs);

private:
    QByteArray m_header;
    bool m_done = false;
    qint64 m_pgid = 0;
};

} // namespace chom
