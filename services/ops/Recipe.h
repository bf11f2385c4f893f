#pragma once

#include "Domain.h"

#include <QString>
#include <QVector>

#include <atomic>
#include <functional>

namespace chom {

// What a step sees while it runs (on a pool thread; blocking work is fine).
class StepContext
{
public:
    explicit StepContext(std::atomic<bool>& cancelled) : m_cancelled(cancelled) {}
    bool cancelled() const { return m_cancelled.load(); }
    void log(const QString& line) const
    {
        if (logSink)
            logSink(line);
    }
    std::function<void(const QString&)> logSink;

private:
    std::atomic<bool>& m_cancelled;
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

// An operation declared as data: steps in sequence or in parallel with a
// limit, stop at the first error or continue and report each.
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
    QVector<Step> steps;
};

} // namespace chom
