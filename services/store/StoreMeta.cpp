#include "store/StoreMeta.h"

#include "store/Sql.h"
#include "store/Store.h"

#include <QSqlQuery>

namespace chom {

Result<QString> StoreMeta::get(const QString& key) const
{
    return select(key, false);
}

Result<QString> StoreMeta::getForUpdate(const QString& key) const
{
    return select(key, true);
}

Result<QString> StoreMeta::select(const QString& key, bool forUpdate) const
{
    const QString lock = forUpdate ? m_store.dialect().lockForUpdate() : QString();
    auto q = execSql(m_store.db(),
                     QStringLiteral("SELECT value FROM store_meta WHERE key = ?") + lock, {key});
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toString() : QString();
}

Status StoreMeta::set(const QString& key, const QString& value)
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("INSERT INTO store_meta(key, value) VALUES (?, ?) "
                                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                     {key, value});
    if (!q)
        return q.error();
    return okStatus();
}

} // namespace chom
