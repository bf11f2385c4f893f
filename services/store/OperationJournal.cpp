#include "store/OperationJournal.h"

#include "store/Sql.h"
#include "store/Store.h"

#include <QCoreApplication>
#include <QSqlQuery>
#include <QSysInfo>

#include <cerrno>
#include <signal.h>

namespace chom {

Result<Id> OperationJournal::insert(const Operation& op, Id parentId)
{
    auto q = insertReturningId(
        m_store,
        QStringLiteral("INSERT INTO operations(owner, parent_id, correlation_id, tenant_id, "
                       "operation_type, target_type, target_id, status, priority, progress, "
                       "input_json, output_json, error_message, created_at, started_at, "
                       "completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {currentOwner(), parentId ? QVariant(parentId) : QVariant(), op.correlationId,
         op.tenantId ? QVariant(op.tenantId) : QVariant(), op.type, op.targetType, op.targetId,
         toString(op.status), op.priority, op.progress,
         op.inputJson.isEmpty() ? QStringLiteral("{}") : op.inputJson,
         op.outputJson.isEmpty() ? QStringLiteral("{}") : op.outputJson, op.error,
         op.createdAt ? op.createdAt : nowSecs(), op.startedAt, op.completedAt});
    if (!q)
        return q.error();
    return q.value();
}

Result<QPair<Id, QVector<Id>>> OperationJournal::insertWithSteps(const Operation& op,
                                                                 const QStringList& steps)
{
    Transaction tx(m_store.db());
    if (!tx.active())
        return makeError(
            QStringLiteral("store"),
            QCoreApplication::translate("chom::OperationJournal",
                                        "The store is busy or read-only; nothing was started."));
    auto id = insert(op);
    if (!id)
        return id.error();
    QVector<Id> stepIds;
    for (int i = 0; i < steps.size(); ++i) {
        Operation step = op;
        step.type = op.type + QLatin1Char('/') + steps[i];
        step.priority = i;
        step.inputJson = QString();
        auto sid = insert(step, id.value());
        if (!sid)
            return sid.error();
        stepIds << sid.value();
    }
    if (auto c = tx.commit(); !c)
        return c.error();
    return qMakePair(id.value(), stepIds);
}

namespace {

const char* const kOpSelect =
    "SELECT id, correlation_id, COALESCE(tenant_id, 0), operation_type, target_type, target_id, "
    "status, priority, progress, input_json, output_json, error_message, created_at, "
    "started_at, completed_at FROM operations";

Result<QVector<Operation>> collectOps(Result<QSqlQuery> q)
{
    if (!q)
        return q.error();
    QVector<Operation> out;
    while (q.value().next()) {
        const QSqlQuery& r = q.value();
        Operation o;
        o.id = r.value(0).toLongLong();
        o.correlationId = r.value(1).toString();
        o.tenantId = r.value(2).toLongLong();
        o.type = r.value(3).toString();
        o.targetType = r.value(4).toString();
        o.targetId = r.value(5).toLongLong();
        o.status =
            operationStatusFromString(r.value(6).toString()).value_or(OperationStatus::Pending);
        o.priority = r.value(7).toInt();
        o.progress = r.value(8).toDouble();
        o.inputJson = r.value(9).toString();
        o.outputJson = r.value(10).toString();
        o.error = r.value(11).toString();
        o.createdAt = r.value(12).toLongLong();
        o.startedAt = r.value(13).toLongLong();
        o.completedAt = r.value(14).toLongLong();
        out << o;
    }
    return out;
}

Status statusOf(Result<QSqlQuery> q)
{
    if (!q)
        return q.error();
    return okStatus();
}

} // namespace

Result<QVector<Operation>> OperationJournal::recent(int limit, Id tenantId) const
{
    QString sql = QString::fromLatin1(kOpSelect) + QStringLiteral(" WHERE parent_id IS NULL");
    QVariantList binds;
    if (tenantId) {
        sql += QStringLiteral(" AND tenant_id = ?");
        binds << tenantId;
    }
    sql += QStringLiteral(" ORDER BY created_at DESC, id DESC LIMIT ?");
    binds << limit;
    return collectOps(execSql(m_store.db(), sql, binds));
}

Result<QVector<Operation>> OperationJournal::forTarget(const QString& targetType, Id targetId,
                                                       int limit) const
{
    return collectOps(
        execSql(m_store.db(),
                QString::fromLatin1(kOpSelect) +
                    QStringLiteral(" WHERE parent_id IS NULL AND target_type = ? AND target_id = ?"
                                   " ORDER BY created_at DESC, id DESC LIMIT ?"),
                {targetType, targetId, limit}));
}

Result<QVector<Operation>> OperationJournal::ofType(const QString& type, int limit) const
{
    return collectOps(execSql(m_store.db(),
                              QString::fromLatin1(kOpSelect) +
                                  QStringLiteral(" WHERE parent_id IS NULL AND operation_type = ?"
                                                 " ORDER BY created_at DESC, id DESC LIMIT ?"),
                              {type, limit}));
}

Result<Operation> OperationJournal::get(Id id) const
{
    auto r = collectOps(execSql(
        m_store.db(), QString::fromLatin1(kOpSelect) + QStringLiteral(" WHERE id = ?"), {id}));
    if (!r)
        return r.error();
    if (r.value().isEmpty())
        return makeError(
            QStringLiteral("not_found"),
            QCoreApplication::translate("chom::OperationJournal", "Operation #%1 does not exist.")
                .arg(id));
    return r.value().first();
}

Result<QVector<Operation>> OperationJournal::steps(Id parentId) const
{
    return collectOps(execSql(m_store.db(),
                              QString::fromLatin1(kOpSelect) +
                                  QStringLiteral(" WHERE parent_id = ? ORDER BY priority, id"),
                              {parentId}));
}

Status OperationJournal::markRunning(Id id)
{
    return statusOf(execSql(
        m_store.db(),
        QStringLiteral("UPDATE operations SET status = 'running', started_at = ? WHERE id = ?"),
        {nowSecs(), id}));
}

Status OperationJournal::markFinished(Id id, OperationStatus status, const QString& error,
                                      const QString& outputJson)
{
    return statusOf(execSql(
        m_store.db(),
        QStringLiteral("UPDATE operations SET status = ?, error_message = ?, output_json = ?, "
                       "completed_at = ?, progress = CASE WHEN ? = 'completed' THEN 1 "
                       "ELSE progress END WHERE id = ?"),
        {toString(status), error, outputJson.isEmpty() ? QStringLiteral("{}") : outputJson,
         nowSecs(), toString(status), id}));
}

Status OperationJournal::setProgress(Id id, double progress)
{
    return statusOf(execSql(m_store.db(),
                            QStringLiteral("UPDATE operations SET progress = ? WHERE id = ?"),
                            {progress, id}));
}

QString OperationJournal::currentOwner()
{
    return QSysInfo::machineHostName() + QLatin1Char(':') +
           QString::number(QCoreApplication::applicationPid());
}

Result<QString> OperationJournal::owner(Id id) const
{
    auto q =
        execSql(m_store.db(), QStringLiteral("SELECT owner FROM operations WHERE id = ?"), {id});
    if (!q)
        return q.error();
    if (!q.value().next())
        return makeError(
            QStringLiteral("not_found"),
            QCoreApplication::translate("chom::OperationJournal", "Operation #%1 does not exist.")
                .arg(id));
    return q.value().value(0).toString();
}

Status OperationJournal::requestCancel(Id id)
{
    auto u =
        execSql(m_store.db(),
                QStringLiteral(
                    "UPDATE operations SET cancel_requested_at = COALESCE(cancel_requested_at, ?) "
                    "WHERE id = ? AND parent_id IS NULL AND status IN ('pending', 'running')"),
                {nowSecs(), id});
    if (!u)
        return u.error();
    if (u.value().numRowsAffected() > 0)
        return okStatus();
    auto q = execSql(
        m_store.db(),
        QStringLiteral("SELECT status, COALESCE(parent_id, 0) FROM operations WHERE id = ?"), {id});
    if (!q)
        return q.error();
    if (!q.value().next())
        return makeError(
            QStringLiteral("not_found"),
            QCoreApplication::translate("chom::OperationJournal", "Operation #%1 does not exist.")
                .arg(id));
    if (const Id parent = q.value().value(1).toLongLong())
        return makeError(QStringLiteral("not_cancellable"),
                         QCoreApplication::translate("chom::OperationJournal",
                                                     "#%1 is a step of operation #%2; cancel #%2.")
                             .arg(id)
                             .arg(parent));
    return makeError(
        QStringLiteral("not_cancellable"),
        QCoreApplication::translate("chom::OperationJournal", "Operation #%1 is already %2.")
            .arg(id)
            .arg(q.value().value(0).toString()));
}

Result<QVector<Id>> OperationJournal::cancelRequested(const QVector<Id>& ids) const
{
    QVector<Id> out;
    if (ids.isEmpty())
        return out;
    QStringList marks;
    QVariantList binds;
    for (Id id : ids) {
        marks << QStringLiteral("?");
        binds << id;
    }
    auto q = execSql(
        m_store.db(),
        QStringLiteral(
            "SELECT id FROM operations WHERE id IN (%1) AND cancel_requested_at IS NOT NULL")
            .arg(marks.join(QLatin1Char(','))),
        binds);
    if (!q)
        return q.error();
    while (q.value().next())
        out << q.value().value(0).toLongLong();
    return out;
}

bool OperationJournal::ownerIsGone(const QString& owner)
{
    if (owner.isEmpty())
        return true; // written before owners were recorded
    const QString host = owner.section(QLatin1Char(':'), 0, -2);
    const qint64 pid = owner.section(QLatin1Char(':'), -1).toLongLong();
    if (host != QSysInfo::machineHostName())
        return false; // another workstation's work: not ours to judge
    if (pid == QCoreApplication::applicationPid())
        return false;
    return pid <= 0 || (::kill(pid_t(pid), 0) != 0 && errno == ESRCH);
}

Result<QVector<Id>> OperationJournal::markInterrupted()
{
    auto q = execSql(m_store.db(),
                     QStringLiteral("SELECT id, owner FROM operations WHERE parent_id IS NULL AND "
                                    "status IN ('running', 'pending') ORDER BY id"));
    if (!q)
        return q.error();
    QVector<Id> ids;
    while (q.value().next())
        if (ownerIsGone(q.value().value(1).toString()))
            ids << q.value().value(0).toLongLong();
    for (Id id : ids) {
        auto u = execSql(
            m_store.db(),
            QStringLiteral("UPDATE operations SET status = 'interrupted', completed_at = ? "
                           "WHERE (id = ? OR parent_id = ?) AND status IN ('running', 'pending')"),
            {nowSecs(), id, id});
        if (!u)
            return u.error();
    }
    return ids;
}

} // namespace chom
