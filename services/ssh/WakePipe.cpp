#include "ssh/WakePipe.h"

#include <fcntl.h>
#include <unistd.h>

namespace chom {
namespace {

void setFlags(int fd)
{
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
}

} // namespace

WakePipe::WakePipe()
{
    int fds[2];
    if (::pipe(fds) != 0)
        return; // callers fall back to their poll timeout
    setFlags(fds[0]);
    setFlags(fds[1]);
    m_read = fds[0];
    m_write = fds[1];
}

WakePipe::~WakePipe()
{
    if (m_read >= 0)
        ::close(m_read);
    if (m_write >= 0)
        ::close(m_write);
}

void WakePipe::notify()
{
    if (m_write < 0)
        return;
    const char c = 1;
    // A full pipe already guarantees a wake-up: EAGAIN is fine.
    [[maybe_unused]] const ssize_t n = ::write(m_write, &c, 1);
}

void WakePipe::clear()
{
    if (m_read < 0)
        return;
    char buf[64];
    while (::read(m_read, buf, sizeof buf) > 0) {
    }
}

} // namespace chom
