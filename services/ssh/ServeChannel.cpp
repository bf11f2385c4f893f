#include "ssh/ServeChannel.h"

#include "ssh/ServeRequest.h"
#include "ssh/SshJob.h"

#include <libssh/libssh.h>

namespace chom {
namespace {

QString excerpt(const QByteArray& line)
{
    QString s = QString::fromUtf8(line.left(120)).simplified();
    return s.isEmpty() ? QStringLiteral("(an empty line)") : s;
}

qint64 deadlineMs(const SshJob& job)
{
    const SshTimeouts& t = job.command().timeouts;
    return qMin(t.commandMs, t.silenceMs);
}

} // namespace

ServeChannel::ServeChannel(ssh_session_struct* session, QString hostKey, int channelTimeoutMs)
    : m_session(session), m_hostKey(std::move(hostKey)), m_channelTimeoutMs(channelTimeoutMs)
{
}

ServeChannel::~ServeChannel()
{
    stop(false);
}

bool ServeChannel::start(const QByteArray& command)
{
    m_channel = ssh_channel_new(m_session);
    const QByteArray wrapped = RemoteProcessGroup::wrap(command);
    if (!m_channel || ssh_channel_open_session(m_channel) != SSH_OK ||
        ssh_channel_request_exec(m_channel, wrapped.constData()) != SSH_OK) {
        if (m_channel)
            ssh_channel_free(m_channel);
        m_channel = nullptr;
        return false;
    }
    m_command = command;
    m_group = RemoteProcessGroup();
    m_partial.clear();
    m_abandoned.clear();
    m_probing = false;
    m_state = State::Starting;
    m_startedAt.start();
    return true;
}

void ServeChannel::stop(bool kill)
{
    if (!m_channel)
        return;
    if (kill && m_group.pgid() > 1 && ssh_is_connected(m_session))
        RemoteProcessGroup::kill(m_session, m_group.pgid(), m_channelTimeoutMs);
    else if (!ssh_channel_is_closed(m_channel))
        ssh_channel_send_eof(m_channel); // serve ends once its requests answered
    ssh_channel_close(m_channel);
    ssh_channel_free(m_channel);
    m_channel = nullptr;
    if (m_state != State::Unavailable)
        m_state = State::Stopped;
}

bool ServeChannel::send(const QByteArray& bytes)
{
    return m_channel && ssh_channel_write(m_channel, bytes.constData(), uint32_t(bytes.size())) ==
                            int(bytes.size());
}

bool ServeChannel::submit(const std::shared_ptr<SshJob>& job)
{
    const auto& request = job->command().serve;
    if (m_retiring) {
        if (busy())
            return false; // one-shot until the old server has answered
        stop(false);
        m_state = State::Stopped;
        m_restarts = 0;
        m_retiring = false;
    }
    if (!request || m_state == State::Unavailable)
        return false;
    if (m_state == State::Stopped && !m_used) {
        // A session's first request runs one-shot: a server pays off only on
        // a session that is used again, and a cold sweep then costs exactly
        // what it costs without one.
        m_used = true;
        return false;
    }
    if (m_state == State::Stopped) {
        if (!start(request->serverCommand())) {
            m_state = State::Unavailable; // the session will not even open it
            return false;
        }
        m_protocol = request;
    } else if (request->serverCommand() != m_command) {
        return false; // another server: one per session is kept
    }
    const quint64 id = m_nextId++;
    Pending p{job, {}};
    p.sent.start();
    m_pending.insert(id, p);
    if (!send(request->frame(id)))
        m_failure = QStringLiteral("the request could not be written to the server");
    return true;
}

SshResult ServeChannel::result(const Pending& p, SshErrorKind kind, const QString& message) const
{
    SshResult r;
    r.error = kind;
    if (kind != SshErrorKind::None)
        r.message = QStringLiteral("%1: %2").arg(m_hostKey, message);
    r.durationMs = p.job->age();
    r.served = true;
    return r;
}

bool ServeChannel::readStreams(QVector<QByteArray>& lines, QString& why)
{
    bool any = false;
    char buf[16384];
    int n;
    while ((n = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, 1)) > 0) {
        any = true;
        m_group.take(buf, n); // the group header; the server's stderr is not kept
    }
    while ((n = ssh_channel_read_nonblocking(m_channel, buf, sizeof buf, 0)) > 0) {
        any = true;
        m_partial.append(buf, n);
        qsizetype from = 0, nl;
        while ((nl = m_partial.indexOf('\n', from)) >= 0) {
            lines << m_partial.mid(from, nl - from);
            from = nl + 1;
        }
        m_partial.remove(0, from);
        if (m_partial.size() > kMaxLineBytes) {
            why = QStringLiteral("the server sent a line over %1 bytes").arg(kMaxLineBytes);
            return true;
        }
    }
    if (n == SSH_ERROR)
        why = QStringLiteral("the server's channel failed");
    else if (ssh_channel_is_eof(m_channel))
        why = QStringLiteral("the server ended (exit %1)")
                  .arg(ssh_channel_get_exit_status(m_channel));
    return any || !why.isEmpty();
}

