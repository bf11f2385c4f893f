#pragma once

#include <QMutex>
#include <QString>

#include <functional>

namespace chom {

// Per-endpoint breaker: `threshold` consecutive transport failures open it;
// after `coolDownMs` one probe is let through (half-open); its success closes
// the breaker, its failure re-opens it. Thread-safe. Only transport failures
// count: an error the remote side reports is an answer, not an outage.
class CircuitBreaker
{
public:
    enum class State
    {
        Closed,
        Open,
        HalfOpen
    };

    explicit CircuitBreaker(int threshold = 3, qint64 coolDownMs = 30000);

    bool allowRequest(); // false while open; true once per half-open probe
    void recordSuccess();
    void recordFailure();
    State state() const;
    int consecutiveFailures() const;
    qint64 msUntilProbe() const; // 0 unless open

    static QString toString(State s);
    // For tests: a monotonic clock in ms.
    static void setClockForTests(std::function<qint64()> clock);

private:
    void refreshLocked() const;
    mutable QMutex m_mutex;
    int m_threshold;
    qint64 m_coolDownMs;
    mutable State m_state = State::Closed;
    int m_failures = 0;
    qint64 m_openedAt = 0;
    mutable bool m_probeInFlight = false;
};

} // namespace chom
