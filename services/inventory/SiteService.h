#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

class Store;
class ChangeNotifier;

// Site inventory writes: validation (domain rules, PHP, type), global domain
// uniqueness, tenant quotas and placement checks, all inside the write
// transaction, plus an audit entry per change.
class SiteService
{
public:
    SiteService(Store& store, ChangeNotifier& notifier) : m_store(store), m_notifier(notifier) {}

    Result<Id> create(const Site& input);
    Status update(const Site& input);
    Status setStatus(Id id, SiteStatus status);
    Status remove(Id id);

    // Reads, for the front-ends (which never build repositories themselves).
    Result<QVector<Site>> list(Id tenantId = 0) const; // 0: every tenant
    // The Sites table's columns only (no document root or SSL details): not
    // a basis for update(); fetch the full row with get() first.
    Result<QVector<Site>> listForTable() const;
    Result<QVector<Site>> getMany(const QVector<Id>& ids) const;
    Result<Site> get(Id id) const;
    Result<Site> byDomain(const QString& normalizedDomain) const;
    Result<QVector<SiteBackup>> backups(Id siteId = 0, int limit = 10000) const; // newest first

private:
    Status checkPlacement(const Site& s);
    Store& m_store;
    ChangeNotifier& m_notifier;
};

} // namespace chom
