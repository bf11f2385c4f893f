#pragma once

#include "ChangeNotifier.h"
#include "Domain.h"
#include "Result.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <atomic>

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

private:
    Store& m_store;
    QMutex m_mutex;
    QHash<Id, DashboardStats> m_cache;
    std::atomic<quint64> m_computes{0};
    std::atomic<quint64> m_hits{0};
};

} // namespace chom
