#pragma once

#include "ssh/SshTypes.h"

#include <QVector>

#include <functional>

#include <memory>

struct ssh_session_struct;

namespace chom {

class HostKeyStore;
class ServeChannel;
class SshJob;
class WakePipe;

// Where SshConnection::run() gets more work while it runs, and how it
// reports each job done.
struct SshRunFeed
{
    std::function<std::shared_ptr<SshJob>()> next; // queued job or null
    // Called with each result just before job->finish() wakes its waiter.
    std::function<void(const std::shared_ptr<SshJob>&, const SshResult&)> finished;
    WakePipe* wake = nullptr; // notified when a job is queued or cancelled
};

// Which host keys a connection accepts besides the pinned one.
struct HostKeyPolicy
{
    bool trustNew = false; // pin an unknown host's key on first contact
    // When set, exactly this key (SHA256:…) is accepted and pinned, replacing
    // any other pin in one transaction; any other key is refused.
    QString expectedFingerprint;
};

// One authenticated libssh session to one host, used by one pool thread at
// a time. Runs batches of commands as concurrent channels on the session.
class SshConnection
{
public:
    SshConnection(SshTarget target, SshIdentity identity, PassphraseProvider passphrase);
    ~SshConnection();

    // Connect, verify the host key against `known` under the policy,
    // authenticate. Returns the failure, if any.
    SshResult open(const SshTimeouts& t, HostKeyStore& known, const HostKeyPolicy& policy);
    bool isAlive() const;
    bool hasRunCommands() const { return m_commandsRun > 0; }
    void keepalive();

    // Runs the jobs, and those the feed supplies meanwhile, with at most
    // maxChannels open at once; returns when none is left. Jobs whose
    // channel could not even be opened because the session is gone are
    // returned unfinished so the pool can retry them on a fresh session.
    QVector<std::shared_ptr<SshJob>> run(QVector<std::shared_ptr<SshJob>> jobs, int maxChannels,
                                         const SshRunFeed& feed = SshRunFeed());

    QString fingerprint() const { return m_fingerprint; }
    // The session's request server, if one was started (for tests and diagnostics).
    const ServeChannel* serveChannel() const { return m_serve.get(); }

private:
    SshResult verifyHostKey(HostKeyStore& known, const HostKeyPolicy& policy);
    SshResult authenticate();
    SshResult failure(SshErrorKind kind, const QString& what) const;
    SshResult upload(const SshCommand& c); // SFTP, blocking on this session

    SshTarget m_target;
    SshIdentity m_identity;
    PassphraseProvider m_passphrase;
    ssh_session_struct* m_session = nullptr;
    QString m_fingerprint;
    int m_commandsRun = 0;
    int m_channelTimeoutMs = 10000;
    std::unique_ptr<ServeChannel> m_serve; // ended before the session is freed
};

SshErrorKind classifyConnectError(const QString& libsshMessage);
// True when both name the same SHA256 key, with or without "SHA256:" and padding.
bool sameFingerprint(const QString& a, const QString& b);

} // namespace chom
