#include "inventory/Core.h"
#include "store/Migrations.h"
#include "store/Sql.h"
#include "store/Store.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace chom;

namespace {

QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

qint64 scalar(Store& s, const QString& sql)
{
    auto q = execSql(s.db(), sql);
    if (!q || !q.value().next())
        return -1;
    return q.value().value(0).toLongLong();
}

// Data an older version could hold, written with raw SQL of that version.
void seedVersion1(Store& s)
{
    const QStringList sql{
        "INSERT INTO organizations(id, name, slug, created_at, updated_at) VALUES (1, 'Acme', "
        "'acme', 1, 1)",
        "INSERT INTO tenants(id, organization_id, name, slug, tier, status, created_at, "
        "updated_at) "
        "VALUES (1, 1, 'Acme', 'acme', 'pro', 'active', 1, 1)",
        "INSERT INTO vps_servers(id, hostname, ip_address, created_at, updated_at) VALUES (1, "
        "'web-1', '192.0.2.1', 1, 1)",
        "INSERT INTO sites(tenant_id, vps_id, domain, site_type, status, storage_used_mb, "
        "created_at, updated_at) "
        "VALUES (1, 1, 'a.example.com', 'wordpress', 'active', 100, 1, 1)",
        "INSERT INTO sites(tenant_id, vps_id, domain, site_type, status, storage_used_mb, "
        "created_at, updated_at) "
        "VALUES (1, 1, 'b.example.com', 'html', 'failed', 50, 1, 1)",
    };
    for (const QString& q : sql)
        QVERIFY2(execSql(s.db(), q).ok(), qPrintable(q));
}

} // namespace