void ServeChannel::onLine(const QByteArray& line, const Done& done, QString& why)
{
    ++m_lines;
    const std::optional<quint64> id = m_protocol->replyId(line);
    if (m_state == State::Starting) {
        if (id && *id == 0 && m_protocol->acceptsHello(line)) {
            m_state = State::Ready;
            return;
        }
        m_state = State::Unavailable; // an agent without serve: one-shot from now on
        why = QStringLiteral("the host's agent does not serve requests: %1").arg(excerpt(line));
        return;
    }
    if (!id || *id == 0) {
        why = QStringLiteral("the server sent a line that is not a reply: %1").arg(excerpt(line));
        return;
    }
    if (auto it = m_pending.find(*id); it != m_pending.end()) {
        SshResult r = result(*it, SshErrorKind::None, {});
        r.exitStatus = 0;
        r.out = line + '\n';
        const auto job = it->job;
        m_pending.erase(it);
        done(job, r);
    } else if (!m_abandoned.remove(*id)) {
        why = QStringLiteral("the server answered request %1, which it was never sent").arg(*id);
    }
}

void ServeChannel::broken(const QString& why, QVector<std::shared_ptr<SshJob>>& oneShot)
{
    const bool again = m_state == State::Ready && m_restarts < 1;
    if (m_state == State::Starting)
        m_state = State::Unavailable; // it never said hello: not a server
    stop(true);
    m_lastFailure = why;
    if (again && start(m_command)) {
        ++m_restarts;
        for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
            it->sent.restart();
            if (!send(m_protocol->frame(it.key())))
                m_failure = QStringLiteral("the request could not be written to the server");
        }
        return;
    }
    m_state = State::Unavailable;
    for (const Pending& p : std::as_const(m_pending))
        oneShot << p.job;
    m_pending.clear();
}

void ServeChannel::settle(const Done& done, QVector<std::shared_ptr<SshJob>>& oneShot)
{
    // A program that takes the requests but never says hello (one reading
    // stdin to its end, say) must not hold them for their whole deadline.
    if (m_state == State::Starting && m_startedAt.elapsed() > kHelloMs) {
        broken(QStringLiteral("no hello from the server within %1 s").arg(kHelloMs / 1000),
               oneShot);
        return;
    }
    // After a cancel, any line proves the server alive (it answers the
    // cancel itself); none within kHelloMs means it is wedged.
    if (m_probing && m_lines > m_probeLines)
        m_probing = false;
    if (m_probing && m_probeSince.elapsed() > kHelloMs) {
        m_probing = false;
        broken(QStringLiteral("no answer from the server within %1 s of a cancel")
                   .arg(kHelloMs / 1000),
               oneShot);
        return;
    }
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        const SshJob& job = *it->job;
        const bool cancelled = job.isCancelled();
        const qint64 limit = deadlineMs(job);
        if (!cancelled && it->sent.elapsed() <= limit) {
            ++it;
            continue;
        }
        send(m_protocol->cancelFrame(it.key()));
        m_abandoned.insert(it.key(), true);
        if (!m_probing) {
            m_probing = true;
            m_probeLines = m_lines;
            m_probeSince.start();
        }
        const SshResult r =
            cancelled ? result(*it, SshErrorKind::Cancelled,
                               QStringLiteral("cancelled by the "
                                              "operator"))
                      : result(*it, SshErrorKind::CommandTimeout,
                               QStringLiteral("command exceeded %1 s").arg(limit / 1000.0));
        const auto j = it->job;
        it = m_pending.erase(it);
        done(j, r);
    }
}

bool ServeChannel::busy() const
{
    return !m_pending.isEmpty() || m_probing;
}

bool ServeChannel::pump(const Done& done, QVector<std::shared_ptr<SshJob>>& oneShot)
{
    if (!m_channel)
        return false;
    QString why = m_failure;
    m_failure.clear();
    QVector<QByteArray> lines;
    bool progress = readStreams(lines, why);
    for (const QByteArray& line : std::as_const(lines)) {
        QString bad;
        onLine(line, done, bad);
        if (!bad.isEmpty()) {
            why = bad;
            break;
        }
    }
    if (!why.isEmpty()) {
        broken(why, oneShot);
        return true;
    }
    const int before = int(m_pending.size());
    settle(done, oneShot);
    return progress || m_pending.size() != before;
}

} // namespace chom
