#pragma once

#include "ssh/SshTypes.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <functional>

namespace chom {

// One command submitted to the pool. Shared between the submitter (wait,
// cancel) and the pool thread running it.
class SshJob
{
public:
    SshJob(quint64 id, SshTarget target, SshCommand command)
        : m_id(id), m_target(std::move(target)), m_command(std::move(command))
    {
        m_created.start();
    }

    quint64 id() const { return m_id; }
    qint64 age() const { return m_created.elapsed(); } // ms since submitted
    const SshTarget& target() const { return m_target; }
    const SshCommand& command() const { return m_command; }

    void cancel()
    {
        m_cancelled.store(true);
        if (m_wake)
            m_wake();
    }
    bool isCancelled() const { return m_cancelled.load(); }

    // Blocks the calling thread (never the GUI thread) until finished.
    SshResult wait();
    bool isFinished() const;
    void finish(SshResult result); // pool side, once

    // Called on the pool thread for each complete output line (stream 1 = stdout, 2 = stderr).
    std::function<void(int stream, const QByteArray& line)> onLine;
    bool retriedOnFreshSession = false;
    // Set by the pool before the job is shared: wakes the thread running it.
    void setWake(std::function<void()> wake) { m_wake = std::move(wake); }

private:
    const quint64 m_id;
    const SshTarget m_target;
    const SshCommand m_command;
    QElapsedTimer m_created;
    std::atomic<bool> m_cancelled{false};
    std::function<void()> m_wake;
    mutable QMutex m_mutex;
    QWaitCondition m_done;
    bool m_finished = false;
    SshResult m_result;
};

} // namespace chom
