#include "ssh/SshTypes.h"

namespace chom {

QString toString(SshErrorKind k)
{
    static const char* const names[] = {"none",
                                        "resolve",
                                        "refused",
                                        "timeout",
                                        "auth_failed",
                                        "host_key_unknown",
                                        "host_key_changed",
                                        "disconnected",
                                        "channel_failed",
                                        "command_timeout",
                                        "silence",
                                        "output_too_large",
                                        "unsupported_shell",
                                        "cancelled",
                                        "breaker_open",
                                        "invalid_argument",
                                        "internal"};
    return QString::fromLatin1(names[int(k)]);
}

bool isTransportFailure(SshErrorKind k)
{
    switch (k) {
    case SshErrorKind::Resolve:
    case SshErrorKind::Refused:
    case SshErrorKind::Timeout:
    case SshErrorKind::Disconnected:
        return true;
    default:
        return false;
    }
}

Error toError(const SshResult& r)
{
    switch (r.error) {
    case SshErrorKind::None:
        return makeError(
            ErrorKind::Remote, QStringLiteral("remote_exit"),
            r.message.isEmpty()
                ? QStringLiteral("The command exited with status %1.").arg(r.exitStatus)
                : r.message);
    case SshErrorKind::Cancelled:
        return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"), r.message);
    case SshErrorKind::OutputTooLarge: // the host answered, with far too much
    case SshErrorKind::UnsupportedShell:
        return makeError(ErrorKind::Remote, toString(r.error), r.message);
    case SshErrorKind::InvalidArgument:
        return makeError(ErrorKind::Usage, toString(r.error), r.message);
    case SshErrorKind::Internal:
        return makeError(ErrorKind::Internal, toString(r.error), r.message);
    default: // every other kind: the connection or the channel failed
        return makeError(ErrorKind::Transport, toString(r.error), r.message);
    }
}

} // namespace chom
