#include "store/Migrations.h"

#include "store/Schema.h"
#include "store/Sql.h"
#include "store/Store.h"

#include <QSqlQuery>

namespace chom {

const QVector<Migration>& Migrator::migrations()
{
    static const QVector<Migration> all = schemaMigrations();
    return all;
}

int Migrator::latestVersion()
{
    return migrations().isEmpty() ? 0 : migrations().last().version;
}

Result<int> Migrator::currentVersion() const
{
    QSqlDatabase db = m_store.db();
    auto made = execSql(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                           "version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                                           " applied_at INTEGER NOT NULL)"));
    if (!made)
        return made.error();
    auto q = execSql(db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toInt() : 0;
}

Status Migrator::migrate(int targetVersion)
{
    const int latest = latestVersion();
    const int target = targetVersion < 0 ? latest : targetVersion;
    auto current = currentVersion();
    if (!current)
        return current.error();
    if (current.value() > latest) {
        return makeError(
            QStringLiteral("store_too_new"),
            QStringLiteral(
                "This store was written by a newer CHOM Console (schema version %1; this "
                "build knows up to %2). It was not modified: upgrade the console or "
                "choose another data directory.")
                .arg(current.value())
                .arg(latest));
    }
    for (const Migration& m : migrations()) {
        if (m.version <= current.value() || m.version > target)
            continue;
        auto st = apply(m);
        if (!st)
            return st;
    }
    return okStatus();
}

Status Migrator::apply(const Migration& m)
{
    QSqlDatabase db = m_store.db();
    if (!m_store.isSqlite())
        return makeError(
            QStringLiteral("store"),
            QStringLiteral("No migrations exist yet for driver %1.").arg(m_store.config().driver));
    Transaction tx(db);
    for (const QString& sql : m.sqlite) {
        auto r = execSql(db, sql);
        if (!r)
            return makeError(QStringLiteral("migration"),
                             QStringLiteral("Migration %1 (%2) failed: %3")
                                 .arg(m.version)
                                 .arg(m.description, r.error().message));
    }
    auto r =
        execSql(db,
                QStringLiteral("INSERT INTO schema_migrations(version, description, applied_at)"
                               " VALUES (?, ?, ?)"),
                {m.version, m.description, nowSecs()});
    if (!r)
        return r.error();
    return tx.commit();
}

} // namespace chom
