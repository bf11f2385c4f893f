#include "store/ExternalChangeSource.h"

#include "store/ChangeLog.h"
#include "store/Store.h"

#include <QEventLoop>
#include <QSemaphore>
#include <QSqlDriver>
#include <QThread>
#include <QTimer>

namespace chom {
namespace {
constexpr int kPruneEveryMs = 300000;
constexpr int kPostgresSafetyPollMs = 5000;
constexpr qint64 kReread = 64; // seqs below the newest that may still commit
} // namespace

ExternalChangeSource::ExternalChangeSource(Store& store, ChangeNotifier& notifier, QString origin,
                                           int intervalMs)
    : m_store(store), m_notifier(notifier), m_origin(std::move(origin)),
      m_intervalMs(qMax(50, intervalMs))
{
    QSemaphore baseline;
    m_thread.reset(QThread::create([this, &baseline] { run(baseline); }));
    m_thread->setObjectName(QStringLiteral("chom-change-watch"));
    m_thread->start(QThread::LowPriority);
    baseline.acquire(); // changes committed from here on are passed on
}

ExternalChangeSource::~ExternalChangeSource()
{
    // quit() ends the event loop run() enters, or keeps it from starting.
    m_thread->quit();
    m_thread->wait();
}

void ExternalChangeSource::run(QSemaphore& baseline)
{
    ChangeLog log(m_store);
    // Start from "now": what happened before the watch began is already in
    // what the front-end loads. The constructor waits for this baseline.
    const auto v = log.dataVersion();
    const auto h = log.head();
    m_version = v ? v.value() : 0;
    m_seq = h ? h.value() : 0;
    if (const auto seen = log.since(qMax<qint64>(0, m_seq - kReread)); seen)
        for (const ChangeLog::Entry& e : seen.value())
            m_recent.insert(e.seq); // already in what the front-end loads
    const bool sqlite = m_store.isSqlite();
    if (!sqlite)
        listen();
    baseline.release();

    QEventLoop loop;
    QTimer poller;
    QObject::connect(&poller, &QTimer::timeout, &loop, [this] { poll(); });
    poller.start(sqlite ? m_intervalMs : kPostgresSafetyPollMs);
    QTimer pruner;
    QObject::connect(&pruner, &QTimer::timeout, &loop, [this] {
        if (!ChangeLog(m_store).prune())
            qWarning("chom: could not prune the change log");
    });
    pruner.start(kPruneEveryMs);
    if (!sqlite)
        QObject::connect(m_store.db().driver(),
                         qOverload<const QString&, QSqlDriver::NotificationSource, const QVariant&>(
                             &QSqlDriver::notification),
                         &loop, [this] { pass(qMax<qint64>(0, m_seq - kReread)); });
    loop.exec();
}

// LISTEN on this thread's connection: the driver reads its socket from this
// thread's event loop.
void ExternalChangeSource::listen()
{
    QSqlDriver* driver = m_store.db().driver();
    if (!driver || !driver->subscribeToNotification(ChangeLog::kChannel))
        qWarning("chom: cannot LISTEN for other processes' changes; polling every %d s instead",
                 kPostgresSafetyPollMs / 1000);
}

void ExternalChangeSource::poll()
{
    if (!m_store.isSqlite()) {
        pass(qMax<qint64>(0, m_seq - kReread));
        return;
    }
    const auto now = ChangeLog(m_store).dataVersion();
    if (!now || now.value() == m_version)
        return;
    m_version = now.value();
    pass(m_seq);
}

void ExternalChangeSource::pass(qint64 from)
{
    const auto entries = ChangeLog(m_store).since(from);
    if (!entries)
        return; // busy or gone: the next poll sees the same rows
    for (const ChangeLog::Entry& e : entries.value()) {
        if (m_recent.contains(e.seq))
            continue;
        m_recent.insert(e.seq);
        m_seq = qMax(m_seq, e.seq);
        if (e.origin != m_origin)
            m_notifier.notifyExternal(e.entity, e.ids);
    }
    // Only seqs inside the re-read window can come back.
    const qint64 floor = m_seq - kReread;
    m_recent.removeIf([floor](qint64 seq) { return seq < floor; });
}

} // namespace chom
