#pragma once

namespace chom {

// A self-pipe that wakes a thread sleeping in poll(): the pool thread of a
// host polls its SSH socket and this pipe, so a newly queued command or a
// cancel is seen at once instead of at the next poll timeout. POSIX only.
class WakePipe
{
public:
    WakePipe();
    ~WakePipe();
    WakePipe(const WakePipe&) = delete;
    WakePipe& operator=(const WakePipe&) = delete;

    int fd() const { return m_read; } // -1 if the pipe could not be made
    void notify();                    // any thread; never blocks
    void clear();                     // the polling thread, after a wake

private:
    int m_read = -1;
    int m_write = -1;
};

} // namespace chom
