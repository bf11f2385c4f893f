#include "base/ChangeNotifier.h"

#include <QMetaEnum>

namespace chom {

QString ChangeNotifier::toString(Entity e)
{
    return QString::fromLatin1(QMetaEnum::fromType<Entity>().valueToKey(int(e)));
}

std::optional<ChangeNotifier::Entity> ChangeNotifier::entityFromString(const QString& s)
{
    bool ok = false;
    const int v = QMetaEnum::fromType<Entity>().keyToValue(s.toLatin1().constData(), &ok);
    if (!ok)
        return std::nullopt;
    return Entity(v);
}

} // namespace chom
