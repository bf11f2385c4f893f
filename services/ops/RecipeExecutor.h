#pragma once

#include "base/Result.h"
#include "ops/Recipe.h"

#include <QMutex>
#include <QString>
#include <QVector>
#include <QWaitCondition>

#include <atomic>
#include <functional>
#include <memory>

class QThreadPool;

namespace chom {

class Store;

// One step body's call: shared by the body (on the body pool) and the
// executor waiting for it with the step's timeout.
struct StepCall
{
    QMutex mutex;
    QWaitCondition done;
    bool finished = false;
    StepOutcome outcome;
    std::atomic<bool> cancelled{false};
};

// The state of one running operation, shared by its runner (cancel, wait)
// and its executor.
struct RecipeRunState
{
    Id id = 0;
    QVector<Step> steps; // the recipe's steps in tree order: step i is journal row i
    QVector<Id> stepIds; // their journal rows
    std::shared_ptr<RecipeGroup> root;
    RunStorage storage;
    std::atomic<bool> cancelled{false};
    std::atomic<int> finishedSteps{0};
    QMutex mutex; // firstError, activeCalls
    QString firstError;
    QVector<std::shared_ptr<StepCall>> activeCalls;
    void cancel(); // this run and every body running for it
};

// Runs one operation's recipe tree: groups in sequence or in parallel (with
// their limit and policy) inside one another, every step with its own journal
// row, progress and timeout, group handlers after their children. Step
// bodies run on the body pool and are joined by its owner; parallel children
// on the group pool.
class RecipeExecutor
{
public:
    struct Hooks // the runner's signals and journal
    {
        std::function<void(int step, const QString& name)> stepStarted;
        std::function<void(int step, bool ok, const QString& error)> stepFinished;
        std::function<void(double progress)> progress;
        std::function<void(const QString& line)> log;
        std::function<void(const char* what, const std::function<Status()>& write)> journal;
    };
    RecipeExecutor(Store& store, QThreadPool& groups, QThreadPool& bodies, RecipeRunState& run,
                   Hooks hooks);

    // The whole tree; returns the final status word (completed, failed, cancelled).
    QString execute();

    // A flat recipe as a one-group tree, and a tree's steps in order.
    static std::shared_ptr<RecipeGroup> rootOf(const Recipe& recipe);
    static QVector<Step> stepsOf(const RecipeGroup& group);

private:
    bool runGroup(const RecipeGroup& group, int firstStep);
    bool runNode(const RecipeNode& node, int firstStep, const std::atomic<bool>& groupFailed,
                 Recipe::Policy policy);
    bool runStep(int index);
    void skip(const RecipeNode& node, int firstStep, const QString& why);
    StepOutcome callBody(const Step& step);
    void finishStep(int index, const StepOutcome& outcome);
    void journalStep(int index, OperationStatus status, const QString& error,
                     const QString& output);

    Store& m_store;
    QThreadPool& m_groups;
    QThreadPool& m_bodies;
    RecipeRunState& m_run;
    Hooks m_hooks;
};

} // namespace chom
