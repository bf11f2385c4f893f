#include "base/CircuitBreaker.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>

namespace chom {
namespace {

std::function<qint64()>& clock()
{
    static std::function<qint64()> c;
    return c;
}

qint64 nowMs()
{
    if (clock())
        return clock()();
    static QElapsedTimer t = [] {
        QElapsedTimer e;
        e.start();
        return e;
    }();
    return t.elapsed();
}

} // namespace

void CircuitBreaker::setClockForTests(std::function<qint64()> c)
{
    clock() = std::move(c);
}

CircuitBreaker::CircuitBreaker(int threshold, qint64 coolDownMs)
    : m_threshold(threshold), m_coolDownMs(coolDownMs)
{
}

void CircuitBreaker::refreshLocked() const
{
    if (m_state == State::Open && nowMs() - m_openedAt >= m_coolDownMs) {
        m_state = State::HalfOpen;
        m_probeInFlight = false;
    }
}

bool CircuitBreaker::allowRequest()
{
    QMutexLocker lock(&m_mutex);
    refreshLocked();
    switch (m_state) {
    case State::Closed:
        return true;
    case State::Open:
        return false;
    case State::HalfOpen:
        if (m_probeInFlight)
            return false;
        m_probeInFlight = true;
        return true;
    }
    return false;
}

void CircuitBreaker::recordSuccess()
{
    QMutexLocker lock(&m_mutex);
    m_failures = 0;
    m_state = State::Closed;
    m_probeInFlight = false;
}

void CircuitBreaker::recordFailure()
{
    QMutexLocker lock(&m_mutex);
    refreshLocked();
    ++m_failures;
    if (m_state == State::HalfOpen || m_failures >= m_threshold) {
        m_state = State::Open;
        m_openedAt = nowMs();
        m_probeInFlight = false;
    }
}

CircuitBreaker::State CircuitBreaker::state() const
{
    QMutexLocker lock(&m_mutex);
    refreshLocked();
    return m_state;
}

int CircuitBreaker::consecutiveFailures() const
{
    QMutexLocker lock(&m_mutex);
    return m_failures;
}

qint64 CircuitBreaker::msUntilProbe() const
{
    QMutexLocker lock(&m_mutex);
    refreshLocked();
    return m_state == State::Open ? qMax<qint64>(0, m_coolDownMs - (nowMs() - m_openedAt)) : 0;
}

QString CircuitBreaker::toString(State s)
{
    switch (s) {
    case State::Closed:
        return QStringLiteral("closed");
    case State::Open:
        return QStringLiteral("open");
    case State::HalfOpen:
        return QStringLiteral("half-open");
    }
    return {};
}

} // namespace chom
