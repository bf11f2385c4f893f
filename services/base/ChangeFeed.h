#pragma once

#include "base/ChangeNotifier.h"

#include <QHash>
#include <QSet>
#include <QTimer>

namespace chom {

// A front-end's view of ChangeNotifier: receives commits (queued from the
// store thread or from other processes' change log) on its own thread and
// re-emits them per entity at most every 100 ms, merging ids, so a burst of
// writes costs one refresh per page or model.
class ChangeFeed : public QObject
{
    Q_OBJECT
public:
    static constexpr int kCoalesceMs = 100;
    static constexpr int kMaxIds = 200; // above this, listeners reload wholesale

    explicit ChangeFeed(ChangeNotifier& notifier, QObject* parent = nullptr);

Q_SIGNALS:
    // Never emitted with Entity::All; `ids` empty means "reload everything".
    void changed(chom::ChangeNotifier::Entity what, const QVector<chom::Id>& ids);

private:
    struct Pending
    {
        bool all = false;
        QSet<Id> ids;
    };
    void collect(ChangeNotifier::Entity what, const QVector<Id>& ids);
    void flush();

    QHash<int, Pending> m_pending;
    QTimer m_timer;
};

} // namespace chom
