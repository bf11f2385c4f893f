#include "ssh/SshJob.h"

namespace chom {

SshResult SshJob::wait()
{
    QMutexLocker lock(&m_mutex);
    while (!m_finished)
        m_done.wait(&m_mutex);
    return m_result;
}

bool SshJob::isFinished() const
{
    QMutexLocker lock(&m_mutex);
    return m_finished;
}

void SshJob::finish(SshResult result)
{
    QMutexLocker lock(&m_mutex);
    if (m_finished)
        return;
    m_result = std::move(result);
    m_finished = true;
    m_done.wakeAll();
}

} // namespace chom
