#include "store/DemoData.h"

#include "Domain.h"
#include "store/AuditLog.h"
#include "store/Sql.h"
#include "store/Store.h"
#include "store/StoreMeta.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <iterator>

namespace chom {
namespace {

const char* const kWords[] = {"alpine", "amber",   "atlas", "blue",   "cedar",  "coral",
                              "delta",  "ember",   "fable", "forge",  "golden", "harbor",
                              "indigo", "juniper", "kite",  "lumen",  "maple",  "nova",
                              "oak",    "orbit",   "pixel", "quartz", "river",  "sage",
                              "summit", "tidal",   "urban", "velvet", "willow", "zephyr"};
const char* const kNouns[] = {"bakery", "studio",  "garage", "clinic", "travel", "books", "coffee",
                              "design", "fitness", "garden", "law",    "media",  "music", "photo",
                              "shop",   "tech",    "yoga",   "dental", "pets",   "wine"};
const char* const kTlds[] = {"com", "net", "org", "io", "dev", "shop", "fr", "de", "co", "app"};
const char* const kProviders[] = {"hetzner", "digitalocean", "vultr", "linode", "custom"};
const char* const kRegions[] = {"fsn1", "nbg1", "hel1", "ams3", "fra1", "lon1", "nyc3", "sfo3"};

template <typename T, size_t N> const char* pick(QRandomGenerator& rng, const T (&arr)[N])
{
    return arr[rng.bounded(int(N))];
}

// The id an INSERT ... RETURNING id just gave (both backends; no
// driver-specific lastInsertId()).
qint64 returnedId(QSqlQuery& q)
{
    return q.next() ? q.value(0).toLongLong() : 0;
}

struct Ctx
{
    QSqlDatabase db;
    QRandomGenerator rng;
    qint64 now;
};

Status fail(const QSqlQuery& q, const char* what)
{
    return makeError(
        QStringLiteral("store"),
        QStringLiteral("Demo data (%1) failed: %2").arg(QLatin1String(what), q.lastError().text()));
}

Status insertVps(Ctx& c, int count, QVector<qint64>& usable)
{
    QSqlQuery q(c.db);
    q.prepare(QStringLiteral(
        "INSERT INTO vps_servers(hostname, ip_address, ssh_port, ssh_user, provider, "
        "region, spec_cpu, spec_memory_mb, spec_disk_gb, status, health_status, "
        "health_error, last_health_check_at, agent_version, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id"));
    const QStringList statuses = allVpsStatuses();
    const QStringList healths = allVpsHealths();
    for (int i = 0; i < count; ++i) {
        // First rows cover every status and health; the rest are mostly healthy and active.
        const QString status =
            i < statuses.size()
                ? statuses[i]
                : (c.rng.bounded(10) < 8 ? QStringLiteral("active")
                                         : statuses[c.rng.bounded(statuses.size())]);
        const QString health =
            i < healths.size() ? healths[i]
                               : (c.rng.bounded(10) < 7 ? QStringLiteral("healthy")
                                                        : healths[c.rng.bounded(healths.size())]);
        const int cpu = 1 << c.rng.bounded(5);
        q.addBindValue(QStringLiteral("web-%1.%2.chom.example")
                           .arg(i + 1, 3, 10, QLatin1Char('0'))
                           .arg(QLatin1String(pick(c.rng, kRegions))));
        // Loopback addresses: a sweep or test started on demo data by mistake
        // must never send traffic off this machine.
        q.addBindValue(QStringLiteral("127.%1.%2.%3")
                           .arg(1 + i / 65025 % 250)
                           .arg(i / 255 % 255)
                           .arg(i % 255 + 1));
        q.addBindValue(c.rng.bounded(5) == 0 ? 2222 : 22);
        q.addBindValue(QStringLiteral("chom"));
        q.addBindValue(QLatin1String(pick(c.rng, kProviders)));
        q.addBindValue(QLatin1String(pick(c.rng, kRegions)));
        q.addBindValue(cpu);
        q.addBindValue(cpu * 2048);
        q.addBindValue(cpu * 40);
        q.addBindValue(status);
        q.addBindValue(health);
        q.addBindValue(health == QLatin1String("unhealthy")  ? QStringLiteral("disk 96% full on /")
                       : health == QLatin1String("degraded") ? QStringLiteral("load 5.2 > 4 CPUs")
                                                             : QStringLiteral(""));
        q.addBindValue(health == QLatin1String("unknown") ? 0 : c.now - c.rng.bounded(3600));
        q.addBindValue(status == QLatin1String("provisioning") ? QStringLiteral("")
                                                               : QStringLiteral("1.1.0"));
        q.addBindValue(c.now - 86400 * (30 + c.rng.bounded(700)));
        q.addBindValue(c.now);
        if (!q.exec())
            return fail(q, "vps");
        if (status != QLatin1String("decommissioned"))
            usable << returnedId(q);
    }
    return okStatus();
}

struct TenantPlan
{
    qint64 id;
    int capacity; // sites this tenant may still take
    bool active;
    QString status;
};

Status insertTenants(Ctx& c, int count, QVector<TenantPlan>& plans, int& orgs)
{
    QSqlQuery org(c.db), ten(c.db);
    org.prepare(QStringLiteral("INSERT INTO organizations(name, slug, billing_email, created_at, "
                               "updated_at) VALUES (?,?,?,?,?) RETURNING id"));
    ten.prepare(QStringLiteral("INSERT INTO tenants(organization_id, name, slug, tier, status, "
                               "created_at, updated_at) VALUES (?,?,?,?,?,?,?) RETURNING id"));
    qint64 orgId = 0;
    for (int i = 0; i < count; ++i) {
        if (i % 2 == 0) {
            const QString name =
                QStringLiteral("%1 %2 %3")
                    .arg(QLatin1String(pick(c.rng, kWords)), QLatin1String(pick(c.rng, kNouns)))
                    .arg(i / 2 + 1);
            org.addBindValue(name);
            org.addBindValue(QStringLiteral("org-%1").arg(i / 2 + 1));
            org.addBindValue(QStringLiteral("billing%1@example.com").arg(i / 2 + 1));
            org.addBindValue(c.now - 86400 * 400);
            org.addBindValue(c.now);
            if (!org.exec())
                return fail(org, "organizations");
            orgId = returnedId(org);
            ++orgs;
        }
        const int slot = i % 10;
        const QString tier = slot < 3   ? QStringLiteral("starter")
                             : slot < 6 ? QStringLiteral("pro")
                                        : QStringLiteral("enterprise");
        const QString status = i % 20 == 7    ? QStringLiteral("suspended")
                               : i % 50 == 13 ? QStringLiteral("cancelled")
                                              : QStringLiteral("active");
        ten.addBindValue(orgId);
        QString word = QLatin1String(pick(c.rng, kWords));
        word[0] = word[0].toUpper();
        ten.addBindValue(
            QStringLiteral("%1 %2 #%3").arg(word, QLatin1String(pick(c.rng, kNouns))).arg(i + 1));
        ten.addBindValue(QStringLiteral("tenant-%1").arg(i + 1));
        ten.addBindValue(tier);
        ten.addBindValue(status);
        ten.addBindValue(c.now - 86400 * (10 + c.rng.bounded(300)));
        ten.addBindValue(c.now);
        if (!ten.exec())
            return fail(ten, "tenants");
        const int cap = tier == QLatin1String("starter") ? 1 + c.rng.bounded(5)
                        : tier == QLatin1String("pro")   ? 5 + c.rng.bounded(21)
                                                         : 1 << 30;
        plans << TenantPlan{returnedId(ten), cap, status == QLatin1String("active"), status};
    }
    return okStatus();
}

QString siteStatusFor(Ctx& c, const TenantPlan& t)
{
    if (!t.active)
        return c.rng.bounded(10) == 0 ? QStringLiteral("failed") : QStringLiteral("disabled");
    const int r = c.rng.bounded(100);
    if (r < 80)
        return QStringLiteral("active");
    if (r < 85)
        return QStringLiteral("disabled");
    if (r < 88)
        return QStringLiteral("creating");
    if (r < 92)
        return QStringLiteral("failed");
    if (r < 94)
        return QStringLiteral("deleting");
    if (r < 97)
        return QStringLiteral("restoring");
    return QStringLiteral("orphaned");
}

Status insertSites(Ctx& c, int count, QVector<TenantPlan>& plans, const QVector<qint64>& vps,
                   QVector<qint64>& siteIds)
{
    QSqlQuery q(c.db);
    q.prepare(QStringLiteral(
        "INSERT INTO sites(tenant_id, vps_id, domain, site_type, php_version, status, "
        "ssl_enabled, ssl_expires_at, document_root, db_name, db_user, storage_used_mb, "
        "failure_reason, provision_attempts, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id"));
    const QStringList types = allSiteTypes();
    const QStringList php = supportedPhpVersions();
    int t = 0;
    for (int i = 0; i < count; ++i) {
        while (plans[t % plans.size()].capacity <= 0)
            ++t;
        TenantPlan& plan = plans[t % plans.size()];
        --plan.capacity;
        ++t;
        const QString domain =
            QStringLiteral("%1-%2%3.%4")
                .arg(QLatin1String(pick(c.rng, kWords)), QLatin1String(pick(c.rng, kNouns)))
                .arg(i + 1)
                .arg(QLatin1String(pick(c.rng, kTlds)));
        const QString status = siteStatusFor(c, plan);
        const QString type = i < types.size()
                                 ? types[i]
                                 : (c.rng.bounded(10) < 6 ? QStringLiteral("wordpress")
                                                          : types[c.rng.bounded(types.size())]);
        const bool ssl = c.rng.bounded(100) < 85;
        QString dbName = QStringLiteral("site_") + QString(domain)
                                                       .replace(QLatin1Char('.'), QLatin1Char('_'))
                                                       .replace(QLatin1Char('-'), QLatin1Char('_'));
        dbName = dbName.left(32);
        q.addBindValue(plan.id);
        q.addBindValue(vps[c.rng.bounded(vps.size())]);
        q.addBindValue(domain);
        q.addBindValue(type);
        q.addBindValue(php[c.rng.bounded(php.size())]);
        q.addBindValue(status);
        q.addBindValue(ssl ? 1 : 0);
        q.addBindValue(ssl ? c.now + qint64(c.rng.bounded(95 * 24)) * 3600 - 5 * 86400 : 0);
        q.addBindValue(QStringLiteral("/var/www/sites/%1/public").arg(domain));
        q.addBindValue(type == QLatin1String("html") ? QStringLiteral("") : dbName);
        q.addBindValue(type == QLatin1String("html") ? QStringLiteral("") : dbName);
        q.addBindValue(50 + c.rng.bounded(1500));
        q.addBindValue(status == QLatin1String("failed")
                           ? QStringLiteral("nginx -t failed: duplicate listen options")
                           : QStringLiteral(""));
        q.addBindValue(status == QLatin1String("failed") ? 3 : 1);
        q.addBindValue(c.now - 86400 * c.rng.bounded(365) - c.rng.bounded(86400));
        q.addBindValue(c.now);
        if (!q.exec())
            return fail(q, "sites");
        siteIds << returnedId(q);
    }
    return okStatus();
}

Status insertBackupsAndOps(Ctx& c, const QVector<qint64>& sites, const QVector<qint64>& vps,
                           DemoSummary& sum)
{
    QSqlQuery b(c.db);
    b.prepare(QStringLiteral("INSERT INTO site_backups(site_id, backup_type, storage_path, "
                             "size_bytes, checksum, status, retention_days, expires_at, "
                             "created_at, completed_at) VALUES (?,?,?,?,?,?,?,?,?,?)"));
    const int backups = qMin(20000, qMax(10, sites.size() / 5));
    const char* const types[] = {"full", "files", "database"};
    for (int i = 0; i < backups; ++i) {
        const qint64 created = c.now - qint64(c.rng.bounded(30 * 24)) * 3600;
        const int retention = 7 + 23 * c.rng.bounded(2);
        b.addBindValue(sites[c.rng.bounded(sites.size())]);
        b.addBindValue(QLatin1String(pick(c.rng, types)));
        b.addBindValue(QStringLiteral("/var/backups/sites/%1.tar.zst").arg(i));
        b.addBindValue(qint64(1 + c.rng.bounded(2000)) * 1024 * 1024);
        b.addBindValue(QString::number(c.rng.generate64(), 16).repeated(4).left(64));
        b.addBindValue(i % 25 == 0 ? QStringLiteral("failed") : QStringLiteral("completed"));
        b.addBindValue(retention);
        b.addBindValue(created + retention * 86400);
        b.addBindValue(created);
        b.addBindValue(created + 60);
        if (!b.exec())
            return fail(b, "backups");
        ++sum.backups;
    }
    QSqlQuery o(c.db);
    o.prepare(QStringLiteral("INSERT INTO operations(correlation_id, operation_type, target_type, "
                             "target_id, status, priority, progress, created_at, started_at, "
                             "completed_at, error_message) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    struct OpKind
    {
        const char* type;
        bool onVps;
        const char* failure;
    };
    const OpKind kinds[] = {
        {"site.create", false, "nginx -t failed: duplicate listen options"},
        {"ssl.issue", false, "certbot: too many certificates already issued"},
        {"ssl.renew", false, "certbot: DNS problem: NXDOMAIN looking up A"},
        {"backup.create", false, "mysqldump: Got error 2013: Lost connection"},
        {"vps.bootstrap", true, "connection timed out after 10 s"},
        {"vps.health_sweep", true, "2 of 12 hosts unreachable"},
    };
    // Finished states only: no process owns a demo operation, so a running
    // or pending one would greet a new store with "interrupted by the last
    // shutdown" (OperationRunner::recoverInterrupted).
    const QStringList opStatus = {QStringLiteral("completed"),   QStringLiteral("completed"),
                                  QStringLiteral("completed"),   QStringLiteral("failed"),
                                  QStringLiteral("interrupted"), QStringLiteral("completed"),
                                  QStringLiteral("cancelled")};
    for (int i = 0; i < 60; ++i) {
        const QString st = opStatus[i % opStatus.size()];
        const qint64 created = c.now - qint64(60 - i) * 600;
        const OpKind& kind = kinds[c.rng.bounded(int(std::size(kinds)))];
        o.addBindValue(QUuid::createUuid().toString(QUuid::WithoutBraces));
        o.addBindValue(QLatin1String(kind.type));
        o.addBindValue(kind.onVps ? QStringLiteral("vps") : QStringLiteral("site"));
        o.addBindValue(kind.onVps ? vps[c.rng.bounded(vps.size())]
                                  : sites[c.rng.bounded(sites.size())]);
        o.addBindValue(st);
        o.addBindValue(c.rng.bounded(3));
        o.addBindValue(st == QLatin1String("completed")     ? 1.0
                       : st == QLatin1String("interrupted") ? 0.4
                                                            : 0.0);
        o.addBindValue(created);
        o.addBindValue(created + 1);
        o.addBindValue(created + 45);
        o.addBindValue(st == QLatin1String("failed") ? QString::fromLatin1(kind.failure)
                                                     : QStringLiteral(""));
        if (!o.exec())
            return fail(o, "operations");
        ++sum.operations;
    }
    return okStatus();
}

} // namespace

Result<bool> DemoData::storeIsEmpty() const
{
    auto q =
        execSql(m_store.db(),
                QStringLiteral(
                    "SELECT (SELECT COUNT(*) FROM tenants) + (SELECT COUNT(*) FROM vps_servers)"));
    if (!q)
        return q.error();
    return q.value().next() && q.value().value(0).toLongLong() == 0;
}

Result<DemoSummary> DemoData::generate(int siteCount, quint32 seed)
{
    if (siteCount < 1 || siteCount > 1000000)
        return makeError(QStringLiteral("invalid_argument"),
                         QStringLiteral("--demo-sites must be 1–1000000."));
    auto empty = storeIsEmpty();
    if (!empty)
        return empty.error();
    if (!empty.value())
        return makeError(
            QStringLiteral("not_empty"),
            QStringLiteral("The store already holds data; demo data only fills an empty store."));
    Ctx c{m_store.db(), QRandomGenerator(seed), nowSecs()};
    Transaction tx(c.db);
    DemoSummary sum;
    QVector<qint64> vps, sites;
    QVector<TenantPlan> plans;
    sum.vps = qMax(10, siteCount / 150);
    sum.tenants = qMax(12, siteCount / 100);
    sum.sites = siteCount;
    Status st = insertVps(c, sum.vps, vps);
    if (st)
        st = insertTenants(c, sum.tenants, plans, sum.organizations);
    if (st)
        st = insertSites(c, siteCount, plans, vps, sites);
    if (st)
        st = insertBackupsAndOps(c, sites, vps, sum);
    if (st)
        st = StoreMeta(m_store).set(StoreMeta::demoKey(), QString::number(siteCount));
    if (st)
        st = AuditLog(m_store).append(QStringLiteral("demo.generated"), QStringLiteral("store"),
                                      QString(),
                                      QStringLiteral("%1 sites, %2 tenants, %3 VPS")
                                          .arg(sum.sites)
                                          .arg(sum.tenants)
                                          .arg(sum.vps));
    if (!st)
        return st.error();
    auto commit = tx.commit();
    if (!commit)
        return commit.error();
    return sum;
}

Result<DemoFill> DemoData::fillIfEmpty(int siteCount, const std::function<void()>& generating,
                                       quint32 seed)
{
    auto empty = storeIsEmpty();
    if (!empty)
        return empty.error();
    DemoFill fill;
    if (!empty.value())
        return fill;
    if (generating)
        generating();
    auto sum = generate(siteCount, seed);
    if (!sum && sum.error().code == QLatin1String("not_empty"))
        return fill; // another writer filled it meanwhile: left alone as well
    if (!sum)
        return makeError(
            sum.error().code,
            QStringLiteral("Demo data could not be generated: %1").arg(sum.errorMessage()));
    fill.seeded = true;
    fill.summary = sum.value();
    return fill;
}

} // namespace chom
