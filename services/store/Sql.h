#pragma once

// The store layer's statement helpers. Only services/store/ (and the tests)
// include this: everything else asks a repository or a service, so the SQL
// of both dialects stays in one folder (the build checks it).
#include "Domain.h"
#include "base/Result.h"
#include "store/Store.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace chom {

// The driver's own words for a failed statement or connection.
QString sqlErrorText(const QSqlError& e);

// Runs one statement with positional bindings; the error names the SQL
// problem. A unique-key violation has the code "store_unique".
Result<QSqlQuery> execSql(const QSqlDatabase& db, const QString& sql,
                          const QVariantList& binds = {});

// An INSERT that returns the new row's id (the dialect's RETURNING form).
Result<Id> insertReturningId(const Store& store, const QString& insertSql,
                             const QVariantList& binds = {});

// RAII write transaction (the dialect's beginWrite): rolls back unless
// commit() succeeded.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();
    Status commit();
    bool active() const { return m_active; }

private:
    QSqlDatabase m_db;
    bool m_active = false;
};

} // namespace chom
