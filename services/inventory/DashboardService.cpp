#include "inventory/DashboardService.h"

#include "store/DashboardQuery.h"
#include "store/Store.h"

#include <QMutexLocker>

namespace chom {

DashboardService::DashboardService(Store& store, ChangeNotifier& notifier, QObject* parent)
    : QObject(parent), m_store(store)
{
    connect(
        &notifier, &ChangeNotifier::changed, this,
        [this](ChangeNotifier::Entity what, const QVector<Id>&) {
            if (what != ChangeNotifier::Entity::Backups)
                invalidate();
        },
        Qt::DirectConnection);
}

void DashboardService::invalidate()
{
    QMutexLocker lock(&m_mutex);
    m_cache.clear();
    ++m_generation;
}

Result<DashboardStats> DashboardService::stats(Id tenantId)
{
    quint64 generation = 0;
    {
        QMutexLocker lock(&m_mutex);
        generation = m_generation;
        auto it = m_cache.constFind(tenantId);
        if (it != m_cache.constEnd() && nowSecs() < it->validUntil) {
            m_hits.fetch_add(1, std::memory_order_relaxed);
            return *it;
        }
    }
    auto fresh = compute(m_store, tenantId);
    if (!fresh)
        return fresh;
    m_computes.fetch_add(1, std::memory_order_relaxed);
    if (m_afterCompute)
        m_afterCompute();
    QMutexLocker lock(&m_mutex);
    if (generation == m_generation)
        m_cache.insert(tenantId, fresh.value());
    return fresh;
}

Result<DashboardStats> DashboardService::compute(Store& store, Id tenantId)
{
    return DashboardQuery(store).compute(tenantId);
}

} // namespace chom
