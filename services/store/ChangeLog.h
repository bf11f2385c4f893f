#pragma once

#include "Domain.h"
#include "base/ChangeNotifier.h"
#include "base/Result.h"

#include <QVector>

namespace chom {

class Store;

// The change_log table: what each process changed, so the others on the
// same store can refresh (ExternalChangeSource reads it).
class ChangeLog
{
public:
    struct Entry
    {
        qint64 seq = 0;
        QString origin;
        ChangeNotifier::Entity entity = ChangeNotifier::Entity::All;
        QVector<Id> ids; // empty: many or unknown
    };
    static constexpr int kMaxIds = 200; // beyond this a change says "reload all"
    static constexpr qint64 kKeepSecs = 600;
    // PostgreSQL: append() NOTIFYs this channel; ExternalChangeSource LISTENs.
    static inline const QString kChannel = QStringLiteral("chom_change");

    explicit ChangeLog(Store& store) : m_store(store) {}
    Status append(const QString& origin, ChangeNotifier::Entity entity, const QVector<Id>& ids);
    Result<QVector<Entry>> since(qint64 seq) const; // oldest first
    Result<qint64> head() const;                    // the newest seq, 0 when empty
    Status prune();                                 // rows older than kKeepSecs
    // SQLite's PRAGMA data_version on this thread's connection: it changes
    // when another connection (any process) commits. 0 on PostgreSQL, which
    // announces commits through NOTIFY instead.
    Result<qint64> dataVersion() const;

private:
    Store& m_store;
};

} // namespace chom
