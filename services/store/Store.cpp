#include "store/Store.h"

#include "store/Mutation.h"
#include "store/Sql.h"

#include "store/Migrations.h"
#include "store/SqliteFile.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMutex>
#include <QSqlError>
#include <QThread>
#include <QThreadStorage>
#include <QUrl>
#include <QUuid>

#include <atomic>
#include <optional>

namespace chom {
namespace {

std::atomic<qint64> g_nowOverride{0};

// Per-thread registry of the connection names this thread opened, removed
// when the thread ends (QThreadStorage deletes the holder then).
struct ThreadConnections
{
    QStringList names;
    ~ThreadConnections()
    {
        for (const QString& n : names) {
            {
                QSqlDatabase db = QSqlDatabase::database(n, false);
                if (db.isValid())
                    db.close();
            }
            QSqlDatabase::removeDatabase(n);
        }
    }
};

QThreadStorage<ThreadConnections*>& threadConnections()
{
    static QThreadStorage<ThreadConnections*> storage;
    return storage;
}

// Switching a new file to WAL takes an exclusive lock, and SQLite answers
// "database is locked" at once instead of waiting (no busy handler): two
// processes opening a fresh store together would see it. The mode persists
// in the file, so later opens only read it.
Status enableWal(const QSqlDatabase& db)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        auto r = execSql(db, QStringLiteral("PRAGMA journal_mode=WAL"));
        if (r)
            return okStatus();
        if (!r.error().message.contains(QLatin1String("locked")) || clock.elapsed() > 5000)
            return r.error();
        QThread::msleep(20);
    }
}

// libpq's two answers about passwords, told apart so that a front-end can
// fetch a saved one (or say which one the server refused).
std::optional<Error> loginError(const QSqlError& error, const StoreConfig& c)
{
    const QString text = error.text();
    const QString where =
        QStringLiteral("%1@%2:%3/%4").arg(c.user, c.host).arg(c.port).arg(c.database);
    if (text.contains(QLatin1String("no password supplied")))
        return makeError(ErrorKind::Store, QStringLiteral("password_required"),
                         QCoreApplication::translate(
                             "chom::Store", "The PostgreSQL server asks for the password of %1.")
                             .arg(where));
    if (text.contains(QLatin1String("password authentication failed")))
        return makeError(ErrorKind::Store, QStringLiteral("password_refused"),
                         QCoreApplication::translate(
                             "chom::Store", "The PostgreSQL server refused the password of %1.")
                             .arg(where));
    return std::nullopt;
}

Error corruptStore(const QString& path, const QString& finding)
{
    return makeError(ErrorKind::Store, QStringLiteral("store_corrupt"),
                     QCoreApplication::translate("chom::Store", "The store %1 is corrupt (%2); "
                                                                "nothing was written. Restore a "
                                                                "backup.")
                         .arg(path, finding));
}

} // namespace

qint64 nowSecs()
{
    const qint64 o = g_nowOverride.load();
    return o ? o : QDateTime::currentSecsSinceEpoch();
}

void setNowOverrideForTests(qint64 secs)
{
    g_nowOverride.store(secs);
}

