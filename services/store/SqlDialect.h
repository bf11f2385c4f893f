#pragma once

#include <QString>
#include <QStringList>

namespace chom {

// What differs between the store's SQL backends, in one place: the
// repositories build their statements through it and never branch on the
// driver themselves. SQLite (the workstation store) and PostgreSQL (the
// shared team store) are the two dialects.
class SqlDialect
{
public:
    enum class Kind
    {
        Sqlite,
        Postgres
    };
    static const SqlDialect& forDriver(const QString& qtDriver); // QSQLITE | QPSQL

    Kind kind() const { return m_kind; }
    bool isSqlite() const { return m_kind == Kind::Sqlite; }

    // Opens a write transaction. SQLite takes the write lock up front
    // (IMMEDIATE), so a transaction that reads (a quota, the audit head)
    // and then writes cannot deadlock with another writer; PostgreSQL locks
    // the rows it reads with lockForUpdate() instead.
    QString beginWrite() const;
    // Appended to a SELECT inside a write transaction whose rows decide the
    // write (quota, audit chain head): row locks on PostgreSQL; nothing on
    // SQLite, whose BEGIN IMMEDIATE already serialises writers.
    // `of`: the table alias to lock when the SELECT joins others.
    QString lockForUpdate(const QString& of = QString()) const;
    // INSERT ... ON CONFLICT (keys) DO UPDATE SET every other column.
    QString upsert(const QString& table, const QStringList& columns, const QStringList& keys) const;
    // An INSERT statement that returns the new row's id (read the first
    // column of the first row): no driver-specific lastInsertId().
    QString returningId(const QString& insertSql) const;
    // Run first inside a write transaction that changes the schema, so two
    // processes opening a fresh store migrate one after the other: a
    // transaction-scoped advisory lock on PostgreSQL; empty on SQLite, whose
    // BEGIN IMMEDIATE already serialises them.
    QString schemaLock() const;
    // Schema DDL written in SQLite's type names, for this backend. PostgreSQL
    // gets BIGINT for INTEGER (ids, Unix times and byte counts outgrow 32
    // bits), an identity column for AUTOINCREMENT, BYTEA and DOUBLE
    // PRECISION. Only for the store's own migration text: a string literal
    // holding one of those words would be rewritten too.
    QString ddl(const QString& sqliteDdl) const;
    // A statement whose rows are "ok" when the store's own structure is
    // sound (SQLite's PRAGMA quick_check); empty where the server vouches for
    // its files (PostgreSQL).
    QString integrityCheck() const;
    // Positional placeholders for n values: "?, ?, ?".
    static QString placeholders(int n);

private:
    explicit SqlDialect(Kind kind) : m_kind(kind) {}
    Kind m_kind;
};

} // namespace chom
