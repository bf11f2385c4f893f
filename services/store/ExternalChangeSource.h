#pragma once

#include "base/ChangeNotifier.h"

#include <QSet>
#include <QString>

#include <memory>

class QSemaphore;
class QThread;

namespace chom {

class Store;

// Emits, through the ChangeNotifier, the changes other processes (another
// console, a chomctl) made to the same store, so open pages and caches
// refresh within one poll interval. On its own thread, with its own
// connection and event loop, it reads the change_log rows newer than the
// last one seen and passes on those of other origins, when:
// - SQLite: every intervalMs `PRAGMA data_version` changed (it changes only
//   when another connection committed);
// - PostgreSQL: a NOTIFY on ChangeLog::kChannel arrives (LISTEN), and every
//   few seconds as a safety net for a dropped connection. PostgreSQL's
//   writers commit out of sequence order, so it re-reads a short window
//   below the newest seq and skips the rows it already passed on.
class ExternalChangeSource
{
public:
    // Returns once the watch has its baseline (one indexed query on its own
    // thread): call it off the GUI thread.
    ExternalChangeSource(Store& store, ChangeNotifier& notifier, QString origin,
                         int intervalMs = 500);
    ~ExternalChangeSource(); // ends the thread's event loop and joins it

    ExternalChangeSource(const ExternalChangeSource&) = delete;
    ExternalChangeSource& operator=(const ExternalChangeSource&) = delete;

private:
    void run(QSemaphore& baseline);
    void listen();
    void poll();
    void pass(qint64 from);

    Store& m_store;
    ChangeNotifier& m_notifier;
    const QString m_origin;
    const int m_intervalMs;
    // Watch-thread state.
    qint64 m_version = 0;
    qint64 m_seq = 0;
    QSet<qint64> m_recent; // PostgreSQL: seqs passed on within the re-read window
    int m_polls = 0;
    std::unique_ptr<QThread> m_thread;
};

} // namespace chom
