#pragma once

#include "Domain.h"

#include <QObject>
#include <QVector>

#include <functional>

namespace chom {

// Announces committed writes. Emitted on the writing thread after commit:
// caches connect directly (write-through invalidation), widgets and models
// connect queued. A publisher (set by the Core) also records each local
// change for other processes on the same store; changes those processes
// made arrive through notifyExternal() and are not published again.
class ChangeNotifier : public QObject
{
    Q_OBJECT
public:
    enum class Entity
    {
        Tenants,
        Sites,
        Vps,
        Backups,
        Operations,
        All
    };
    Q_ENUM(Entity)
    using Publisher = std::function<void(Entity, const QVector<Id>&)>;

    using QObject::QObject;
    void notify(Entity what, const QVector<chom::Id>& ids = {})
    {
        if (m_publisher)
            m_publisher(what, ids);
        Q_EMIT changed(what, ids);
    }
    void notifyExternal(Entity what, const QVector<chom::Id>& ids) { Q_EMIT changed(what, ids); }
    // Set once, before any thread writes.
    void setPublisher(Publisher publisher) { m_publisher = std::move(publisher); }

    static QString toString(Entity e);
    static std::optional<Entity> entityFromString(const QString& s);

Q_SIGNALS:
    // ids empty = "many or unknown": reload everything of that kind.
    void changed(chom::ChangeNotifier::Entity what, const QVector<chom::Id>& ids);

private:
    Publisher m_publisher;
};

} // namespace chom

Q_DECLARE_METATYPE(chom::ChangeNotifier::Entity)
