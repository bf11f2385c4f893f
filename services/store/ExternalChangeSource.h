#pragma once

#include "base/ChangeNotifier.h"

#include <QMutex>
#include <QString>
#include <QWaitCondition>

#include <memory>

class QSemaphore;
class QThread;

namespace chom {

class Store;

// Emits, through the ChangeNotifier, the changes other processes (another
// console, a chomctl) made to the same store, so open pages and caches
// refresh within one poll interval. On its own thread with its own
// connection: every intervalMs one `PRAGMA data_version` (it changes only
// when another connection committed); only then it reads change_log rows
// newer than the last one seen and passes on those of other origins.
class ExternalChangeSource
{
public:
    // Returns once the watch has its baseline (one indexed query on its own
    // thread): call it off the GUI thread.
    ExternalChangeSource(Store& store, ChangeNotifier& notifier, QString origin,
                         int intervalMs = 500);
    ~ExternalChangeSource(); // stops and joins the thread

    ExternalChangeSource(const ExternalChangeSource&) = delete;
    ExternalChangeSource& operator=(const ExternalChangeSource&) = delete;

private:
    void loop(QSemaphore& baseline);
    void poll(qint64& version, qint64& seq);

    Store& m_store;
    ChangeNotifier& m_notifier;
    const QString m_origin;
    const int m_intervalMs;
    QMutex m_mutex;
    QWaitCondition m_wake;
    bool m_stopping = false;
    std::unique_ptr<QThread> m_thread;
};

} // namespace chom