class TestMigrations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void freshStoreReachesLatest()
    {
        QTemporaryDir dir;
        auto store = Store::open(sqliteConfigFor(dir.path()));
        QVERIFY2(store.ok(), qPrintable(store.errorMessage()));
        Store& s = *store.value();
        QCOMPARE(Migrator(s).currentVersion().value(), Migrator::latestVersion());
        QCOMPARE(Migrator::latestVersion(), 10);
        // v10: backups on restic.
        QCOMPARE(scalar(s, "SELECT COUNT(*) FROM pragma_table_info('site_backups') WHERE name IN "
                           "('vps_id', 'backup_uid', 'snapshot_id', 'verified_at')"),
                 4);
        // v7: the persisted metrics cache and its pruning index.
        QCOMPARE(scalar(s, "SELECT COUNT(*) FROM sqlite_master WHERE type='index' "
                           "AND name='metrics_cache_fetched'"),
                 1);
        QCOMPARE(scalar(s, "SELECT COUNT(*) FROM pragma_table_info('operations') "
                           "WHERE name IN ('owner', 'cancel_requested_at')"),
                 2);
        for (const char* table : {"organizations", "tenants", "tier_limits", "vps_servers", "sites",
                                  "site_backups", "operations", "audit_log", "site_status_counts"})
            QCOMPARE(
                scalar(s, QStringLiteral(
                              "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='%1'")
                              .arg(QLatin1String(table))),
                1);
        // Indexes named by the performance review.
        for (const char* index :
             {"sites_tenant_status", "sites_tenant_created", "site_backups_site_created",
              "operations_status_priority_created"})
            QCOMPARE(
                scalar(s, QStringLiteral(
                              "SELECT COUNT(*) FROM sqlite_master WHERE type='index' AND name='%1'")
                              .arg(QLatin1String(index))),
                1);
        QCOMPARE(scalar(s, "SELECT COUNT(*) FROM tier_limits"), 3);
        QCOMPARE(scalar(s, "SELECT max_sites FROM tier_limits WHERE tier='enterprise'"), -1);
        QCOMPARE(scalar(s, "SELECT max_sites FROM tier_limits WHERE tier='pro'"), 25);
        auto mode = execSql(s.db(), "PRAGMA journal_mode");
        QVERIFY(mode.value().next());
        QCOMPARE(mode.value().value(0).toString(), QStringLiteral("wal"));
        QCOMPARE(scalar(s, "PRAGMA foreign_keys"), 1);
    }

    void reopeningIsIdempotent()
    {
        QTemporaryDir dir;
        {
            auto s = Store::open(sqliteConfigFor(dir.path()));
            QVERIFY(s.ok());
        }
        auto s = Store::open(sqliteConfigFor(dir.path()));
        QVERIFY(s.ok());
        QCOMPARE(scalar(*s.value(), "SELECT COUNT(*) FROM schema_migrations"),
                 qint64(Migrator::latestVersion()));
    }

    void fromEachEarlierVersion_data()
    {
        QTest::addColumn<int>("from");
        for (int v = 1; v < Migrator::latestVersion(); ++v)
            QTest::newRow(qPrintable(QStringLiteral("v%1").arg(v))) << v;
    }
    void fromEachEarlierVersion()
    {
        QFETCH(int, from);
        QTemporaryDir dir;
        {
            auto old = Store::open(sqliteConfigFor(dir.path()), from);
            QVERIFY2(old.ok(), qPrintable(old.errorMessage()));
            QCOMPARE(Migrator(*old.value()).currentVersion().value(), from);
            seedVersion1(*old.value());
        }
        auto s = Store::open(sqliteConfigFor(dir.path()));
        QVERIFY2(s.ok(), qPrintable(s.errorMessage()));
        Store& st = *s.value();
        QCOMPARE(Migrator(st).currentVersion().value(), Migrator::latestVersion());
        QCOMPARE(scalar(st, "SELECT COUNT(*) FROM sites"), 2);
        // v6: cross-process cancel requests, empty for rows written before.
        QCOMPARE(scalar(st, "SELECT COUNT(*) FROM pragma_table_info('operations') "
                            "WHERE name = 'cancel_requested_at'"),
                 1);
        // Aggregates are backfilled from data written before they existed.
        QCOMPARE(scalar(st, "SELECT site_count FROM tenants WHERE id=1"), 2);
        QCOMPARE(scalar(st, "SELECT storage_used_mb FROM tenants WHERE id=1"), 150);
        QCOMPARE(
            scalar(st, "SELECT n FROM site_status_counts WHERE tenant_id=1 AND status='active'"),
            1);
        // And stay maintained afterwards.
        QVERIFY(execSql(st.db(), "UPDATE sites SET status='disabled' WHERE domain='a.example.com'")
                    .ok());
        QCOMPARE(
            scalar(st, "SELECT n FROM site_status_counts WHERE tenant_id=1 AND status='active'"),
            0);
        QCOMPARE(
            scalar(st, "SELECT n FROM site_status_counts WHERE tenant_id=1 AND status='disabled'"),
            1);
    }

    void newerStoreIsRefusedUntouched()
    {
        QTemporaryDir dir;
        const StoreConfig cfg = sqliteConfigFor(dir.path());
        {
            auto s = Store::open(cfg);
            QVERIFY(s.ok());
            QVERIFY(execSql(s.value()->db(), "INSERT INTO schema_migrations(version, description, "
                                             "applied_at) VALUES (999, 'future', 0)")
                        .ok());
            QVERIFY(execSql(s.value()->db(), "PRAGMA wal_checkpoint(TRUNCATE)").ok());
        }
        const QByteArray before = fileHash(cfg.path);
        QVERIFY(!before.isEmpty());
        auto s = Store::open(cfg);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, QStringLiteral("store_too_new"));
        QVERIFY(s.error().message.contains(QStringLiteral("newer")));
        QVERIFY(s.error().message.contains(QStringLiteral("999")));
        QCOMPARE(fileHash(cfg.path), before);
        auto core = Core::open(cfg);
        QVERIFY(!core.ok());
    }

    void foreignKeysEnforced()
    {
        QTemporaryDir dir;
        auto s = Store::open(sqliteConfigFor(dir.path()));
        QVERIFY(s.ok());
        auto r = execSql(s.value()->db(),
                         "INSERT INTO sites(tenant_id, domain, site_type, created_at, updated_at) "
                         "VALUES (42, 'x.example.com', 'html', 1, 1)");
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("FOREIGN KEY"), Qt::CaseInsensitive));
    }

    void unwritableLocationIsAClearError()
    {
        StoreConfig cfg;
        cfg.path = QStringLiteral("/proc/chom-cannot-write-here/chom.sqlite");
        auto s = Store::open(cfg);
        QVERIFY(!s.ok());
        QVERIFY(!s.error().message.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestMigrations)
#include "tst_migrations.moc"
