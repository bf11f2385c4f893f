#pragma once

#include "ssh/SshTypes.h"

struct ssh_session_struct;

namespace chom {

// Puts one file on the host: parents created, the bytes written over SFTP
// to PATH.part, the write and the close both checked, then PATH.part moved
// over PATH by rename(2) on the host, so PATH is always either the old file
// or the complete new one. (SFTPv3 rename refuses to overwrite, and libssh
// offers no posix-rename extension, so the move runs as `mv -f`.)
class SftpUpload
{
public:
    SftpUpload(ssh_session_struct* session, const SshCommand& command);
    // Blocks on the session. The failure message names what failed; the
    // caller prefixes the host.
    SshResult run();

private:
    SshResult fail(const QString& what) const;
    bool writePart(void* sftp, QString* error);
    bool moveIntoPlace(QString* error);

    ssh_session_struct* m_session;
    const SshCommand& m_command;
    QByteArray m_path;
    QByteArray m_part;
};

} // namespace chom
