#pragma once

#include "base/Result.h"

#include <QStringList>
#include <QVector>

namespace chom {

class Store;

// One schema step. Statements are per backend dialect so the PostgreSQL
// backend adds its column only; callers never see SQL.
struct Migration
{
    int version;
    QString description;
    QStringList sqlite;
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

private:
    Status apply(const Migration& m);
    Store& m_store;
};

} // namespace chom
