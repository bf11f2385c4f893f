#include "TestBackend.h"

#include "PostgresFixture.h"

#include "inventory/Core.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QMutex>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

#include <memory>

namespace chom::test {
namespace {

QMutex g_mutex;
QString g_serverUrl;                          // the maintenance database "chom"
std::unique_ptr<PostgresFixture> g_ownServer; // when no fixture server is given
QAtomicInt g_databases;

void stopOwnServer()
{
    QMutexLocker lock(&g_mutex);
    g_ownServer.reset();
}

QString fixtureServerUrl(const QString& dir)
{
    QProcess p;
    p.start(QStringLiteral("/bin/bash"),
            {PostgresFixture::scriptPath(), QStringLiteral("status"), dir});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        qFatal("CHOM_TEST_PG_DIR=%s: no PostgreSQL server runs there (%s)", qPrintable(dir),
               qPrintable(QString::fromUtf8(p.readAllStandardOutput()).trimmed()));
    const QString out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
    return out.section(QLatin1Char(' '), 2); // "postgresql up URL"
}

QString serverUrl()
{
    QMutexLocker lock(&g_mutex);
    if (!g_serverUrl.isEmpty())
        return g_serverUrl;
    const QString dir = qEnvironmentVariable("CHOM_TEST_PG_DIR");
    if (!dir.isEmpty()) {
        g_serverUrl = fixtureServerUrl(dir);
        return g_serverUrl;
    }
    if (!PostgresFixture::available())
        qFatal("CHOM_TEST_STORE=postgresql: %s", qPrintable(PostgresFixture::unavailableReason()));
    g_ownServer = std::make_unique<PostgresFixture>();
    if (!g_ownServer->start())
        qFatal("CHOM_TEST_STORE=postgresql: %s", qPrintable(g_ownServer->error()));
    qAddPostRoutine(stopOwnServer);
    g_serverUrl = g_ownServer->url();
    return g_serverUrl;
}

// One statement on the maintenance database, on a connection of its own.
void admin(const QString& sql)
{
    const StoreConfig c = StoreConfig::fromUrl(serverUrl()).value();
    const QString name =
        QStringLiteral("chom-test-admin-%1").arg(g_databases.fetchAndAddRelaxed(1));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(c.host);
        db.setPort(c.port);
        db.setUserName(c.user);
        db.setDatabaseName(c.database);
        if (!db.open())
            qFatal("PostgreSQL test server: %s", qPrintable(db.lastError().text()));
        QSqlQuery q(db);
        if (!q.exec(sql))
            qFatal("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace

bool onPostgres()
{
    return qEnvironmentVariable("CHOM_TEST_STORE") == QLatin1String("postgresql");
}

StoreConfig freshStoreConfig(const QString& dir)
{
    if (!onPostgres())
        return sqliteConfigFor(dir);
    const QString name = QStringLiteral("t_%1_%2")
                             .arg(QCoreApplication::applicationPid())
                             .arg(g_databases.fetchAndAddRelaxed(1));
    admin(QStringLiteral("CREATE DATABASE %1 OWNER chom").arg(name));
    StoreConfig c = StoreConfig::fromUrl(serverUrl()).value();
    c.database = name;
    return c;
}

void dropStore(const StoreConfig& config)
{
    if (config.driver != QLatin1String("QPSQL") || !config.database.startsWith(QLatin1String("t_")))
        return;
    admin(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(config.database));
}

} // namespace chom::test
