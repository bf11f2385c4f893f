#pragma once

#include "ssh/RemoteProcessGroup.h"
#include "ssh/SshTypes.h"

#include <QElapsedTimer>
#include <QHash>
#include <QVector>

#include <functional>
#include <memory>

struct ssh_session_struct;
struct ssh_channel_struct;

namespace chom {

class SshJob;

// One long-lived request server on a pooled session (for example
// `chom-agent serve`), driven by the pool thread that runs the session's
// jobs. The session's first request runs one-shot; the second starts the
// server with the request pipelined behind its start, and later requests
// cost no new channel.
//
// Failure policy: a server that never says hello (an old or missing
// program) is not used again on this session, and its requests run as
// one-shot commands. A server that dies, sends what is not a reply, a line
// over the cap, or stays silent past a request's deadline is killed (its
// whole process group) and started once more with the requests it held;
// when that one fails too, the session falls back to one-shot commands.
// A request that times out or is cancelled is abandoned: the server is
// told to stop it and a late reply is dropped, so the next one still
// answers correctly.
class ServeChannel
{
public:
    using Done = std::function<void(const std::shared_ptr<SshJob>&, SshResult)>;

    ServeChannel(ssh_session_struct* session, QString hostKey, int channelTimeoutMs);
    ~ServeChannel(); // ends the server: end of input, then its group is killed

    // Takes the job when a server can answer it; false: run it one-shot.
    bool submit(const std::shared_ptr<SshJob>& job);
    bool busy() const; // requests in flight, or a cancel awaiting its answer
    // The server's program may have been replaced (an upload): once its
    // requests have answered it is ended, and the next request starts the
    // new one, with a fresh restart allowance.
    void retire() { m_retiring = m_state != State::Unavailable || m_channel; }
    bool usable() const { return m_state != State::Unavailable; }
    int restarts() const { return m_restarts; }
    QString lastFailure() const { return m_lastFailure; } // why it was last restarted or given up

    // Reads what arrived and settles requests: answered, timed out and
    // cancelled ones through `done`; those the server can no longer take
    // are appended to `oneShot`. Returns whether anything happened.
    bool pump(const Done& done, QVector<std::shared_ptr<SshJob>>& oneShot);

    // Longest reply line accepted (the agent's replies fit well inside).
    static constexpr qsizetype kMaxLineBytes = SshCommand::kDefaultMaxOutputBytes;
    // How long a starting server may take to say hello before its requests
    // run one-shot instead (an agent starts in tens of milliseconds).
    static constexpr int kHelloMs = 5000;

private:
    enum class State
    {
        Stopped,
        Starting, // started, no hello yet
        Ready,
        Unavailable,
    };
    struct Pending
    {
        std::shared_ptr<SshJob> job;
        QElapsedTimer sent;
    };

    bool start(const QByteArray& command);
    void stop(bool kill);
    bool send(const QByteArray& bytes);
    bool readStreams(QVector<QByteArray>& lines, QString& why);
    void onLine(const QByteArray& line, const Done& done, QString& why);
    void broken(const QString& why, QVector<std::shared_ptr<SshJob>>& oneShot);
    void settle(const Done& done, QVector<std::shared_ptr<SshJob>>& oneShot);
    SshResult result(const Pending& p, SshErrorKind kind, const QString& message) const;

    ssh_session_struct* m_session;
    const QString m_hostKey;
    const int m_channelTimeoutMs;
    ssh_channel_struct* m_channel = nullptr;
    RemoteProcessGroup m_group;
    QElapsedTimer m_startedAt;
    bool m_used = false; // a request was seen (the first runs one-shot)
    bool m_retiring = false;
    bool m_probing = false; // a cancel was sent: is the server still alive?
    qint64 m_probeLines = 0;
    QElapsedTimer m_probeSince;
    QByteArray m_command;
    QByteArray m_partial;
    QString m_failure; // a write failed: handled by the next pump
    QString m_lastFailure;
    State m_state = State::Stopped;
    int m_restarts = 0;
    qint64 m_lines = 0;
    quint64 m_nextId = 1;
    QHash<quint64, Pending> m_pending;
    QHash<quint64, bool> m_abandoned;
    std::shared_ptr<const class ServeRequest> m_protocol; // of the running server
};

} // namespace chom
