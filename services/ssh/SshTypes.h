#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>

#include <functional>
#include <memory>

namespace chom {

class ServeRequest;

// Where and as whom to connect. `key` identifies the pool entry.
struct SshTarget
{
    QString host; // address or name
    int port = 22;
    QString user = QStringLiteral("root");
    Id vpsId = 0;
    QString key() const { return QStringLiteral("%1@%2:%3").arg(user, host).arg(port); }
};

// How to authenticate. A private key comes as PEM/OpenSSH text held in
// memory (from the keychain) or as a file path; or the ssh-agent is used.
struct SshIdentity
{
    QString privateKeyPath;
    QByteArray privateKeyText;
    bool useAgent = false;
    QString name; // shown when asking for a passphrase
};

// Asked on a pool thread when a key is encrypted; returns empty to give up.
using PassphraseProvider = std::function<QString(const QString& keyName)>;

struct SshTimeouts
{
    int connectMs = 10000; // TCP connect + banner + key exchange
    int authMs = 10000;
    int commandMs = 120000; // whole command
    int silenceMs = 60000;  // no output at all for this long
};

enum class SshErrorKind
{
    None,
    Resolve, // name does not resolve
    Refused, // TCP refused / unreachable
    Timeout, // connect, key exchange or auth did not finish in time
    AuthFailed,
    HostKeyUnknown, // first contact: operator must trust the fingerprint
    HostKeyChanged, // refused, never accepted silently
    Disconnected,   // the session died mid-way
    ChannelFailed,
    CommandTimeout,
    Silence,
    OutputTooLarge,   // stdout or stderr passed the command's cap: the channel was closed
    UnsupportedShell, // the login shell is not POSIX: nothing is sent through it
    Cancelled,
    BreakerOpen,
    InvalidArgument,
    Internal,
};
QString toString(SshErrorKind k);
// Transport failures count against a host's breaker; anything the remote
// side answered (including a non-zero exit) does not.
bool isTransportFailure(SshErrorKind k);

struct SshResult
{
    SshErrorKind error = SshErrorKind::None;
    QString message;     // human sentence when error != None
    int exitStatus = -1; // remote exit status when the command ran
    QByteArray out;
    QByteArray err;
    qint64 durationMs = 0;
    bool reusedSession = false;
    bool served = false;    // answered by the session's request server (ServeChannel)
    QString fingerprint;    // server key, SHA256:…, when known
    QString oldFingerprint; // on HostKeyChanged
    bool ok() const { return error == SshErrorKind::None && exitStatus == 0; }
    static SshResult failed(SshErrorKind kind, const QString& message)
    {
        SshResult r;
        r.error = kind;
        r.message = message;
        return r;
    }
};

// The core error for a failed job, with its kind set here rather than
// guessed from the code: connection and channel failures are transport,
// a non-zero exit (code remote_exit) is remote, cancel is cancelled.
// Only for a result that is not ok().
Error toError(const SshResult& r);

struct SshCommand
{
    QString command; // built with shell::join — values single-quoted
    QByteArray stdinData;
    SshTimeouts timeouts;
    // Cap on each of stdout and stderr. A host that sends more (a flood, a
    // compromised server) fails the job with OutputTooLarge and the channel
    // is closed, so memory stays bounded whatever the remote side does.
    qsizetype maxOutputBytes = kDefaultMaxOutputBytes;
    static constexpr qsizetype kDefaultMaxOutputBytes = 1 << 20; // the agent's replies fit
    // sshd hands the command to the login shell as one argument, and Linux
    // caps one argument at 128 KiB (MAX_ARG_STRLEN, NUL included): longer
    // commands are refused before sending, as InvalidArgument (the margin
    // leaves room for the process-group prefix, RemoteProcessGroup::wrap).
    static constexpr qsizetype kMaxCommandBytes = 128 * 1024 - 256;
    // When set, the job is an SFTP upload of uploadData to this absolute
    // path (parents created, written to a .part file, then renamed into
    // place) instead of a command.
    QString uploadPath;
    QByteArray uploadData;
    int uploadMode = 0755;
    // When set, a request server on the session answers the job if it can
    // (ServeChannel); `command` + `stdinData` remain the one-shot form.
    std::shared_ptr<const ServeRequest> serve;
};

} // namespace chom

Q_DECLARE_METATYPE(chom::SshResult)
