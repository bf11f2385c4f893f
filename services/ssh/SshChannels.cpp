// SshConnection::run: several commands as concurrent channels on one session.
#include "ssh/SshConnection.h"

#include "ssh/LineSplitter.h"
#include "ssh/RemoteProcessGroup.h"
#include "ssh/ServeChannel.h"
#include "ssh/SftpUpload.h"
#include "ssh/SshJob.h"
#include "ssh/WakePipe.h"

#include <QElapsedTimer>

#include <libssh/libssh.h>

#include <poll.h>

namespace chom {
namespace {

struct Active
{
    std::shared_ptr<SshJob> job;
    ssh_channel channel = nullptr;
    QElapsedTimer started;
    qint64 lastOutputMs = 0;
    LineSplitter lines[2];
    RemoteProcessGroup group; // from the head of stderr
    SshResult result;
};

LineSplitter::LineSink sinkFor(const Active& a, int stream)
{
    if (!a.job->onLine)
        return {};
    return [&a, stream](const QByteArray& line) { a.job->onLine(stream + 1, line); };
}

// False when the chunk would take the stream past the command's cap: the
// chunk is dropped and the caller fails the job.
bool takeOutput(Active& a, int stream, const char* data, int n)
{
    if (stream == 1) { // the group header is the console's, not the command's
        const int own = a.group.take(data, n);
        data += n - own;
        n = own;
    }
    QByteArray& all = stream == 0 ? a.result.out : a.result.err;
    if (all.size() + n > a.job->command().maxOutputBytes)
        return false;
    all.append(data, n);
    a.lines[stream].feed(data, n, sinkFor(a, stream));
    return true;
}

void flushPartial(Active& a)
{
    for (int s = 0; s < 2; ++s)
        a.lines[s].flush(sinkFor(a, s));
}

// A command stopped right after it started may not have sent its group yet:
// wait a moment for that header, so the kill has its target.
void awaitGroup(Active& a)
{
    QElapsedTimer clock;
    clock.start();
    char buf[256];
    while (a.channel && !a.group.decided() && clock.elapsed() < 1000) {
        const int n = ssh_channel_read_timeout(a.channel, buf, sizeof buf, 1, 100);
        if (n < 0 || ssh_channel_is_eof(a.channel))
            return;
        a.group.take(buf, n);
    }
}

void closeChannel(Active& a, bool signalRemote)
{
    if (!a.channel)
        return;
    // Ask the remote process to stop before dropping the channel, so a
    // cancelled or timed-out command does not linger on the server.
    if (signalRemote && !ssh_channel_is_closed(a.channel))
        ssh_channel_request_send_signal(a.channel, "TERM");
    ssh_channel_close(a.channel);
    ssh_channel_free(a.channel);
    a.channel = nullptr;
}

} // namespace

SshResult SshConnection::upload(const SshCommand& c)
{
    SshResult r = SftpUpload(m_session, c).run();
    if (r.error != SshErrorKind::None)
        r.message = QStringLiteral("%1: %2").arg(m_target.key(), r.message);
    r.fingerprint = m_fingerprint;
    return r;
}

QVector<std::shared_ptr<SshJob>> SshConnection::run(QVector<std::shared_ptr<SshJob>> pending,
                                                    int maxChannels, const SshRunFeed& feed)
{
    QVector<std::shared_ptr<SshJob>> retry;
    QVector<Active> active;
    const bool reused = m_commandsRun > 0;
    auto done = [&](const std::shared_ptr<SshJob>& job, const SshResult& r) {
        if (feed.finished)
            feed.finished(job, r);
        job->finish(r);
    };
    auto finish = [&](Active& a, SshErrorKind kind, const QString& message) {
        flushPartial(a);
        a.result.error = kind;
        if (kind != SshErrorKind::None)
            a.result.message = QStringLiteral("%1: %2").arg(m_target.key(), message);
        a.result.durationMs = a.started.elapsed();
        a.result.reusedSession = reused;
        a.result.fingerprint = m_fingerprint;
        const bool stop = kind == SshErrorKind::Cancelled || kind == SshErrorKind::CommandTimeout ||
                          kind == SshErrorKind::Silence || kind == SshErrorKind::OutputTooLarge;
        if (stop)
            awaitGroup(a);
        closeChannel(a, stop);
        if (stop && ssh_is_connected(m_session)) // nothing it started stays behind
            RemoteProcessGroup::kill(m_session, a.group.pgid(), m_channelTimeoutMs);
        done(a.job, a.result);
    };
    auto serveDone = [&](const std::shared_ptr<SshJob>& job, SshResult r) {
        r.reusedSession = reused;
        r.fingerprint = m_fingerprint;
        done(job, r);
    };
    // Idle waits back off from 5 to 40 ms: a reply that libssh already
    // buffered for one channel while reading another is picked up quickly,
    // yet a long quiet command costs few wake-ups. New jobs and cancels
    // interrupt the wait through the wake pipe.
    int idleWaitMs = 5;
    char buf[16384];
    for (;;) {
        while (active.size() < maxChannels) {
            if (pending.isEmpty() && retry.isEmpty() && feed.next) {
                if (auto j = feed.next())
                    pending << j;
            }
            if (pending.isEmpty())
                break;
            Active a;
            a.job = pending.takeFirst();
            a.started.start();
            if (a.job->isCancelled()) {
                finish(a, SshErrorKind::Cancelled, QStringLiteral("cancelled before it started"));
                continue;
            }
            if (!a.job->command().uploadPath.isEmpty()) {
                if (!isAlive() && !a.job->retriedOnFreshSession) {
                    retry << a.job;
                    continue;
                }
                if (m_serve) // an upload may replace the server's program
                    m_serve->retire();
                SshResult r = upload(a.job->command());
                r.durationMs = a.started.elapsed();
                r.reusedSession = reused;
                ++m_commandsRun;
                done(a.job, r);
                continue;
            }
            if (a.job->command().serve && isAlive()) {
                if (!m_serve)
                    m_serve = std::make_unique<ServeChannel>(m_session, m_target.key(),
                                                             m_channelTimeoutMs);
                if (m_serve->submit(a.job)) {
                    ++m_commandsRun;
                    continue;
                }
            }
            a.channel = ssh_channel_new(m_session);
            const QByteArray cmd = RemoteProcessGroup::wrap(a.job->command().command.toUtf8());
            if (!a.channel || ssh_channel_open_session(a.channel) != SSH_OK ||
                ssh_channel_request_exec(a.channel, cmd.constData()) != SSH_OK) {
                const bool dead = !ssh_is_connected(m_session);
                const QString e = QString::fromUtf8(ssh_get_error(m_session));
                if (a.channel)
                    ssh_channel_free(a.channel);
                a.channel = nullptr;
                if (dead && !a.job->retriedOnFreshSession) {
                    retry << a.job; // the pooled session died: the pool reconnects
                    continue;
                }
                finish(a, dead ? SshErrorKind::Disconnected : SshErrorKind::ChannelFailed, e);
                continue;
            }
            ++m_commandsRun;
            const QByteArray& in = a.job->command().stdinData;
            if (!in.isEmpty())
                ssh_channel_write(a.channel, in.constData(), uint32_t(in.size()));
            ssh_channel_send_eof(a.channel);
            a.lastOutputMs = a.started.elapsed();
            active << a;
        }
        // Requests the server can no longer take run as one-shot commands.
        QVector<std::shared_ptr<SshJob>> oneShot;
        bool progress = m_serve && m_serve->pump(serveDone, oneShot);
        if (!oneShot.isEmpty()) {
            pending = oneShot + pending;
            continue;
        }
        const bool serving = m_serve && m_serve->busy();
        if (active.isEmpty() && !serving)
            break; // nothing running and nothing left to start (or all to retry)
        for (int i = 0; i < active.size(); ++i) {
            Active& a = active[i];
            bool failed = false;
            int flooded = -1; // the stream that passed its cap
            for (int s = 0; s < 2 && !failed && flooded < 0; ++s) {
                int n;
                while ((n = ssh_channel_read_nonblocking(a.channel, buf, sizeof buf, s)) > 0) {
                    progress = true;
                    a.lastOutputMs = a.started.elapsed();
                    if (!takeOutput(a, s, buf, n)) {
                        flooded = s;
                        break;
                    }
                }
                failed = n == SSH_ERROR;
            }
            const SshTimeouts& t = a.job->command().timeouts;
            const qint64 now = a.started.elapsed();
            bool over = true;
            if (flooded >= 0)
                finish(
                    a, SshErrorKind::OutputTooLarge,
                    QStringLiteral("the command sent more than %1 bytes on %2; stopped")
                        .arg(a.job->command().maxOutputBytes)
                        .arg(flooded == 0 ? QStringLiteral("stdout") : QStringLiteral("stderr")));
            else if (failed)
                finish(a, SshErrorKind::Disconnected,
                       QStringLiteral("the session dropped while the command ran"));
            else if (a.job->isCancelled())
                finish(a, SshErrorKind::Cancelled, QStringLiteral("cancelled by the operator"));
            else if (ssh_channel_is_eof(a.channel)) {
                a.result.exitStatus = ssh_channel_get_exit_status(a.channel);
                finish(a, SshErrorKind::None, QString());
            } else if (now > t.commandMs)
                finish(a, SshErrorKind::CommandTimeout,
                       QStringLiteral("command exceeded %1 s").arg(t.commandMs / 1000.0));
            else if (now - a.lastOutputMs > t.silenceMs)
                finish(a, SshErrorKind::Silence,
                       QStringLiteral("no output for %1 s").arg(t.silenceMs / 1000.0));
            else
                over = false;
            if (over) {
                active.removeAt(i--);
                progress = true;
            }
        }
        if (progress) {
            idleWaitMs = 5;
        } else {
            pollfd p[2] = {{ssh_get_fd(m_session), POLLIN, 0},
                           {feed.wake ? feed.wake->fd() : -1, POLLIN, 0}};
            if (::poll(p, 2, idleWaitMs) > 0 && (p[1].revents & POLLIN))
                feed.wake->clear();
            idleWaitMs = qMin(idleWaitMs * 2, 40);
        }
    }
    return retry;
}

} // namespace chom
