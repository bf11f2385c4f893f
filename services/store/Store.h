#pragma once

#include "base/Result.h"

#include "store/SqlDialect.h"

#include <QSqlDatabase>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace chom {

// Where the store lives and which backend serves it. SQLite is the default;
// the PostgreSQL backend (team mode) plugs in through `driver` + the pg fields.
struct StoreConfig
{
    QString driver = QStringLiteral("QSQLITE");
    QString path; // SQLite file
    QString host;
    int port = 5432;
    QString user;
    QString password; // empty: libpq reads PGPASSFILE / ~/.pgpass itself
    QString database;
    // Open without writing: no migration, no WAL switch, SQLite opened
    // read-only, so reading commands work on a read-only store directory.
    bool readOnly = false;

    // "postgresql://user@host:port/db" (password never in the URL: from a
    // PGPASSFILE or ~/.pgpass, which libpq reads) or "sqlite:/path/chom.sqlite".
    static Result<StoreConfig> fromUrl(const QString& url);
};

// Owns the configuration and hands each thread its own connection
// (Qt's QSqlDatabase must not cross threads). Open with Store::open(), which
// applies migrations once; later threads just connect.
class Store
{
public:
    // A SQLite file that exists but is empty, or that fails its integrity
    // check, is refused (store_corrupt) and never written; a new file and its
    // directory are created 0600 / 0700.
    static Result<std::shared_ptr<Store>> open(const StoreConfig& config, int targetVersion = -1);
    // The backend's own consistency check: ok, or store_corrupt naming it.
    Status checkIntegrity() const;
    ~Store();

    // The calling thread's connection, opened on first use. Connections are
    // closed when their thread finishes or the Store is destroyed.
    QSqlDatabase db() const;
    const StoreConfig& config() const { return m_config; }
    bool isSqlite() const { return dialect().isSqlite(); }
    // The SQL that differs between the backends; statements go through it.
    const SqlDialect& dialect() const { return SqlDialect::forDriver(m_config.driver); }

    // GUI guard: after guardThread(gui), every db() call made on that thread
    // is counted (and warned about once), so a regression that puts store
    // I/O back on the GUI thread shows up in tests. nullptr lifts the guard.
    void guardThread(QThread* thread);
    int guardedUses() const { return m_guardedUses.load(); }

    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

private:
    explicit Store(StoreConfig config);
    Result<QSqlDatabase> connect() const;
    QString connectionName() const;

    StoreConfig m_config;
    QString m_prefix;
    std::atomic<QThread*> m_guarded{nullptr};
    mutable std::atomic<int> m_guardedUses{0};
};

// Unix seconds now; tests may pin it.
qint64 nowSecs();
void setNowOverrideForTests(qint64 secs); // 0 = real clock

} // namespace chom
