#include "ssh/BlockingExec.h"

#include <QElapsedTimer>

#include <libssh/libssh.h>

namespace chom {

BlockingExecResult execBlocking(ssh_session_struct* session, const QByteArray& command,
                                int timeoutMs, qsizetype maxOutputBytes)
{
    BlockingExecResult r;
    ssh_channel ch = ssh_channel_new(session);
    if (!ch)
        return r;
    if (ssh_channel_open_session(ch) == SSH_OK &&
        ssh_channel_request_exec(ch, command.constData()) == SSH_OK) {
        ssh_channel_send_eof(ch);
        QElapsedTimer clock;
        clock.start();
        char buf[4096];
        while (!ssh_channel_is_eof(ch) && clock.elapsed() < timeoutMs) {
            const int left = int(qMax<qint64>(1, timeoutMs - clock.elapsed()));
            const int n = ssh_channel_read_timeout(ch, buf, sizeof buf, 0, qMin(left, 200));
            if (n == SSH_ERROR)
                break;
            if (n > 0 && r.out.size() + n > maxOutputBytes) {
                r.truncated = true; // a flood: stop reading, the channel goes
                break;
            }
            r.out.append(buf, qMax(n, 0));
            while (ssh_channel_read_nonblocking(ch, buf, sizeof buf, 1) > 0) {
            } // stderr is not wanted, but must not stall the window
        }
        if (!r.truncated && ssh_channel_is_eof(ch))
            r.exitStatus = ssh_channel_get_exit_status(ch);
        if (!ssh_channel_is_closed(ch))
            ssh_channel_close(ch);
    }
    ssh_channel_free(ch);
    return r;
}

} // namespace chom
