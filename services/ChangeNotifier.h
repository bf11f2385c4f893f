#pragma once

#include "Domain.h"

#include <QObject>
#include <QVector>

namespace chom {

// Announces committed writes. Emitted on the writing thread after commit:
// caches connect directly (write-through invalidation), widgets and models
// connect queued.
class ChangeNotifier : public QObject
{
    Q_OBJECT
public:
    enum class Entity { Tenants, Sites, Vps, Backups, Operations, All };
    Q_ENUM(Entity)

    using QObject::QObject;
    void notify(Entity what, const QVector<chom::Id>& ids = {}) { Q_EMIT changed(what, ids); }

Q_SIGNALS:
    // ids empty = "many or unknown": reload everything of that kind.
    void changed(chom::ChangeNotifier::Entity what, const QVector<chom::Id>& ids);
};

} // namespace chom

Q_DECLARE_METATYPE(chom::ChangeNotifier::Entity)
