#include "base/Async.h"

namespace chom::async {

QThreadPool& blockingPool()
{
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool; // lives to exit; drainPools() joins its jobs
        p->setMaxThreadCount(4);
        p->setObjectName(QStringLiteral("chom-blocking"));
        return p;
    }();
    return *pool;
}

void drainPools()
{
    blockingPool().waitForDone();
}

} // namespace chom::async
