#pragma once

#include "Domain.h"

#include <QString>
#include <QVector>

#include <QHash>
#include <QMutex>
#include <QVariant>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace chom {

// Values the steps of one run hand each other (a provisioned user name, a
// snapshot id for a later restore, what a compensation must undo). Any
// thread; lives as long as the run.
class RunStorage
{
public:
    void set(const QString& key, const QVariant& value)
    {
        QMutexLocker lock(&m_mutex);
        m_values.insert(key, value);
    }
    QVariant value(const QString& key) const
    {
        QMutexLocker lock(&m_mutex);
        return m_values.value(key);
    }

private:
    mutable QMutex m_mutex;
    QHash<QString, QVariant> m_values;
};

// What a step sees while it runs (on a pool thread; blocking work is fine).
class StepContext
{
public:
    explicit StepContext(std::atomic<bool>& cancelled, RunStorage* storage = nullptr)
        : m_cancelled(cancelled), m_storage(storage)
    {
    }
    bool cancelled() const { return m_cancelled.load(); }
    RunStorage& storage() const { return *m_storage; } // the run's shared values
    void log(const QString& line) const
    {
        if (logSink)
            logSink(line);
    }
    std::function<void(const QString&)> logSink;

private:
    std::atomic<bool>& m_cancelled;
    RunStorage* m_storage;
};

struct StepOutcome
{
    bool ok = true;
    QString error;      // human sentence when !ok
    QString outputJson; // recorded in the journal
    static StepOutcome success(const QString& output = {}) { return {true, {}, output}; }
    static StepOutcome failure(const QString& error) { return {false, error, {}}; }
};

struct Step
{
    QString name;
    std::function<StepOutcome(StepContext&)> run;
    int timeoutMs = 120000;
};

struct RecipeGroup;

// One node of a recipe tree: a step (a journal row of its own) or a group.
struct RecipeNode
{
    std::shared_ptr<Step> step;
    std::shared_ptr<RecipeGroup> group;
    static RecipeNode of(Step s) { return {std::make_shared<Step>(std::move(s)), nullptr}; }
    static RecipeNode of(RecipeGroup g);
};

// An operation declared as data: steps in sequence or in parallel with a
// limit, stop at the first error or continue and report each. Nested groups
// (root) run sequence and parallel groups inside one another, each with its
// own limit and policy and its done/error handlers (compensation).
struct Recipe
{
    enum class Mode
    {
        Sequence,
        Parallel
    };
    enum class Policy
    {
        StopOnFirstError,
        ContinueAndReport
    };

    QString type;       // e.g. vps.bootstrap, vps.health_sweep
    QString targetType; // vps | site | fleet
    Id targetId = 0;
    Id tenantId = 0;
    QString inputJson;
    Mode mode = Mode::Sequence;
    int parallelLimit = 4;
    Policy policy = Policy::StopOnFirstError;
    QVector<Step> steps; // a flat recipe: mode, parallelLimit and policy apply
    // A tree instead of `steps`: when set, the runner journals its steps (in
    // tree order) as this recipe's steps and runs the groups as nested.
    std::shared_ptr<RecipeGroup> root;
};

struct RecipeGroup
{
    QString name;
    Recipe::Mode mode = Recipe::Mode::Sequence;
    int parallelLimit = 4;
    Recipe::Policy policy = Recipe::Policy::StopOnFirstError;
    std::vector<RecipeNode> children;
    // After the children: onDone when all of them succeeded; onError (the
    // compensation: undo what the completed ones did) when one failed or the
    // run was cancelled. On a pool thread; blocking is fine.
    std::function<void(RunStorage&)> onDone;
    std::function<void(RunStorage&)> onError;
};

inline RecipeNode RecipeNode::of(RecipeGroup g)
{
    return {nullptr, std::make_shared<RecipeGroup>(std::move(g))};
}

} // namespace chom
