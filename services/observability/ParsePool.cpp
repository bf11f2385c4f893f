#include "observability/ParsePool.h"

#include <QThread>
#include <QThreadPool>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace chom::metrics {

namespace {

class LowPriorityPool : public QThreadPool
{
public:
    LowPriorityPool()
    {
        // One parser per spare core: the GUI thread keeps one for itself.
        setMaxThreadCount(qMax(1, QThread::idealThreadCount() - 1));
        setExpiryTimeout(30000);
#ifndef Q_OS_LINUX
        setThreadPriority(QThread::LowPriority);
#endif
    }
};

} // namespace

QThreadPool& parsePool()
{
    static LowPriorityPool pool;
    return pool;
}

// Called first in every parse task: Qt cannot lower a SCHED_OTHER thread on
// Linux (its priorities map to nothing there), a per-thread nice can.
void lowerParseThreadPriority()
{
#ifdef Q_OS_LINUX
    thread_local bool lowered = false;
    if (!lowered) {
        lowered = true;
        setpriority(PRIO_PROCESS, id_t(syscall(SYS_gettid)), 10);
    }
#endif
}

} // namespace chom::metrics
