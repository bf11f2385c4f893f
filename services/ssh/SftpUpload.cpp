#include "ssh/SftpUpload.h"
#include "ssh/BlockingExec.h"
#include "ssh/ShellQuote.h"

#include <libssh/libssh.h>
#include <libssh/sftp.h>

#include <fcntl.h>

namespace chom {

SftpUpload::SftpUpload(ssh_session_struct* session, const SshCommand& command)
    : m_session(session), m_command(command), m_path(command.uploadPath.toUtf8()),
      m_part(m_path + ".part")
{
}

SshResult SftpUpload::fail(const QString& what) const
{
    SshResult r = SshResult::failed(SshErrorKind::ChannelFailed, what);
    r.exitStatus = -1;
    return r;
}

SshResult SftpUpload::run()
{
    sftp_session sftp = sftp_new(m_session);
    if (!sftp || sftp_init(sftp) != SSH_OK) {
        if (sftp)
            sftp_free(sftp);
        return fail(QStringLiteral("the server offers no SFTP subsystem: %1")
                        .arg(QString::fromUtf8(ssh_get_error(m_session))));
    }
    QString error;
    const bool written = writePart(sftp, &error);
    sftp_free(sftp);
    if (!written || !moveIntoPlace(&error))
        return fail(error);
    SshResult ok;
    ok.exitStatus = 0;
    return ok;
}

bool SftpUpload::writePart(void* session, QString* error)
{
    auto sftp = static_cast<sftp_session>(session);
    auto failed = [&](const QString& what) {
        *error = QStringLiteral("%1 (SFTP error %2)").arg(what).arg(sftp_get_error(sftp));
        return false;
    };
    const QList<QByteArray> parts = m_path.split('/');
    QByteArray dir;
    for (int i = 0; i + 1 < parts.size(); ++i) { // mkdir -p; existing ones fail harmlessly
        if (parts[i].isEmpty())
            continue;
        dir += '/' + parts[i];
        sftp_mkdir(sftp, dir.constData(), 0755);
    }
    const QString shown = QString::fromUtf8(m_part);
    const auto mode = mode_t(m_command.uploadMode);
    sftp_file f = sftp_open(sftp, m_part.constData(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (!f)
        return failed(QStringLiteral("cannot create %1").arg(shown));
    const QByteArray& data = m_command.uploadData;
    for (qsizetype off = 0; off < data.size();) {
        const qsizetype n = qMin<qsizetype>(32768, data.size() - off);
        const ssize_t w = sftp_write(f, data.constData() + off, size_t(n));
        if (w <= 0) {
            sftp_close(f);
            return failed(QStringLiteral("write to %1 failed").arg(shown));
        }
        off += w;
    }
    // The server reports a failed flush (a full disk) only when the handle closes.
    if (sftp_close(f) != SSH_OK)
        return failed(QStringLiteral("closing %1 failed").arg(shown));
    if (sftp_chmod(sftp, m_part.constData(), mode) != SSH_OK)
        return failed(QStringLiteral("cannot set the mode of %1").arg(shown));
    return true;
}

bool SftpUpload::moveIntoPlace(QString* error)
{
    const auto cmd =
        shell::join(QStringLiteral("mv"), {QStringLiteral("-f"), QStringLiteral("--"),
                                           QString::fromUtf8(m_part), m_command.uploadPath});
    if (!cmd) {
        *error = cmd.error().message;
        return false;
    }
    const int status =
        execBlocking(m_session, cmd.value().toUtf8(), m_command.timeouts.commandMs).exitStatus;
    if (status == 0)
        return true;
    *error = QStringLiteral("cannot move %1 into place (status %2)")
                 .arg(m_command.uploadPath)
                 .arg(status);
    return false;
}

} // namespace chom
