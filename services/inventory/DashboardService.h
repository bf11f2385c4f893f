#pragma once

#include "Domain.h"
#include "base/ChangeNotifier.h"
#include "base/Result.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <functional>

namespace chom {

class Store;

// Dashboard figures from one aggregate query over maintained counters, held
// in memory and dropped exactly when a write commits (write-through), or when
// time alone moves a certificate into or out of the 14-day window.
class DashboardService : public QObject
{
    Q_OBJECT
public:
    DashboardService(Store& store, ChangeNotifier& notifier, QObject* parent = nullptr);

    Result<DashboardStats> stats(Id tenantId = 0); // thread-safe
    void invalidate();

    quint64 computeCount() const { return m_computes.load(); }
    quint64 hitCount() const { return m_hits.load(); }

    static Result<DashboardStats> compute(Store& store, Id tenantId);
    // Test seam: runs between compute and cache insert (the race window).
    void setAfterComputeForTests(std::function<void()> hook) { m_afterCompute = std::move(hook); }

private:
    Store& m_store;
    QMutex m_mutex;
    QHash<Id, DashboardStats> m_cache;
    // Bumped by every invalidate(): a figure computed while a write landed is
    // returned but not cached (it may predate the write).
    quint64 m_generation = 0; // under m_mutex
    std::atomic<quint64> m_computes{0};
    std::atomic<quint64> m_hits{0};
    std::function<void()> m_afterCompute;
};

} // namespace chom
