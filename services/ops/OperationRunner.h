#pragma once

#include "base/Result.h"
#include "ops/Recipe.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QThreadPool>
#include <QWaitCondition>

#include <functional>
#include <memory>

namespace chom {

class Store;
class ChangeNotifier;

// Runs recipes on its own threads and journals every operation and step in
// the `operations` table (steps are child rows), so a crash loses nothing:
// at start, runs left "running" are marked interrupted and can be retried.
// Other processes cancel through the journal (OperationJournal::requestCancel):
// a poller thread of this runner reads the requests for all of its runs with
// one query every kCancelPollMs and cancels them as cancel() does.
class OperationRunner : public QObject
{
    Q_OBJECT
public:
    OperationRunner(Store& store, ChangeNotifier* notifier = nullptr, QObject* parent = nullptr);
    ~OperationRunner() override; // cancels every run and joins every step body

    Result<Id> start(Recipe recipe); // returns the operation id at once
    void cancel(Id operationId);
    static constexpr int kCancelPollMs = 500;
    bool waitForFinished(Id operationId, int timeoutMs = -1); // not on the GUI thread
    int running() const;

    // Marks operations a previous process left running/pending as interrupted.
    static Result<QVector<Id>> recoverInterrupted(Store& store);

Q_SIGNALS:
    void operationStarted(chom::Id operationId);
    void stepStarted(chom::Id operationId, int step, const QString& name);
    void stepFinished(chom::Id operationId, int step, bool ok, const QString& error);
    void progressChanged(chom::Id operationId, double progress);
    void logLine(chom::Id operationId, const QString& line);
    void operationFinished(chom::Id operationId, const QString& status, const QString& error);

private:
    struct Run;
    void execute(std::shared_ptr<Run> run);
    void journalWrite(Id opId, const char* what, const std::function<Status()>& write);
    void pollCancelRequests(); // the poller thread's loop

    Store& m_store;
    ChangeNotifier* m_notifier;
    QThreadPool m_operations; // one thread per running operation
    QThreadPool m_steps;      // parallel children of every group
    QThreadPool m_bodies;     // step bodies (joined by the destructor)
    mutable QMutex m_mutex;
    QHash<Id, std::shared_ptr<Run>> m_runs;
    QWaitCondition m_pollWake; // with m_mutex: a run started, or stopping
    bool m_stopping = false;
    std::unique_ptr<QThread> m_poller; // own thread, own store connection
};

} // namespace chom
