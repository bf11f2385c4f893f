#include "store/SqlDialect.h"

namespace chom {

const SqlDialect& SqlDialect::forDriver(const QString& qtDriver)
{
    static const SqlDialect sqlite(Kind::Sqlite);
    static const SqlDialect postgres(Kind::Postgres);
    return qtDriver == QLatin1String("QPSQL") ? postgres : sqlite;
}

QString SqlDialect::beginWrite() const
{
    return isSqlite() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN");
}

QString SqlDialect::lockForUpdate(const QString& of) const
{
    if (isSqlite())
        return QString();
    return of.isEmpty() ? QStringLiteral(" FOR UPDATE") : QStringLiteral(" FOR UPDATE OF ") + of;
}

QString SqlDialect::upsert(const QString& table, const QStringList& columns,
                           const QStringList& keys) const
{
    QStringList sets;
    for (const QString& c : columns)
        if (!keys.contains(c))
            sets << QStringLiteral("%1 = excluded.%1").arg(c);
    // Both dialects spell it the same; it lives here so a third need not.
    return QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) ON CONFLICT (%4) DO UPDATE SET %5")
        .arg(table, columns.join(QStringLiteral(", ")), placeholders(int(columns.size())),
             keys.join(QStringLiteral(", ")), sets.join(QStringLiteral(", ")));
}

QString SqlDialect::returningId(const QString& insertSql) const
{
    return insertSql + QStringLiteral(" RETURNING id"); // SQLite >= 3.35 and PostgreSQL
}

QString SqlDialect::placeholders(int n)
{
    QStringList marks;
    for (int i = 0; i < n; ++i)
        marks << QStringLiteral("?");
    return marks.join(QStringLiteral(", "));
}

} // namespace chom
