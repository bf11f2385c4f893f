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
// hash with its own fields, and store_meta keeps the head, the entry count
// and the head's time, so an edited, removed (even the last), inserted or
// reordered entry breaks verification. Encodings are versioned by the hash:
// "v2:<hex>" hashes length-prefixed fields; a bare hex hash is the first
// encoding (separator-joined), still verified as written. Timestamps never
// go back along the chain (an append takes the later of now and the head's).
class AuditLog
{
public:
    explicit AuditLog(Store& store) : m_store(store) {}

    // Call inside the caller's transaction so the entry commits with the change.
    Status append(const QString& action, const QString& targetType, const QString& targetId,
                  const QString& details);
    Result<QVector<AuditEntry>> recent(int limit) const;
    Result<AuditVerification> verify() const;

    static QString hashOf(const QString& prevHash, const AuditEntry& e); // the current encoding
    static QString hashV1(const QString& prevHash, const AuditEntry& e); // the first one
    static QString genesisHash();
    static QString currentActor(); // the OS user name

private:
    static QString expectedHash(const QString& prevHash, const AuditEntry& e);
    static void checkEntry(const AuditEntry& e, const AuditEntry& before,
                           const QString& expectedPrev, bool* newEncodingSeen,
                           QStringList* problems);
    Result<qint64> recordedCount() const;
    Store& m_store;
};

} // namespace chom
