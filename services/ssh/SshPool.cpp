#include "ssh/SshPool.h"

#include "ssh/SshConnection.h"
#include "ssh/WakePipe.h"
#include "store/HostKeyStore.h"

#include <QElapsedTimer>

#include <libssh/libssh.h>

namespace chom {

struct SshPool::Host
{
    QList<std::shared_ptr<SshJob>> queue;
    bool running = false;
    std::unique_ptr<SshConnection> connection;
    CircuitBreaker breaker;
    QElapsedTimer idleSince;
    qint64 lastKeepaliveMs = 0;
    WakePipe wake; // interrupts the running thread's poll: new job or cancel
    Host(int threshold, qint64 coolDown) : breaker(threshold, coolDown) { idleSince.start(); }
};

SshPool::SshPool(Store& store, Config config, QObject* parent)
    : QObject(parent), m_store(store), m_config(config)
{
    static const bool initialised = [] {
        qRegisterMetaType<chom::SshResult>();
        ssh_init();
        return true;
    }();
    Q_UNUSED(initialised);
    m_threads.setMaxThreadCount(m_config.maxConcurrentHosts);
    m_threads.setExpiryTimeout(30000);
    m_housekeeping.setInterval(qBound(1000, m_config.keepaliveMs / 2, 30000));
    connect(&m_housekeeping, &QTimer::timeout, this, &SshPool::housekeeping);
    m_housekeeping.start();
}

SshPool::~SshPool()
{
    {
        QMutexLocker lock(&m_mutex);
        m_shuttingDown = true;
        for (auto& h : m_hosts)
            for (auto& j : h->queue)
                j->cancel();
        for (auto& w : m_jobs)
            if (auto j = w.lock())
                j->cancel();
    }
    m_threads.waitForDone();
    closeAll();
    m_threads.waitForDone();
}

void SshPool::setIdentity(const SshIdentity& identity)
{
    QMutexLocker lock(&m_mutex);
    m_identity = identity;
}

void SshPool::setPassphraseProvider(PassphraseProvider provider)
{
    QMutexLocker lock(&m_mutex);
    m_passphrase = std::move(provider);
}

SshPool::Host& SshPool::hostFor(const SshTarget& target)
{
    auto& h = m_hosts[target.key()];
    if (!h)
        h = std::make_shared<Host>(m_config.breakerThreshold, m_config.breakerCoolDownMs);
    return *h;
}

std::shared_ptr<SshJob> SshPool::submit(const SshTarget& target, const SshCommand& command)
{
    auto job = std::make_shared<SshJob>(m_nextId.fetch_add(1), target, command);
    job->onLine = [this, id = job->id()](int stream, const QByteArray& line) {
        Q_EMIT jobOutput(id, stream, QString::fromUtf8(line));
    };
    if (const qsizetype size = command.command.toUtf8().size();
        size > SshCommand::kMaxCommandBytes) {
        finishJob(job, SshResult::failed(
                           SshErrorKind::InvalidArgument,
                           QStringLiteral("%1: the command is %2 bytes, over the %3 a remote "
                                          "shell accepts; large data must travel on stdin")
                               .arg(target.key())
                               .arg(size)
                               .arg(SshCommand::kMaxCommandBytes)));
        return job;
    }
    QMutexLocker lock(&m_mutex);
    if (m_shuttingDown) {
        lock.unlock();
        finishJob(job, SshResult::failed(SshErrorKind::Cancelled,
                                         QStringLiteral("the pool is shutting down")));
        return job;
    }
    m_jobs.insert(job->id(), job);
    Host& host = hostFor(target);
    job->setWake([wake = &host.wake] { wake->notify(); }); // hosts live as long as the pool
    host.queue.append(job);
    if (host.running)
        host.wake.notify(); // the running thread takes it as a channel frees up
    else
        schedule(target.key());
    return job;
}

SshResult SshPool::run(const SshTarget& target, const SshCommand& command)
{
    return submit(target, command)->wait();
}

void SshPool::cancel(quint64 jobId)
{
    QMutexLocker lock(&m_mutex);
    if (auto j = m_jobs.value(jobId).lock())
        j->cancel();
}

void SshPool::schedule(const QString& key)
{
    auto host = m_hosts.value(key);
    if (!host || host->running || host->queue.isEmpty())
        return;
    host->running = true;
    m_threads.start([this, key] { drain(key); });
}

void SshPool::finishJob(const std::shared_ptr<SshJob>& job, SshResult result)
{
    job->finish(result);
    {
        QMutexLocker lock(&m_mutex);
        m_jobs.remove(job->id());
    }
    Q_EMIT jobFinished(job->id(), result);
}

void SshPool::noteOutcome(Host& h, const QString& key, const SshResult& r)
{
    const auto before = h.breaker.state();
    if (isTransportFailure(r.error))
        h.breaker.recordFailure();
    else if (r.error != SshErrorKind::BreakerOpen && r.error != SshErrorKind::Cancelled)
        h.breaker.recordSuccess(); // the host answered (even an error is an answer)
    const auto after = h.breaker.state();
    if (after != before)
        Q_EMIT breakerChanged(key, CircuitBreaker::toString(after));
}

bool SshPool::ensureConnected(Host& h, const SshTarget& target,
                              QVector<std::shared_ptr<SshJob>>& batch)
{
    if (h.connection && h.connection->isAlive())
        return true;
    h.connection.reset();
    SshIdentity identity;
    PassphraseProvider passphrase;
    {
        QMutexLocker lock(&m_mutex);
        identity = m_identity;
        passphrase = m_passphrase;
    }
    auto conn = std::make_unique<SshConnection>(target, identity, passphrase);
    HostKeyStore known(m_store);
    const SshTimeouts t = batch.first()->command().timeouts;
    SshResult r = conn->open(
        t, known, HostKeyPolicy{m_config.trustNewHostKeys, m_config.expectedFingerprint});
    if (r.error == SshErrorKind::None) {
        h.connection = std::move(conn);
        return true;
    }
    noteOutcome(h, target.key(), r);
    for (auto& j : batch)
        finishJob(j, r);
    batch.clear();
    return false;
}

void SshPool::drain(const QString& key)
{
    for (;;) {
        std::shared_ptr<Host> host;
        QVector<std::shared_ptr<SshJob>> batch;
        {
            QMutexLocker lock(&m_mutex);
            host = m_hosts.value(key);
            if (!host || host->queue.isEmpty()) {
                if (host) {
                    host->running = false;
                    host->idleSince.restart();
                    host->lastKeepaliveMs = 0;
                }
                return;
            }
            batch = QVector<std::shared_ptr<SshJob>>(host->queue.begin(), host->queue.end());
            host->queue.clear();
        }
        if (!host->breaker.allowRequest()) {
            const QString msg =
                QStringLiteral("%1: circuit breaker open after repeated transport failures; next "
                               "probe in %2 s")
                    .arg(key)
                    .arg((host->breaker.msUntilProbe() + 999) / 1000);
            for (auto& j : batch)
                finishJob(j, SshResult::failed(SshErrorKind::BreakerOpen, msg));
            continue;
        }
        const SshTarget target = batch.first()->target();
        SshRunFeed feed;
        feed.next = [this, &host]() -> std::shared_ptr<SshJob> {
            QMutexLocker lock(&m_mutex);
            return host->queue.isEmpty() ? nullptr : host->queue.takeFirst();
        };
        feed.finished = [this, &host, &key](const std::shared_ptr<SshJob>& j, const SshResult& r) {
            noteOutcome(*host, key, r);
            {
                QMutexLocker lock(&m_mutex);
                m_jobs.remove(j->id());
            }
            Q_EMIT jobFinished(j->id(), r);
        };
        feed.wake = &host->wake;
        while (!batch.isEmpty()) {
            if (!ensureConnected(*host, target, batch))
                break;
            // Each job gets one retry on a fresh session; run() never
            // returns a job that already had it.
            batch = host->connection->run(batch, m_config.maxChannelsPerHost, feed);
            for (auto& j : batch)
                j->retriedOnFreshSession = true;
            if (!batch.isEmpty())
                host->connection.reset(); // dead pooled session: replace it once
        }
    }
}

void SshPool::housekeeping()
{
    QMutexLocker lock(&m_mutex);
    for (auto it = m_hosts.begin(); it != m_hosts.end(); ++it) {
        auto host = it.value();
        if (host->running || !host->connection)
            continue;
        const qint64 idle = host->idleSince.elapsed();
        if (idle >= m_config.idleCloseMs) {
            // libssh work never runs on the caller's (GUI) thread.
            auto conn = std::shared_ptr<SshConnection>(host->connection.release());
            m_threads.start([conn]() mutable { conn.reset(); });
        } else if (idle - host->lastKeepaliveMs >= m_config.keepaliveMs) {
            host->lastKeepaliveMs = idle;
            host->running = true;
            m_threads.start([this, host] {
                host->connection->keepalive();
                QMutexLocker l(&m_mutex);
                host->running = false;
                if (!host->queue.isEmpty())
                    schedule(m_hosts.key(host));
            });
        }
    }
}

void SshPool::closeIdleSessions()
{
    QMutexLocker lock(&m_mutex);
    for (auto& host : m_hosts) {
        if (host->running || !host->connection)
            continue;
        auto conn = std::shared_ptr<SshConnection>(host->connection.release());
        m_threads.start([conn]() mutable { conn.reset(); });
    }
}

void SshPool::closeAll()
{
    closeIdleSessions();
}

CircuitBreaker::State SshPool::breakerState(const SshTarget& target) const
{
    QMutexLocker lock(&m_mutex);
    auto h = m_hosts.value(target.key());
    return h ? h->breaker.state() : CircuitBreaker::State::Closed;
}

int SshPool::openSessions() const
{
    QMutexLocker lock(&m_mutex);
    int n = 0;
    for (const auto& h : m_hosts)
        n += h->connection && h->connection->isAlive() ? 1 : 0;
    return n;
}

} // namespace chom
