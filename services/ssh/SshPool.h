#pragma once

#include "base/CircuitBreaker.h"
#include "ssh/SshJob.h"
#include "ssh/SshTypes.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>

namespace chom {

class Store;
class SshConnection;

// Pooled SSH for the fleet: one authenticated session per host reused for
// many commands (a channel each), bounded channels per host and hosts at
// once, idle sessions closed, keepalives, a per-host circuit breaker that
// counts transport failures only. Every libssh call runs on the pool's own
// threads; callers get results by signal or, off the GUI thread, by wait().
class SshPool : public QObject
{
    Q_OBJECT
public:
    struct Config
    {
        int maxChannelsPerHost = 8;
        int maxConcurrentHosts = 20;
        int idleCloseMs = 5 * 60 * 1000;
        int keepaliveMs = 60 * 1000;
        int breakerThreshold = 3;
        qint64 breakerCoolDownMs = 30000;
        bool trustNewHostKeys = false; // chomctl --trust-new-host-keys (first contact only)
        // Accept (and pin) exactly this host key, SHA256:…: an explicit re-trust.
        QString expectedFingerprint;
    };

    SshPool(Store& store, Config config, QObject* parent = nullptr);
    ~SshPool() override; // cancels queued work, waits for running commands to stop

    void setIdentity(const SshIdentity& identity);
    void setPassphraseProvider(PassphraseProvider provider);

    std::shared_ptr<SshJob> submit(const SshTarget& target, const SshCommand& command);
    SshResult run(const SshTarget& target,
                  const SshCommand& command); // blocking; not on the GUI thread
    void cancel(quint64 jobId);

    CircuitBreaker::State breakerState(const SshTarget& target) const;
    int openSessions() const;
    void closeIdleSessions(); // also runs on a timer
    void closeAll();

Q_SIGNALS:
    void jobOutput(quint64 jobId, int stream, const QString& line);
    void jobFinished(quint64 jobId, const chom::SshResult& result);
    void breakerChanged(const QString& hostKey, const QString& state);

private:
    struct Host;
    Host& hostFor(const SshTarget& target); // m_mutex held
    void schedule(const QString& key);      // m_mutex held
    void drain(const QString& key);         // on a pool thread
    bool ensureConnected(Host& h, const SshTarget& target, QVector<std::shared_ptr<SshJob>>& batch);
    void finishJob(const std::shared_ptr<SshJob>& job, SshResult result);
    void noteOutcome(Host& h, const QString& key, const SshResult& r);
    void housekeeping();

    Store& m_store;
    const Config m_config;
    mutable QMutex m_mutex;
    QHash<QString, std::shared_ptr<Host>> m_hosts;
    QHash<quint64, std::weak_ptr<SshJob>> m_jobs;
    SshIdentity m_identity;
    PassphraseProvider m_passphrase;
    std::atomic<quint64> m_nextId{1};
    QThreadPool m_threads;
    QTimer m_housekeeping;
    bool m_shuttingDown = false;
};

} // namespace chom
