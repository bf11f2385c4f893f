#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QPair>
#include <QStringList>
#include <QVector>

namespace chom {

class Store;

// The operations journal: one row per operation and per step (child rows),
// written by the OperationRunner and read by the Operations page and chomctl.
class OperationJournal
{
public:
    explicit OperationJournal(Store& store) : m_store(store) {}
    Result<Id> insert(const Operation& op, Id parentId = 0);
    // An operation and one child row per step ("type/name", in order), in one
    // transaction: the operation id and the step ids.
    Result<QPair<Id, QVector<Id>>> insertWithSteps(const Operation& op, const QStringList& steps);
    Result<QVector<Operation>> recent(int limit, Id tenantId = 0) const; // top-level only
    // The top-level operations on one target ("site", 42), newest first.
    Result<QVector<Operation>> forTarget(const QString& targetType, Id targetId, int limit) const;
    // The top-level operations of one type ("sites.coherency"), newest first.
    Result<QVector<Operation>> ofType(const QString& type, int limit) const;
    Result<Operation> get(Id id) const;
    Result<QVector<Operation>> steps(Id parentId) const; // in step order
    Status markRunning(Id id);
    Status markFinished(Id id, OperationStatus status, const QString& error,
                        const QString& outputJson);
    Status setProgress(Id id, double progress);
    // Running/pending operations whose owning process is gone (on this
    // machine) become interrupted, with their steps; live owners are left alone.
    Result<QVector<Id>> markInterrupted();
    static QString currentOwner(); // "host:pid"
    Result<QString> owner(Id id) const;

    // Cross-process cancel: stamps cancel_requested_at on a pending or running
    // top-level operation (a repeated request keeps the first time). Errors:
    // not_found (no such operation), not_cancellable (already finished, or a
    // step). The runner that owns it polls cancelRequested() and cancels.
    Status requestCancel(Id id);
    // Those of `ids` with a cancel request: one primary-key query for all.
    Result<QVector<Id>> cancelRequested(const QVector<Id>& ids) const;
    static bool ownerIsGone(const QString& owner);

private:
    Store& m_store;
};

} // namespace chom
