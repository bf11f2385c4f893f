#include "base/ChangeFeed.h"

namespace chom {

ChangeFeed::ChangeFeed(ChangeNotifier& notifier, QObject* parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kCoalesceMs);
    connect(&m_timer, &QTimer::timeout, this, &ChangeFeed::flush);
    // AutoConnection: queued when a write commits on the store thread.
    connect(&notifier, &ChangeNotifier::changed, this, &ChangeFeed::collect);
}

void ChangeFeed::collect(ChangeNotifier::Entity what, const QVector<Id>& ids)
{
    using E = ChangeNotifier::Entity;
    const QVector<E> kinds =
        what == E::All ? QVector<E>{E::Tenants, E::Sites, E::Vps, E::Backups, E::Operations}
                       : QVector<E>{what};
    for (E kind : kinds) {
        Pending& p = m_pending[int(kind)];
        if (what == E::All || ids.isEmpty()) {
            p.all = true;
            p.ids.clear();
        } else if (!p.all) {
            for (Id id : ids)
                p.ids.insert(id);
            if (p.ids.size() > kMaxIds) {
                p.all = true;
                p.ids.clear();
            }
        }
    }
    // Not restarted per event: a steady stream still refreshes every 100 ms.
    if (!m_timer.isActive())
        m_timer.start();
}

void ChangeFeed::flush()
{
    const auto pending = std::exchange(m_pending, {});
    for (auto it = pending.constBegin(); it != pending.constEnd(); ++it) {
        const QVector<Id> ids =
            it->all ? QVector<Id>{} : QVector<Id>(it->ids.begin(), it->ids.end());
        Q_EMIT changed(ChangeNotifier::Entity(it.key()), ids);
    }
}

} // namespace chom
