#include "store/Migrations.h"

#include "store/Schema.h"
#include "store/Sql.h"
#include "store/Store.h"

#include <QCoreApplication>
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

QStringList Migration::statementsFor(const SqlDialect& dialect) const
{
    QStringList out;
    for (const QString& s : sql)
        out << dialect.ddl(s);
    out << (dialect.isSqlite() ? sqliteOnly : postgresOnly);
    return out;
}

Result<int> Migrator::currentVersion() const
{
    QSqlDatabase db = m_store.db();
    Transaction tx(db);
    auto st = lockSchema(tx);
    if (!st)
        return st.error();
    auto made = execSql(db, m_store.dialect().ddl(QStringLiteral(
                                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                                "version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                                " applied_at INTEGER NOT NULL)")));
    if (!made)
        return made.error();
    auto version = appliedVersion();
    if (!version)
        return version;
    if (auto c = tx.commit(); !c)
        return c.error();
    return version;
}

Result<int> Migrator::appliedVersion() const
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    if (!q)
        return q.error();
    return q.value().next() ? q.value().value(0).toInt() : 0;
}

Status Migrator::lockSchema(const Transaction& tx) const
{
    if (!tx.active())
        return makeError(
            QStringLiteral("store"),
            QCoreApplication::translate("chom::Migrations",
                                        "The store could not start a schema transaction."));
    const QString lock = m_store.dialect().schemaLock();
    if (lock.isEmpty())
        return okStatus();
    auto r = execSql(m_store.db(), lock);
    if (!r)
        return r.error();
    return okStatus();
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
            QCoreApplication::translate(
                "chom::Migrations",
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

Status Migrator::checkCurrent(int targetVersion) const
{
    const int latest = latestVersion();
    const int target = targetVersion < 0 ? latest : targetVersion;
    auto v = appliedVersion();
    const int version = v ? v.value() : 0;
    if (version == target)
        return okStatus();
    return makeError(ErrorKind::Store,
                     version > target ? QStringLiteral("store_too_new")
                                      : QStringLiteral("store_outdated"),
                     QCoreApplication::translate("chom::Migrations",
                                                 "The store has schema version %1 and this build "
                                                 "reads version %2; opened read-only, it cannot be "
                                                 "upgraded (run a command that changes data, or "
                                                 "the console, once).")
                         .arg(version)
                         .arg(target));
}

Status Migrator::apply(const Migration& m)
{
    QSqlDatabase db = m_store.db();
    Transaction tx(db);
    auto st = lockSchema(tx);
    if (!st)
        return st;
    // Another process may have applied it while this one waited for the lock.
    auto applied = appliedVersion();
    if (!applied)
        return applied.error();
    if (applied.value() >= m.version)
        return okStatus();
    for (const QString& sql : m.statementsFor(m_store.dialect())) {
        auto r = execSql(db, sql);
        if (!r)
            return makeError(
                QStringLiteral("migration"),
                QCoreApplication::translate("chom::Migrations", "Migration %1 (%2) failed: %3")
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
