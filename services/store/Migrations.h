#pragma once

#include "base/Result.h"

#include <QStringList>
#include <QVector>

namespace chom {

class Store;
class Transaction;

class SqlDialect;

// One schema step. `sql` is written once for both backends in SQLite's type
// names (SqlDialect::ddl() maps them for PostgreSQL); what cannot be shared,
// such as triggers, goes in the per-dialect lists, which run after `sql`.
struct Migration
{
    int version;
    QString description;
    QStringList sql;
    QStringList sqliteOnly = {};
    QStringList postgresOnly = {};

    QStringList statementsFor(const SqlDialect& dialect) const;
};

// Applies versioned migrations in order, each in its own transaction, and
// refuses (without writing) a store stamped by a newer build.
class Migrator
{
public:
    explicit Migrator(Store& store) : m_store(store) {}

    static const QVector<Migration>& migrations();
    static int latestVersion();

    Result<int> currentVersion() const;
    // targetVersion < 0 means latest; tests migrate to intermediate versions.
    Status migrate(int targetVersion = -1);
    // For a read-only open: the store is already at the target, else it is
    // refused (store_outdated / store_too_new) without writing anything.
    Status checkCurrent(int targetVersion = -1) const;

private:
    Status apply(const Migration& m);
    Result<int> appliedVersion() const; // inside the caller's transaction
    Status lockSchema(const Transaction& tx) const;
    Store& m_store;
};

} // namespace chom
