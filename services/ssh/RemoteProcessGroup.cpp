#include "ssh/RemoteProcessGroup.h"

#include "ssh/BlockingExec.h"

namespace chom {
namespace {

const QByteArray kMarker = "chom-pgid:";
constexpr int kMaxHeader = 40;

} // namespace

QByteArray RemoteProcessGroup::wrap(const QByteArray& command)
{
    QByteArray wrapped("printf 'chom-pgid:%s\\n' \"$$\" >&2; ");
    return wrapped.append(command);
}

int RemoteProcessGroup::take(const char* data, int size)
{
    if (m_done)
        return size;
    const int before = int(m_header.size());
    m_header.append(data, size);
    const int nl = int(m_header.indexOf('\n'));
    if (nl < 0 && m_header.size() < kMaxHeader && kMarker.startsWith(m_header.left(kMarker.size())))
        return 0; // still arriving
    m_done = true;
    if (nl < 0 || !m_header.startsWith(kMarker)) // no header: it is all stderr
        return size;
    bool ok = false;
    const qint64 pgid = m_header.mid(kMarker.size(), nl - kMarker.size()).toLongLong(&ok);
    if (ok && pgid > 1)
        m_pgid = pgid;
    return qMax(0, size - (nl + 1 - before));
}

void RemoteProcessGroup::kill(ssh_session_struct* session, qint64 pgid, int timeoutMs)
{
    if (pgid <= 1)
        return;
    const QByteArray g = QByteArray::number(pgid);
    // The KILL waits in the background, detached from the channel.
    QByteArray line("kill -TERM -"); // no "--": dash reads it as a pid
    line.append(g).append(" 2>/dev/null; (sleep 2; kill -KILL -").append(g);
    line.append(") </dev/null >/dev/null 2>&1 &");
    execBlocking(session, line, timeoutMs);
}

} // namespace chom
