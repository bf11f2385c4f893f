#include "ops/OperationRunner.h"

#include "base/ChangeNotifier.h"
#include "store/OperationJournal.h"
#include "store/Store.h"

#include <QSemaphore>
#include <QThread>
#include <QUuid>
#include <QWaitCondition>

namespace chom {
namespace {

// A step body runs on the runner's bounded body pool so a step that ignores
// its timeout can never hold the operation: the runner stops waiting, cancels
// its context and moves on; a late result is dropped. The destructor joins
// every body, so none outlives the runner it reports to.
struct StepCall
{
    QMutex mutex;
    QWaitCondition done;
    bool finished = false;
    StepOutcome outcome;
    std::atomic<bool> cancelled{false};
};

} // namespace

struct OperationRunner::Run
{
    Recipe recipe;
    Id id = 0;
    QVector<Id> stepIds;
    std::atomic<bool> cancelled{false};
    std::atomic<bool> failed{false};
    std::atomic<int> finishedSteps{0};
    QMutex mutex;
    QWaitCondition finishedCond;
    bool finished = false;
    QString firstError;
    QVector<std::shared_ptr<StepCall>> activeCalls;
};

OperationRunner::OperationRunner(Store& store, ChangeNotifier* notifier, QObject* parent)
    : QObject(parent), m_store(store), m_notifier(notifier)
{
    m_operations.setMaxThreadCount(16);
    m_steps.setMaxThreadCount(64);
    m_bodies.setMaxThreadCount(96); // every running step's body, plus late timed-out ones
    m_poller.reset(QThread::create([this] { pollCancelRequests(); }));
    m_poller->setObjectName(QStringLiteral("chom-cancel-poll"));
    m_poller->start();
}

OperationRunner::~OperationRunner()
{
    {
        QMutexLocker lock(&m_mutex);
        for (auto& r : m_runs) {
            r->cancelled = true;
            QMutexLocker runLock(&r->mutex);
            for (auto& call : r->activeCalls)
                call->cancelled = true;
        }
        m_stopping = true;
        m_pollWake.wakeAll();
    }
    m_poller->wait();
    m_steps.waitForDone();
    m_operations.waitForDone();
    m_bodies.waitForDone(); // bodies left behind by a timeout, cancelled above
}

Result<QVector<Id>> OperationRunner::recoverInterrupted(Store& store)
{
    return OperationJournal(store).markInterrupted();
}

Result<Id> OperationRunner::start(Recipe recipe)
{
    if (recipe.steps.isEmpty())
        return makeError(QStringLiteral("invalid_recipe"),
                         QStringLiteral("An operation needs at least one step."));
    auto run = std::make_shared<Run>();
    run->recipe = std::move(recipe);
    OperationJournal journal(m_store);
    Operation op;
    op.correlationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    op.type = run->recipe.type;
    op.targetType = run->recipe.targetType;
    op.targetId = run->recipe.targetId;
    op.tenantId = run->recipe.tenantId;
    op.inputJson = run->recipe.inputJson;
    Transaction tx(m_store.db());
    auto id = journal.insert(op);
    if (!id)
        return id;
    run->id = id.value();
    for (int i = 0; i < run->recipe.steps.size(); ++i) {
        Operation step = op;
        step.type = op.type + QLatin1Char('/') + run->recipe.steps[i].name;
        step.priority = i;
        step.inputJson = QString();
        auto sid = journal.insert(step, run->id);
        if (!sid)
            return sid;
        run->stepIds << sid.value();
    }
    auto c = tx.commit();
    if (!c)
        return c.error();
    {
        QMutexLocker lock(&m_mutex);
        m_runs.insert(run->id, run);
        m_pollWake.wakeAll();
    }
    m_operations.start([this, run] { execute(run); });
    if (m_notifier)
        m_notifier->notify(ChangeNotifier::Entity::Operations, {run->id});
    return run->id;
}

void OperationRunner::cancel(Id operationId)
{
    QMutexLocker lock(&m_mutex);
    if (auto run = m_runs.value(operationId)) {
        run->cancelled = true;
        QMutexLocker runLock(&run->mutex);
        for (auto& call : run->activeCalls)
            call->cancelled = true;
    }
}

void OperationRunner::pollCancelRequests()
{
    // Sleeps without a timeout while nothing runs; otherwise one SELECT per
    // kCancelPollMs for all runs of this runner, never on the GUI thread.
    QMutexLocker lock(&m_mutex);
    QDeadlineTimer next(kCancelPollMs);
    while (!m_stopping) {
        if (m_runs.isEmpty()) {
            m_pollWake.wait(&m_mutex);
            next.setRemainingTime(kCancelPollMs);
            continue;
        }
        if (!next.hasExpired()) {
            m_pollWake.wait(&m_mutex, next);
            continue;
        }
        const QVector<Id> ids = m_runs.keys();
        lock.unlock();
        auto requested = OperationJournal(m_store).cancelRequested(ids);
        if (requested)
            for (Id id : requested.value())
                cancel(id);
        lock.relock();
        next.setRemainingTime(kCancelPollMs);
    }
}

bool OperationRunner::waitForFinished(Id operationId, int timeoutMs)
{
    std::shared_ptr<Run> run;
    {
        QMutexLocker lock(&m_mutex);
        run = m_runs.value(operationId);
    }
    if (!run)
        return true;
    QMutexLocker lock(&run->mutex);
    QDeadlineTimer deadline(timeoutMs < 0 ? QDeadlineTimer::Forever : QDeadlineTimer(timeoutMs));
    while (!run->finished)
        if (!run->finishedCond.wait(&run->mutex, deadline))
            return false;
    return true;
}

int OperationRunner::running() const
{
    QMutexLocker lock(&m_mutex);
    return m_runs.size();
}

// Journal writes retry briefly (another process may hold the write lock past
// the busy timeout), then say so in the operation's output and the log: the
// run goes on, and recovery at the next start marks what stayed unwritten.
void OperationRunner::journalWrite(Run& run, const char* what, const std::function<Status()>& write)
{
    Status st = write();
    for (int attempt = 1; !st && attempt < 3; ++attempt) {
        QThread::msleep(100 * attempt);
        st = write();
    }
    if (st)
        return;
    const QString line = QStringLiteral("journal: could not record %1: %2")
                             .arg(QString::fromLatin1(what), st.errorMessage());
    qWarning("chom: operation %lld: %s", qlonglong(run.id), qPrintable(line));
    Q_EMIT logLine(run.id, line);
}

void OperationRunner::journalStep(Run& run, int index, const QString& status, const QString& error,
                                  const QString& output)
{
    const Id stepId = run.stepIds[index];
    if (status == QLatin1String("running")) {
        journalWrite(run, "a step start",
                     [&] { return OperationJournal(m_store).markRunning(stepId); });
        return;
    }
    const OperationStatus s = operationStatusFromString(status).value_or(OperationStatus::Failed);
    journalWrite(run, "a step result",
                 [&] { return OperationJournal(m_store).markFinished(stepId, s, error, output); });
}

void OperationRunner::journalOperation(Run& run, const QString& status, const QString& error)
{
    const OperationStatus s = operationStatusFromString(status).value_or(OperationStatus::Failed);
    journalWrite(run, "the final status", [&] {
        return OperationJournal(m_store).markFinished(run.id, s, error, QString());
    });
}

bool OperationRunner::runStep(Run& run, int index)
{
    const Step& step = run.recipe.steps[index];
    if (run.cancelled || (run.failed && run.recipe.policy == Recipe::Policy::StopOnFirstError)) {
        journalStep(run, index, QStringLiteral("cancelled"),
                    run.cancelled ? QStringLiteral("cancelled")
                                  : QStringLiteral("skipped after an earlier failure"),
                    QString());
        return false;
    }
    Q_EMIT stepStarted(run.id, index, step.name);
    journalStep(run, index, QStringLiteral("running"), QString(), QString());
    auto call = std::make_shared<StepCall>();
    {
        QMutexLocker lock(&run.mutex);
        run.activeCalls << call;
    }
    const Id opId = run.id;
    auto body = step.run;
    m_bodies.start([this, call, body, opId] {
        StepContext ctx(call->cancelled);
        ctx.logSink = [this, opId](const QString& line) { Q_EMIT logLine(opId, line); };
        StepOutcome out = body(ctx);
        QMutexLocker lock(&call->mutex);
        call->outcome = out;
        call->finished = true;
        call->done.wakeAll();
    });
    StepOutcome outcome;
    {
        QMutexLocker lock(&call->mutex);
        QDeadlineTimer deadline(step.timeoutMs);
        while (!call->finished && !deadline.hasExpired()) {
            call->done.wait(&call->mutex,
                            QDeadlineTimer(qMin<qint64>(deadline.remainingTime(), 50)));
            if (run.cancelled)
                call->cancelled = true;
        }
        if (call->finished)
            outcome = call->outcome;
        else {
            call->cancelled = true;
            outcome = StepOutcome::failure(QStringLiteral("step \"%1\" timed out after %2 s")
                                               .arg(step.name)
                                               .arg(step.timeoutMs / 1000.0));
        }
    }
    {
        QMutexLocker lock(&run.mutex);
        run.activeCalls.removeAll(call);
    }
    const bool cancelled = run.cancelled && !outcome.ok;
    journalStep(run, index,
                outcome.ok  ? QStringLiteral("completed")
                : cancelled ? QStringLiteral("cancelled")
                            : QStringLiteral("failed"),
                outcome.error, outcome.outputJson);
    if (!outcome.ok && !cancelled) {
        QMutexLocker lock(&run.mutex);
        if (run.firstError.isEmpty())
            run.firstError = QStringLiteral("%1: %2").arg(step.name, outcome.error);
        run.failed = true;
    }
    const double progress = double(++run.finishedSteps) / run.recipe.steps.size();
    journalWrite(run, "progress",
                 [&] { return OperationJournal(m_store).setProgress(run.id, progress); });
    Q_EMIT stepFinished(run.id, index, outcome.ok, outcome.error);
    Q_EMIT progressChanged(run.id, progress);
    return outcome.ok;
}

void OperationRunner::execute(std::shared_ptr<Run> run)
{
    journalWrite(*run, "the start", [&] { return OperationJournal(m_store).markRunning(run->id); });
    Q_EMIT operationStarted(run->id);
    const int n = run->recipe.steps.size();
    if (run->recipe.mode == Recipe::Mode::Sequence) {
        for (int i = 0; i < n; ++i)
            runStep(*run, i);
    } else {
        QSemaphore slots(qMax(1, run->recipe.parallelLimit));
        QSemaphore done;
        for (int i = 0; i < n; ++i) {
            slots.acquire();
            m_steps.start([this, run, i, &slots, &done] {
                runStep(*run, i);
                slots.release();
                done.release();
            });
        }
        done.acquire(n);
    }
    QString status = QStringLiteral("completed");
    if (run->cancelled)
        status = QStringLiteral("cancelled");
    else if (run->failed)
        status = QStringLiteral("failed");
    journalOperation(*run, status, run->firstError);
    {
        QMutexLocker lock(&m_mutex);
        m_runs.remove(run->id);
    }
    Q_EMIT operationFinished(run->id, status, run->firstError);
    if (m_notifier)
        m_notifier->notify(ChangeNotifier::Entity::Operations, {run->id});
    QMutexLocker lock(&run->mutex);
    run->finished = true;
    run->finishedCond.wakeAll();
}

} // namespace chom
