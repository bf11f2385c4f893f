// The store's SQL dialect on both backends: the same statements (upsert,
// insert returning the id, row locks for read-then-write transactions) run
// on SQLite and on a real PostgreSQL 15 the test starts on loopback
// (scripts/services/postgres.sh), and two concurrent read-then-write
// writers never lose an update on either.
#include "PostgresFixture.h"
#include "store/Migrations.h"
#include "store/Sql.h"
#include "store/SqlDialect.h"
#include "store/Store.h"

#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <memory>

using namespace chom;
using chom::test::PostgresFixture;

class TestDialect : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    PostgresFixture m_pg;
    int m_databases = 0;

    StoreConfig freshConfig(const QString& backend)
    {
        StoreConfig c;
        if (backend == QLatin1String("sqlite")) {
            c.path = m_dir.filePath(QStringLiteral("dialect-%1.sqlite").arg(++m_databases));
            return c;
        }
        const QString url = m_pg.createDatabase(QStringLiteral("dialect_%1").arg(++m_databases));
        if (url.isEmpty())
            qFatal("createdb: %s", qPrintable(m_pg.error()));
        return StoreConfig::fromUrl(url).value();
    }

    std::shared_ptr<Store> open(const QString& backend)
    {
        StoreConfig c;
        if (backend == QLatin1String("sqlite")) {
            c.path = m_dir.filePath(QStringLiteral("dialect-%1.sqlite").arg(++m_databases));
        } else {
            const QString url =
                m_pg.createDatabase(QStringLiteral("dialect_%1").arg(++m_databases));
            if (url.isEmpty())
                qFatal("createdb: %s", qPrintable(m_pg.error()));
            c = StoreConfig::fromUrl(url).value();
        }
        auto store = Store::open(c, 0); // the schema table only: this test makes its own
        if (!store)
            qFatal("open %s: %s", qPrintable(backend), qPrintable(store.errorMessage()));
        return store.value();
    }

    static void exec(Store& s, const QString& sql, const QVariantList& binds = {})
    {
        auto r = execSql(s.db(), sql, binds);
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!PostgresFixture::available())
            QSKIP(qPrintable(PostgresFixture::unavailableReason()));
        QVERIFY2(m_pg.start(), qPrintable(m_pg.error()));
    }
    void cleanupTestCase() { m_pg.stop(); }

    void storeUrls()
    {
        auto pg = StoreConfig::fromUrl(QStringLiteral("postgresql://chom@127.0.0.1:5433/team"));
        QVERIFY(pg.ok());
        QCOMPARE(pg.value().driver, QStringLiteral("QPSQL"));
        QCOMPARE(pg.value().port, 5433);
        QCOMPARE(pg.value().database, QStringLiteral("team"));
        auto secret = StoreConfig::fromUrl(QStringLiteral("postgresql://chom:pw@127.0.0.1/team"));
        QVERIFY(!secret.ok());
        QVERIFY(secret.errorMessage().contains(QLatin1String("PGPASSFILE")));
        QVERIFY(!StoreConfig::fromUrl(QStringLiteral("mysql://x@y/z")).ok());
        QVERIFY(!StoreConfig::fromUrl(QStringLiteral("postgresql://127.0.0.1/team")).ok());
        QCOMPARE(StoreConfig::fromUrl(QStringLiteral("sqlite:/tmp/x.sqlite")).value().path,
                 QStringLiteral("/tmp/x.sqlite"));
    }

    void statements_data()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }
    void statements()
    {
        QFETCH(QString, backend);
        auto store = open(backend);
        const bool sqlite = backend == QLatin1String("sqlite");
        QCOMPARE(store->dialect().isSqlite(), sqlite);
        exec(*store, sqlite ? QStringLiteral("CREATE TABLE items (id INTEGER PRIMARY KEY "
                                             "AUTOINCREMENT, k TEXT UNIQUE NOT NULL, v TEXT)")
                            : QStringLiteral("CREATE TABLE items (id BIGSERIAL PRIMARY KEY, "
                                             "k TEXT UNIQUE NOT NULL, v TEXT)"));
        auto a = insertReturningId(*store, QStringLiteral("INSERT INTO items(k, v) VALUES (?, ?)"),
                                   {QStringLiteral("a"), QStringLiteral("1")});
        auto b = insertReturningId(*store, QStringLiteral("INSERT INTO items(k, v) VALUES (?, ?)"),
                                   {QStringLiteral("b"), QStringLiteral("2")});
        QVERIFY2(a.ok() && b.ok(), qPrintable(a.errorMessage() + b.errorMessage()));
        QVERIFY(b.value() > a.value());
        const QString upsert = store->dialect().upsert(QStringLiteral("items"),
                                                       {QStringLiteral("k"), QStringLiteral("v")},
                                                       {QStringLiteral("k")});
        exec(*store, upsert, {QStringLiteral("a"), QStringLiteral("changed")});
        exec(*store, upsert, {QStringLiteral("c"), QStringLiteral("3")});
        auto rows = execSql(store->db(), QStringLiteral("SELECT k, v FROM items ORDER BY k"));
        QVERIFY(rows.ok());
        QStringList seen;
        while (rows.value().next())
            seen << rows.value().value(0).toString() + QLatin1Char('=') +
                        rows.value().value(1).toString();
        QCOMPARE(seen, (QStringList{"a=changed", "b=2", "c=3"}));
    }

    // Read, then write what was read, from two threads at once: the dialect's
    // write transaction and row lock make every increment count.
    void concurrentReadThenWriteLosesNothing_data() { statements_data(); }
    void concurrentReadThenWriteLosesNothing()
    {
        QFETCH(QString, backend);
        auto store = open(backend);
        exec(*store, QStringLiteral("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"));
        exec(*store, QStringLiteral("INSERT INTO counter VALUES (1, 0)"));
        constexpr int kEach = 40;
        std::atomic<int> failures{0};
        auto writer = [&] {
            for (int i = 0; i < kEach; ++i) {
                Transaction tx(store->db());
                auto r = execSql(store->db(), QStringLiteral("SELECT n FROM counter WHERE id = 1") +
                                                  store->dialect().lockForUpdate());
                if (!tx.active() || !r || !r.value().next()) {
                    ++failures;
                    continue;
                }
                const int n = r.value().value(0).toInt();
                r.value().finish();
                if (!execSql(store->db(), QStringLiteral("UPDATE counter SET n = ? WHERE id = 1"),
                             {n + 1}) ||
                    !tx.commit())
                    ++failures;
            }
        };
        std::unique_ptr<QThread> t1(QThread::create(writer));
        std::unique_ptr<QThread> t2(QThread::create(writer));
        t1->start();
        t2->start();
        QVERIFY(t1->wait(60000) && t2->wait(60000));
        QCOMPARE(failures.load(), 0);
        auto n = execSql(store->db(), QStringLiteral("SELECT n FROM counter WHERE id = 1"));
        QVERIFY(n.ok() && n.value().next());
        QCOMPARE(n.value().value(0).toInt(), 2 * kEach);
    }

    // Every schema step on both backends; a second open changes nothing, and
    // two processes' first opens at once (here: two threads, two
    // connections) migrate one after the other instead of failing.
    void migrationsRunOnBothBackends_data() { statements_data(); }
    void migrationsRunOnBothBackends()
    {
        QFETCH(QString, backend);
        const StoreConfig config = freshConfig(backend);
        std::atomic<int> failures{0};
        auto opener = [&] {
            auto s = Store::open(config);
            if (!s) {
                qWarning("open: %s", qPrintable(s.errorMessage()));
                ++failures;
            }
        };
        std::unique_ptr<QThread> t1(QThread::create(opener));
        std::unique_ptr<QThread> t2(QThread::create(opener));
        t1->start();
        t2->start();
        QVERIFY(t1->wait(60000) && t2->wait(60000));
        QCOMPARE(failures.load(), 0);
        auto store = Store::open(config);
        QVERIFY2(store.ok(), qPrintable(store.errorMessage()));
        auto applied =
            execSql(store.value()->db(),
                    QStringLiteral("SELECT COUNT(*), MAX(version) FROM schema_migrations"));
        QVERIFY(applied.ok() && applied.value().next());
        QCOMPARE(applied.value().value(0).toInt(), Migrator::latestVersion());
        QCOMPARE(applied.value().value(1).toInt(), Migrator::latestVersion());
        // The counters the triggers keep, on this backend's trigger language.
        for (const QString& sql :
             {QStringLiteral("INSERT INTO organizations(name, slug, created_at, updated_at) "
                             "VALUES ('o', 'o', 0, 0)"),
              QStringLiteral("INSERT INTO tenants(organization_id, name, slug, tier, created_at, "
                             "updated_at) VALUES (1, 't', 't', 'starter', 0, 0)"),
              QStringLiteral("INSERT INTO sites(tenant_id, domain, site_type, status, "
                             "storage_used_mb, created_at, updated_at) "
                             "VALUES (1, 'a.example', 'html', 'active', 7, 0, 0)"),
              QStringLiteral("INSERT INTO sites(tenant_id, domain, site_type, status, "
                             "storage_used_mb, created_at, updated_at) "
                             "VALUES (1, 'b.example', 'php', 'active', 5, 0, 0)"),
              QStringLiteral("UPDATE sites SET status = 'disabled' WHERE domain = 'a.example'"),
              QStringLiteral("DELETE FROM sites WHERE domain = 'b.example'")})
            exec(*store.value(), sql);
        auto counts =
            execSql(store.value()->db(),
                    QStringLiteral("SELECT t.site_count, t.storage_used_mb, "
                                   "(SELECT n FROM site_status_counts WHERE status = 'disabled'), "
                                   "(SELECT n FROM site_status_counts WHERE status = 'active') "
                                   "FROM tenants t"));
        QVERIFY(counts.ok() && counts.value().next());
        QCOMPARE(counts.value().value(0).toInt(), 1);
        QCOMPARE(counts.value().value(1).toInt(), 7);
        QCOMPARE(counts.value().value(2).toInt(), 1);
        QCOMPARE(counts.value().value(3).toInt(), 0);
    }
};

QTEST_GUILESS_MAIN(TestDialect)
#include "tst_dialect.moc"
