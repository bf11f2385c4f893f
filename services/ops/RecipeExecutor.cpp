#include "ops/RecipeExecutor.h"

#include "store/OperationJournal.h"

#include <QDeadlineTimer>
#include <QSemaphore>
#include <QThreadPool>

namespace chom {
namespace {

int stepCount(const RecipeNode& node)
{
    if (node.step)
        return 1;
    int n = 0;
    for (const RecipeNode& child : node.group->children)
        n += stepCount(child);
    return n;
}

void collect(const RecipeGroup& group, QVector<Step>& out)
{
    for (const RecipeNode& child : group.children) {
        if (child.step)
            out << *child.step;
        else
            collect(*child.group, out);
    }
}

} // namespace

void RecipeRunState::cancel()
{
    cancelled = true;
    QMutexLocker lock(&mutex);
    for (auto& call : activeCalls)
        call->cancelled = true;
}

RecipeExecutor::RecipeExecutor(Store& store, QThreadPool& groups, QThreadPool& bodies,
                               RecipeRunState& run, Hooks hooks)
    : m_store(store), m_groups(groups), m_bodies(bodies), m_run(run), m_hooks(std::move(hooks))
{
}

std::shared_ptr<RecipeGroup> RecipeExecutor::rootOf(const Recipe& recipe)
{
    if (recipe.root)
        return recipe.root;
    auto root = std::make_shared<RecipeGroup>();
    root->mode = recipe.mode;
    root->parallelLimit = recipe.parallelLimit;
    root->policy = recipe.policy;
    for (const Step& s : recipe.steps)
        root->children.push_back(RecipeNode::of(s));
    return root;
}

QVector<Step> RecipeExecutor::stepsOf(const RecipeGroup& group)
{
    QVector<Step> out;
    collect(group, out);
    return out;
}

QString RecipeExecutor::execute()
{
    const bool ok = runGroup(*m_run.root, 0);
    if (m_run.cancelled)
        return QStringLiteral("cancelled");
    return ok ? QStringLiteral("completed") : QStringLiteral("failed");
}

// Children in order, or at most parallelLimit at once on the group pool. A
// failed child under StopOnFirstError skips the children not yet started.
bool RecipeExecutor::runGroup(const RecipeGroup& group, int firstStep)
{
    std::atomic<bool> failed{false};
    int offset = firstStep;
    if (group.mode == Recipe::Mode::Sequence) {
        for (const RecipeNode& child : group.children) {
            if (!runNode(child, offset, failed, group.policy))
                failed = true;
            offset += stepCount(child);
        }
    } else {
        QSemaphore slots(qMax(1, group.parallelLimit));
        QSemaphore done;
        int started = 0;
        for (const RecipeNode& child : group.children) {
            slots.acquire();
            ++started;
            m_groups.start([this, &child, offset, &failed, &slots, &done, &group] {
                if (!runNode(child, offset, failed, group.policy))
                    failed = true;
                slots.release();
                done.release();
            });
            offset += stepCount(child);
        }
        done.acquire(started);
    }
    const bool ok = !failed && !m_run.cancelled;
    if (ok && group.onDone)
        group.onDone(m_run.storage);
    else if (!ok && group.onError)
        group.onError(m_run.storage);
    return ok;
}

bool RecipeExecutor::runNode(const RecipeNode& node, int firstStep,
                             const std::atomic<bool>& groupFailed, Recipe::Policy policy)
{
    if (m_run.cancelled) {
        skip(node, firstStep, QStringLiteral("cancelled"));
        return false;
    }
    if (groupFailed && policy == Recipe::Policy::StopOnFirstError) {
        skip(node, firstStep, QStringLiteral("skipped after an earlier failure"));
        return false;
    }
    return node.step ? runStep(firstStep) : runGroup(*node.group, firstStep);
}

void RecipeExecutor::skip(const RecipeNode& node, int firstStep, const QString& why)
{
    const int n = stepCount(node);
    for (int i = 0; i < n; ++i)
        journalStep(firstStep + i, OperationStatus::Cancelled, why, QString());
}

bool RecipeExecutor::runStep(int index)
{
    const Step& step = m_run.steps[index];
    m_hooks.stepStarted(index, step.name);
    const Id stepId = m_run.stepIds[index];
    m_hooks.journal("a step start", [&] { return OperationJournal(m_store).markRunning(stepId); });
    const StepOutcome outcome = callBody(step);
    finishStep(index, outcome);
    return outcome.ok;
}

// The body runs on the body pool so one that ignores its timeout cannot hold
// the operation: the executor stops waiting, cancels its context and moves
// on; a late result is dropped (the pool's owner joins the body).
StepOutcome RecipeExecutor::callBody(const Step& step)
{
    auto call = std::make_shared<StepCall>();
    {
        QMutexLocker lock(&m_run.mutex);
        m_run.activeCalls << call;
        if (m_run.cancelled)
            call->cancelled = true;
    }
    auto body = step.run;
    auto log = m_hooks.log;
    RunStorage* storage = &m_run.storage;
    m_bodies.start([call, body, log, storage] {
        StepContext ctx(call->cancelled, storage);
        ctx.logSink = log;
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
            if (m_run.cancelled)
                call->cancelled = true;
        }
        if (call->finished) {
            outcome = call->outcome;
        } else {
            call->cancelled = true;
            outcome = StepOutcome::failure(QStringLiteral("step \"%1\" timed out after %2 s")
                                               .arg(step.name)
                                               .arg(step.timeoutMs / 1000.0));
        }
    }
    QMutexLocker lock(&m_run.mutex);
    m_run.activeCalls.removeAll(call);
    return outcome;
}

void RecipeExecutor::finishStep(int index, const StepOutcome& outcome)
{
    const Step& step = m_run.steps[index];
    const bool cancelled = m_run.cancelled && !outcome.ok;
    journalStep(index,
                outcome.ok  ? OperationStatus::Completed
                : cancelled ? OperationStatus::Cancelled
                            : OperationStatus::Failed,
                outcome.error, outcome.outputJson);
    if (!outcome.ok && !cancelled) {
        QMutexLocker lock(&m_run.mutex);
        if (m_run.firstError.isEmpty())
            m_run.firstError = QStringLiteral("%1: %2").arg(step.name, outcome.error);
    }
    const double progress = double(++m_run.finishedSteps) / m_run.steps.size();
    m_hooks.journal("progress",
                    [&] { return OperationJournal(m_store).setProgress(m_run.id, progress); });
    m_hooks.stepFinished(index, outcome.ok, outcome.error);
    m_hooks.progress(progress);
}

void RecipeExecutor::journalStep(int index, OperationStatus status, const QString& error,
                                 const QString& output)
{
    const Id stepId = m_run.stepIds[index];
    m_hooks.journal("a step result", [&] {
        return OperationJournal(m_store).markFinished(stepId, status, error, output);
    });
}

} // namespace chom
