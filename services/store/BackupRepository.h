#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

class Store;

class BackupRepository
{
public:
    explicit BackupRepository(Store& store) : m_store(store) {}
    Result<QVector<SiteBackup>> list(Id siteId = 0, int limit = 10000) const; // newest first
    Result<SiteBackup> get(Id id) const; // not_found when absent
    Result<Id> insert(const SiteBackup& b);
    // Status, size, checksum, snapshot, error, completion and verification.
    Status updateOutcome(const SiteBackup& b);
    Status remove(Id id);

private:
    Store& m_store;
};

} // namespace chom
