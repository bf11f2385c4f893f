#include "inventory/StoreExecutor.h"

#include <QSemaphore>

namespace chom {

StoreExecutor::StoreExecutor(Core& core, QObject* parent)
    : QObject(parent), m_core(core), m_worker(new QObject)
{
    m_thread.setObjectName(QStringLiteral("chom-store"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

// Work queued before destruction still runs (a save clicked just before quit
// must land); results are no longer delivered once the executor is gone.
StoreExecutor::~StoreExecutor()
{
    drain();
    m_thread.quit();
    m_thread.wait();
}

void StoreExecutor::drain()
{
    QSemaphore done;
    QMetaObject::invokeMethod(
        m_worker, [&done]() { done.release(); }, Qt::QueuedConnection);
    done.acquire();
}

} // namespace chom
