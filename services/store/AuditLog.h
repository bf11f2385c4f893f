#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QStringList>
#include <QVector>

namespace chom {

class Store;

struct AuditVerification
{
    int checked = 0;
    QStringList problems; // one human line per broken link
    bool ok() const { return problems.isEmpty(); }
};

// Append-only log chained by SHA-256: each entry hashes the previous entry's
// hash with its own fields, and store_meta keeps the head, so an edited,
// removed (even the last) or reordered entry breaks verification.
class AuditLog
{
public:
    explicit AuditLog(Store& store) : m_store(store) {}

    // Call inside the caller's transaction so the entry commits with the change.
    Status append(const QString& action, const QString& targetType, const QString& targetId,
                  const QString& details);
    Result<QVector<AuditEntry>> recent(int limit) const;
    Result<AuditVerification> verify() const;

    static QString hashOf(const QString& prevHash, const AuditEntry& e);
    static QString genesisHash();
    static QString currentActor(); // the OS user name

private:
    Store& m_store;
};

} // namespace chom
