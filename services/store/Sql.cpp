#include "store/Sql.h"

#include "store/Mutation.h"

#include <QCoreApplication>
#include <QSqlError>

namespace chom {
namespace {

// A unique-key violation gets its own code on both backends, so a service can
// say "already exists" without parsing driver text.
Error queryError(const QSqlError& e)
{
    const QString native = e.nativeErrorCode();
    const bool unique = native == QLatin1String("23505") || native == QLatin1String("2067") ||
                        native == QLatin1String("1555") ||
                        e.databaseText().contains(QLatin1String("UNIQUE constraint failed"));
    return Error{unique ? QStringLiteral("store_unique") : QStringLiteral("store"),
                 QStringLiteral("Store query failed: %1").arg(sqlErrorText(e))};
}

} // namespace

QString sqlErrorText(const QSqlError& e)
{
    QString t = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    return t.trimmed();
}

Result<QSqlQuery> execSql(const QSqlDatabase& db, const QString& sql, const QVariantList& binds)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // Without bindings, run it as it is: PostgreSQL cannot PREPARE DDL.
    if (binds.isEmpty()) {
        if (!q.exec(sql))
            return queryError(q.lastError());
        return q;
    }
    if (!q.prepare(sql))
        return queryError(q.lastError());
    for (int i = 0; i < binds.size(); ++i) {
        const QVariant& v = binds.at(i);
        // A null QString would bind as SQL NULL; our text columns are NOT NULL ''.
        if (v.typeId() == QMetaType::QString && v.toString().isNull())
            q.bindValue(i, QStringLiteral(""));
        else
            q.bindValue(i, v);
    }
    if (!q.exec())
        return queryError(q.lastError());
    return q;
}

Result<Id> insertReturningId(const Store& store, const QString& insertSql,
                             const QVariantList& binds)
{
    auto q = execSql(store.db(), store.dialect().returningId(insertSql), binds);
    if (!q)
        return q.error();
    if (!q.value().next())
        return makeError(
            QStringLiteral("store"),
            QCoreApplication::translate("chom::Sql", "The store returned no id for a new row."));
    return Id(q.value().value(0).toLongLong());
}

Transaction::Transaction(QSqlDatabase db) : m_db(std::move(db))
{
    // IMMEDIATE takes the write lock up front: a deferred transaction that
    // reads (the audit head) and then writes can deadlock with another writer.
    m_active = execSql(m_db, SqlDialect::forDriver(m_db.driverName()).beginWrite()).ok();
}

Transaction::~Transaction()
{
    // A failed rollback leaves nothing to undo here: the connection ends the
    // transaction when it closes, and the write it guarded never committed.
    if (m_active)
        if (auto r = execSql(m_db, QStringLiteral("ROLLBACK")); !r)
            qWarning("chom: rollback failed: %s", qPrintable(r.errorMessage()));
}

Status Transaction::commit()
{
    if (!m_active)
        return makeError(QStringLiteral("store"),
                         QCoreApplication::translate("chom::Sql", "No transaction is open."));
    m_active = false;
    auto r = execSql(m_db, QStringLiteral("COMMIT"));
    if (!r) {
        if (auto rb = execSql(m_db, QStringLiteral("ROLLBACK")); !rb)
            qWarning("chom: rollback after a failed commit failed: %s",
                     qPrintable(rb.errorMessage()));
        return makeError(
            QStringLiteral("store"),
            QCoreApplication::translate("chom::Sql", "Commit failed: %1").arg(r.error().message));
    }
    return okStatus();
}

WriteScope::WriteScope(Store& store) : m_tx(std::make_unique<Transaction>(store.db())) {}

WriteScope::~WriteScope() = default;

bool WriteScope::active() const
{
    return m_tx->active();
}

Status WriteScope::commit()
{
    return m_tx->commit();
}

} // namespace chom
