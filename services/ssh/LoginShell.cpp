#include "ssh/LoginShell.h"

#include "ssh/BlockingExec.h"

#include <QStringList>

namespace chom::loginshell {
namespace {

const char kMarker[] = "chom-login-shell:";

} // namespace

QByteArray probeCommand()
{
    return QByteArray("echo \"") + kMarker + "$SHELL\"";
}

QString parseProbe(const QByteArray& out)
{
    for (const QByteArray& line : out.split('\n')) {
        if (line.startsWith(kMarker))
            return QString::fromUtf8(line.mid(int(sizeof kMarker) - 1)).trimmed();
    }
    return {};
}

bool isPosix(const QString& shellPath)
{
    static const QStringList posix = {
        QStringLiteral("sh"),   QStringLiteral("bash"), QStringLiteral("dash"),
        QStringLiteral("ash"),  QStringLiteral("ksh"),  QStringLiteral("ksh93"),
        QStringLiteral("mksh"), QStringLiteral("lksh"), QStringLiteral("zsh"),
        QStringLiteral("yash"), QStringLiteral("posh"), QStringLiteral("busybox")};
    if (!shellPath.startsWith(QLatin1Char('/')))
        return false;
    return posix.contains(shellPath.section(QLatin1Char('/'), -1));
}

Status check(ssh_session_struct* session, int timeoutMs)
{
    const BlockingExecResult r = execBlocking(session, probeCommand(), timeoutMs);
    const QString shell = parseProbe(r.out);
    if (r.exitStatus != 0 || shell.isEmpty())
        return makeError(ErrorKind::Remote, QStringLiteral("unsupported_shell"),
                         QStringLiteral("the login shell could not be identified (status %1); "
                                        "commands are sent only through a POSIX shell")
                             .arg(r.exitStatus));
    if (!isPosix(shell))
        return makeError(ErrorKind::Remote, QStringLiteral("unsupported_shell"),
                         QStringLiteral("the login shell %1 is not a POSIX shell, and commands "
                                        "sent through it could be misread; give the SSH user "
                                        "a POSIX login shell (chsh -s /bin/bash USER)")
                             .arg(shell.left(200)));
    return okStatus();
}

} // namespace chom::loginshell
