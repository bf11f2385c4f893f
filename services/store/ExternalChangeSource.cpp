#include "store/ExternalChangeSource.h"

#include "store/ChangeLog.h"
#include "store/Store.h"

#include <QDeadlineTimer>
#include <QSemaphore>
#include <QThread>

namespace chom {
namespace {
constexpr int kPrunePolls = 600; // about every 5 min at the default interval
}

ExternalChangeSource::ExternalChangeSource(Store& store, ChangeNotifier& notifier, QString origin,
                                           int intervalMs)
    : m_store(store), m_notifier(notifier), m_origin(std::move(origin)),
      m_intervalMs(qMax(50, intervalMs))
{
    QSemaphore baseline;
    m_thread.reset(QThread::create([this, &baseline] { loop(baseline); }));
    m_thread->setObjectName(QStringLiteral("chom-change-watch"));
    m_thread->start(QThread::LowPriority);
    baseline.acquire(); // changes committed from here on are passed on
}

ExternalChangeSource::~ExternalChangeSource()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    m_thread->wait();
}

void ExternalChangeSource::loop(QSemaphore& baseline)
{
    ChangeLog log(m_store);
    // Start from "now": what happened before the watch began is already in
    // what the front-end loads. The constructor waits for this baseline.
    const auto v = log.dataVersion();
    const auto h = log.head();
    qint64 version = v ? v.value() : 0;
    qint64 seq = h ? h.value() : 0;
    baseline.release();
    int polls = 0;
    QMutexLocker lock(&m_mutex);
    while (!m_stopping) {
        m_wake.wait(&m_mutex, QDeadlineTimer(m_intervalMs));
        if (m_stopping)
            break;
        lock.unlock();
        poll(version, seq);
        if (++polls % kPrunePolls == 0 && !log.prune())
            qWarning("chom: could not prune the change log");
        lock.relock();
    }
}

void ExternalChangeSource::poll(qint64& version, qint64& seq)
{
    ChangeLog log(m_store);
    const auto now = log.dataVersion();
    if (!now || now.value() == version)
        return;
    version = now.value();
    const auto entries = log.since(seq);
    if (!entries)
        return; // busy or gone: the next poll sees the same rows
    for (const ChangeLog::Entry& e : entries.value()) {
        seq = e.seq;
        if (e.origin != m_origin)
            m_notifier.notifyExternal(e.entity, e.ids);
    }
}

} // namespace chom
