#pragma once

#include <QByteArray>

struct ssh_session_struct;

namespace chom {

// One short command on a session, run to its end on the calling (pool)
// thread: session set-up checks and the upload's final move. Not for jobs —
// those run as concurrent channels in SshConnection::run.
struct BlockingExecResult
{
    int exitStatus = -1; // -1: it did not run, or did not finish in time
    QByteArray out;      // stdout, at most maxOutputBytes
    bool truncated = false;
};
BlockingExecResult execBlocking(ssh_session_struct* session, const QByteArray& command,
                                int timeoutMs, qsizetype maxOutputBytes = 4096);

} // namespace chom
