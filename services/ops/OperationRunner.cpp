#include "ops/OperationRunner.h"

#include "ops/RecipeExecutor.h"

#include "base/ChangeNotifier.h"
#include "store/OperationJournal.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QSemaphore>
#include <QThread>
#include <QUuid>
#include <QWaitCondition>

namespace chom {

struct OperationRunner::Run
{
    Recipe recipe;
    RecipeRunState state;
    QMutex mutex;
    QWaitCondition finishedCond;
    bool finished = false; // under mutex
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
        for (auto& r : m_runs)
            r->state.cancel();
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
    auto run = std::make_shared<Run>();
    run->state.root = RecipeExecutor::rootOf(recipe);
    run->state.steps = RecipeExecutor::stepsOf(*run->state.root);
    if (run->state.steps.isEmpty())
        return makeError(QStringLiteral("invalid_recipe"),
                         QCoreApplication::translate("chom::OperationRunner",
                                                     "An operation needs at least one step."));
    recipe.steps = run->state.steps; // what the journal and the signals number
    run->recipe = std::move(recipe);
    OperationJournal journal(m_store);
    Operation op;
    op.correlationId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    op.type = run->recipe.type;
    op.targetType = run->recipe.targetType;
    op.targetId = run->recipe.targetId;
    op.tenantId = run->recipe.tenantId;
    op.inputJson = run->recipe.inputJson;
    QStringList names;
    for (const Step& s : run->recipe.steps)
        names << s.name;
    auto ids = journal.insertWithSteps(op, names);
    if (!ids)
        return ids.error();
    run->state.id = ids.value().first;
    run->state.stepIds = ids.value().second;
    const Id opId = run->state.id;
    {
        QMutexLocker lock(&m_mutex);
        m_runs.insert(opId, run);
        m_pollWake.wakeAll();
    }
    m_operations.start([this, run] { execute(run); });
    if (m_notifier)
        m_notifier->notify(ChangeNotifier::Entity::Operations, {opId});
    return opId;
}

void OperationRunner::cancel(Id operationId)
{
    QMutexLocker lock(&m_mutex);
    if (auto run = m_runs.value(operationId))
        run->state.cancel();
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
void OperationRunner::journalWrite(Id opId, const char* what, const std::function<Status()>& write)
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
    qWarning("chom: operation %lld: %s", qlonglong(opId), qPrintable(line));
    Q_EMIT logLine(opId, line);
}

void OperationRunner::execute(std::shared_ptr<Run> run)
{
    const Id opId = run->state.id;
    journalWrite(opId, "the start", [&] { return OperationJournal(m_store).markRunning(opId); });
    Q_EMIT operationStarted(opId);
    RecipeExecutor::Hooks hooks;
    hooks.stepStarted = [this, opId](int i, const QString& n) { Q_EMIT stepStarted(opId, i, n); };
    hooks.stepFinished = [this, opId](int i, bool ok, const QString& e) {
        Q_EMIT stepFinished(opId, i, ok, e);
    };
    hooks.progress = [this, opId](double p) { Q_EMIT progressChanged(opId, p); };
    hooks.log = [this, opId](const QString& line) { Q_EMIT logLine(opId, line); };
    hooks.journal = [this, opId](const char* what, const std::function<Status()>& write) {
        journalWrite(opId, what, write);
    };
    const QString status =
        RecipeExecutor(m_store, m_steps, m_bodies, run->state, std::move(hooks)).execute();
    QString firstError;
    {
        QMutexLocker lock(&run->state.mutex);
        firstError = run->state.firstError;
    }
    const OperationStatus s = operationStatusFromString(status).value_or(OperationStatus::Failed);
    journalWrite(opId, "the final status", [&] {
        return OperationJournal(m_store).markFinished(opId, s, firstError, QString());
    });
    {
        QMutexLocker lock(&m_mutex);
        m_runs.remove(opId);
    }
    Q_EMIT operationFinished(opId, status, firstError);
    if (m_notifier)
        m_notifier->notify(ChangeNotifier::Entity::Operations, {opId});
    QMutexLocker lock(&run->mutex);
    run->finished = true;
    run->finishedCond.wakeAll();
}

} // namespace chom
