#pragma once

#include "base/Result.h"

#include <QByteArray>
#include <QString>

struct ssh_session_struct;

namespace chom {

// sshd runs every command through the user's login shell, and the console's
// quoting (shell::quote) is POSIX: under fish, csh or tcsh a quoted value
// can still run code. So each new session first asks which shell it has and
// refuses a host whose login shell is not POSIX (unsupported_shell).
namespace loginshell {

// Constant text that parses alike in POSIX shells, fish and csh.
QByteArray probeCommand();
// The shell named by the probe's output, or empty when it names none.
QString parseProbe(const QByteArray& out);
bool isPosix(const QString& shellPath);
// Runs the probe on the session: ok, or the reason to refuse the host.
Status check(ssh_session_struct* session, int timeoutMs);

} // namespace loginshell
} // namespace chom