Store::Store(StoreConfig config)
    : m_config(std::move(config)),
      m_prefix(QStringLiteral("chom-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

Store::~Store()
{
    // Only the destroying thread's connection can be removed safely here;
    // other threads' connections go with their threads.
    if (!threadConnections().hasLocalData())
        return;
    auto* holder = threadConnections().localData();
    QStringList keep;
    for (const QString& n : holder->names) {
        if (!n.startsWith(m_prefix)) {
            keep << n;
            continue;
        }
        {
            QSqlDatabase db = QSqlDatabase::database(n, false);
            if (db.isValid())
                db.close();
        }
        QSqlDatabase::removeDatabase(n);
    }
    holder->names = keep;
}

Result<StoreConfig> StoreConfig::fromUrl(const QString& text)
{
    const QUrl url(text, QUrl::StrictMode);
    StoreConfig c;
    if (url.scheme() == QLatin1String("sqlite") && !url.path().isEmpty()) {
        c.path = url.path();
        return c;
    }
    if (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres"))
        return makeError(QStringLiteral("usage"),
                         QCoreApplication::translate(
                             "chom::Store", "A store is postgresql://user@host:port/database or "
                                            "sqlite:/path/to/chom.sqlite, not \"%1\".")
                             .arg(text));
    if (!url.password().isEmpty())
        return makeError(QStringLiteral("usage"),
                         QCoreApplication::translate(
                             "chom::Store", "Give the PostgreSQL password in a PGPASSFILE (or "
                                            "~/.pgpass), never in the store URL (ps shows it)."));
    c.driver = QStringLiteral("QPSQL");
    c.host = url.host();
    c.port = url.port(5432);
    c.user = url.userName();
    c.database = url.path().mid(1);
    if (c.host.isEmpty() || c.user.isEmpty() || c.database.isEmpty())
        return makeError(QStringLiteral("usage"),
                         QCoreApplication::translate(
                             "chom::Store", "A PostgreSQL store URL names user, host and database: "
                                            "postgresql://user@host:port/database."));
    return c;
}

Result<std::shared_ptr<Store>> Store::open(const StoreConfig& config, int targetVersion)
{
    std::unique_ptr<QLockFile> creating; // held until a new file is initialised
    if (config.driver == QLatin1String("QSQLITE")) {
        if (config.path.isEmpty())
            return makeError(QStringLiteral("store"),
                             QCoreApplication::translate("chom::Store", "No store path given."));
        if (config.readOnly && !QFileInfo(config.path).isFile())
            return makeError(ErrorKind::NotFound, QStringLiteral("store_missing"),
                             QCoreApplication::translate("chom::Store", "There is no store at %1.")
                                 .arg(config.path));
        if (config.readOnly) {
            if (auto st = sqlitefile::refuseEmpty(config.path); !st)
                return st.error();
        } else {
            auto prepared = sqlitefile::prepare(config.path);
            if (!prepared)
                return prepared.error();
            creating = std::move(prepared.value());
        }
    }
    if (!QSqlDatabase::isDriverAvailable(config.driver))
        return makeError(
            QStringLiteral("store"),
            QCoreApplication::translate("chom::Store", "The Qt SQL driver %1 is not installed.")
                .arg(config.driver));
    std::shared_ptr<Store> store(new Store(config));
    auto conn = store->connect(); // a new file gets its header here (WAL)
    creating.reset();
    if (!conn) {
        const QString m = conn.error().message;
        if (m.contains(QLatin1String("malformed")) || m.contains(QLatin1String("not a database")))
            return corruptStore(config.path, m);
        return conn.error();
    }
    // Before any migration writes: a damaged file is reported, not extended.
    if (auto ok = store->checkIntegrity(); !ok)
        return ok.error();
    Migrator migrator(*store);
    auto st =
        config.readOnly ? migrator.checkCurrent(targetVersion) : migrator.migrate(targetVersion);
    if (!st)
        return st.error();
    return store;
}

Status Store::checkIntegrity() const
{
    const QString sql = dialect().integrityCheck();
    if (sql.isEmpty())
        return okStatus();
    auto q = execSql(db(), sql);
    QStringList findings;
    if (q) {
        while (q.value().next())
            findings << q.value().value(0).toString();
    } else {
        findings << q.error().message;
    }
    if (findings == QStringList{QStringLiteral("ok")})
        return okStatus();
    return corruptStore(m_config.path, findings.mid(0, 3).join(QStringLiteral("; ")));
}

QString Store::connectionName() const
{
    return m_prefix + QLatin1Char('-') +
           QString::number(reinterpret_cast<quintptr>(QThread::currentThread()), 16);
}

void Store::guardThread(QThread* thread)
{
    m_guarded.store(thread);
}

QSqlDatabase Store::db() const
{
    if (QThread* g = m_guarded.load(); g && g == QThread::currentThread()) {
        if (m_guardedUses.fetch_add(1) == 0)
            qWarning(
                "chom: store used on the guarded (GUI) thread; move this call to StoreExecutor");
    }
    const QString name = connectionName();
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    auto r = connect();
    return r ? r.value() : QSqlDatabase();
}

Result<QSqlDatabase> Store::connect() const
{
    const QString name = connectionName();
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    if (!threadConnections().hasLocalData())
        threadConnections().setLocalData(new ThreadConnections);
    QSqlDatabase db = QSqlDatabase::addDatabase(m_config.driver, name);
    threadConnections().localData()->names << name;
    if (isSqlite()) {
        sqlitefile::configure(db, m_config.path, m_config.readOnly);
    } else {
        db.setHostName(m_config.host);
        db.setPort(m_config.port);
        db.setUserName(m_config.user);
        db.setPassword(m_config.password);
        db.setDatabaseName(m_config.database);
        // A dead server fails the open in seconds, not minutes; the
        // server's NOTICEs ("already exists, skipping") stay out of stderr.
        db.setConnectOptions(QStringLiteral(
            "connect_timeout=10;application_name=chom;options=-cclient_min_messages=warning"));
    }
    if (!db.open()) {
        if (auto login = loginError(db.lastError(), m_config); login)
            return *login;
        return makeError(QStringLiteral("store"),
                         QCoreApplication::translate("chom::Store", "Cannot open the store %1: %2")
                             .arg(isSqlite() ? m_config.path
                                             : QStringLiteral("%1@%2:%3/%4")
                                                   .arg(m_config.user, m_config.host)
                                                   .arg(m_config.port)
                                                   .arg(m_config.database),
                                  sqlErrorText(db.lastError())));
    }
    if (isSqlite()) {
        // WAL lets the GUI read while a worker writes; NORMAL sync is durable
        // across application crashes (not power loss), which is our contract.
        if (auto wal = m_config.readOnly ? okStatus() : enableWal(db); !wal)
            return wal.error();
        for (const char* pragma :
             {"PRAGMA foreign_keys=ON", "PRAGMA synchronous=NORMAL", "PRAGMA temp_store=MEMORY"}) {
            auto r = execSql(db, QString::fromLatin1(pragma));
            if (!r)
                return r.error();
        }
    }
    return db;
}

} // namespace chom
