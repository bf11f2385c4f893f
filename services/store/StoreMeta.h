#pragma once

#include "base/Result.h"

namespace chom {

class Store;

// Small key/value facts about the store itself (demo flag, audit head).
class StoreMeta
{
public:
    explicit StoreMeta(Store& store) : m_store(store) {}
    Result<QString> get(const QString& key) const;          // empty when unset
    Result<QString> getForUpdate(const QString& key) const; // row-locked on PostgreSQL
    Status set(const QString& key, const QString& value);

    static QString demoKey() { return QStringLiteral("demo_data"); }

private:
    Result<QString> select(const QString& key, bool forUpdate) const;
    Store& m_store;
};

} // namespace chom
