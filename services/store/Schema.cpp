#include "store/Schema.h"

namespace chom {
namespace {

Migration v1Inventory()
{
    return {
        1,
        QStringLiteral("inventory tables"),
        {
            QStringLiteral(R"(CREATE TABLE organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    billing_email TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL))"),
            QStringLiteral(R"(CREATE TABLE tier_limits (
    tier TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    max_sites INTEGER NOT NULL,
    max_storage_gb INTEGER NOT NULL,
    max_bandwidth_gb INTEGER NOT NULL,
    backup_retention_days INTEGER NOT NULL,
    support_level TEXT NOT NULL,
    api_rate_limit_per_hour INTEGER NOT NULL DEFAULT -1,
    price_monthly_cents INTEGER NOT NULL DEFAULT 0,
    is_active INTEGER NOT NULL DEFAULT 1))"),
            QStringLiteral("INSERT INTO tier_limits(tier, name, max_sites, max_storage_gb, "
                           "max_bandwidth_gb, backup_retention_days, support_level, "
                           "api_rate_limit_per_hour, price_monthly_cents) VALUES "
                           "('starter', 'Starter', 5, 10, 100, 7, 'community', 1000, 2900),"
                           "('pro', 'Pro', 25, 100, 500, 30, 'priority', 5000, 7900),"
                           "('enterprise', 'Enterprise', -1, -1, -1, 90, 'dedicated', -1, 24900)"),
            QStringLiteral(R"(CREATE TABLE tenants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    tier TEXT NOT NULL REFERENCES tier_limits(tier) ON DELETE RESTRICT ON UPDATE CASCADE,
    status TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active','suspended','cancelled')),
    site_count INTEGER NOT NULL DEFAULT 0,
    storage_used_mb INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (organization_id, slug)))"),
            QStringLiteral(R"(CREATE TABLE vps_servers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hostname TEXT NOT NULL UNIQUE,
    ip_address TEXT NOT NULL,
    ssh_port INTEGER NOT NULL DEFAULT 22 CHECK (ssh_port BETWEEN 1 AND 65535),
    ssh_user TEXT NOT NULL DEFAULT 'root',
    provider TEXT NOT NULL DEFAULT 'custom',
    region TEXT NOT NULL DEFAULT '',
    spec_cpu INTEGER NOT NULL DEFAULT 1,
    spec_memory_mb INTEGER NOT NULL DEFAULT 1024,
    spec_disk_gb INTEGER NOT NULL DEFAULT 25,
    status TEXT NOT NULL DEFAULT 'provisioning'
        CHECK (status IN ('provisioning','active','maintenance','failed','decommissioned')),
    health_status TEXT NOT NULL DEFAULT 'unknown'
        CHECK (health_status IN ('unknown','healthy','degraded','unhealthy')),
    health_error TEXT NOT NULL DEFAULT '',
    last_health_check_at INTEGER NOT NULL DEFAULT 0,
    agent_version TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL))"),
            QStringLiteral(R"(CREATE TABLE sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE RESTRICT,
    vps_id INTEGER REFERENCES vps_servers(id) ON DELETE RESTRICT,
    domain TEXT NOT NULL UNIQUE,
    site_type TEXT NOT NULL CHECK (site_type IN ('wordpress','html','php','laravel')),
    php_version TEXT NOT NULL DEFAULT '8.2',
    status TEXT NOT NULL DEFAULT 'creating'
        CHECK (status IN ('creating','active','disabled','failed','deleting','restoring','orphaned')),
    ssl_enabled INTEGER NOT NULL DEFAULT 0,
    ssl_expires_at INTEGER NOT NULL DEFAULT 0,
    document_root TEXT NOT NULL DEFAULT '',
    db_name TEXT NOT NULL DEFAULT '',
    db_user TEXT NOT NULL DEFAULT '',
    storage_used_mb INTEGER NOT NULL DEFAULT 0,
    failure_reason TEXT NOT NULL DEFAULT '',
    provision_attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL))"),
            QStringLiteral(R"(CREATE TABLE site_backups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    backup_type TEXT NOT NULL DEFAULT 'full'
        CHECK (backup_type IN ('full','files','database','config')),
    storage_path TEXT NOT NULL DEFAULT '',
    size_bytes INTEGER NOT NULL DEFAULT 0,
    checksum TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    retention_days INTEGER NOT NULL DEFAULT 30,
    expires_at INTEGER NOT NULL DEFAULT 0,
    error_message TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    completed_at INTEGER NOT NULL DEFAULT 0))"),
            QStringLiteral(R"(CREATE TABLE operations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    correlation_id TEXT NOT NULL,
    parent_id INTEGER REFERENCES operations(id) ON DELETE CASCADE,
    tenant_id INTEGER,
    operation_type TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    priority INTEGER NOT NULL DEFAULT 0,
    progress REAL NOT NULL DEFAULT 0,
    input_json TEXT NOT NULL DEFAULT '{}',
    output_json TEXT NOT NULL DEFAULT '{}',
    error_message TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL DEFAULT 0,
    completed_at INTEGER NOT NULL DEFAULT 0))"),
        }};
}

Migration v2Audit()
{
    return {
        2,
        QStringLiteral("audit log and store metadata"),
        {
            QStringLiteral(R"(CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL))"),
            QStringLiteral("CREATE INDEX audit_log_action ON audit_log(action)"),
            QStringLiteral("CREATE TABLE store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        }};
}

// Aggregates the dashboard reads instead of scanning sites, kept exact by
// triggers (every writer, including bulk imports, goes through them).
QStringList siteCounterTriggers()
{
    return {
        QStringLiteral(R"(CREATE TRIGGER sites_counters_ai AFTER INSERT ON sites BEGIN
    UPDATE tenants SET site_count = site_count + 1,
        storage_used_mb = storage_used_mb + NEW.storage_used_mb WHERE id = NEW.tenant_id;
    INSERT INTO site_status_counts(tenant_id, status, n) VALUES (NEW.tenant_id, NEW.status, 1)
        ON CONFLICT(tenant_id, status) DO UPDATE SET n = n + 1;
END)"),
        QStringLiteral(R"(CREATE TRIGGER sites_counters_ad AFTER DELETE ON sites BEGIN
    UPDATE tenants SET site_count = site_count - 1,
        storage_used_mb = storage_used_mb - OLD.storage_used_mb WHERE id = OLD.tenant_id;
    UPDATE site_status_counts SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND status = OLD.status;
END)"),
        QStringLiteral(R"(CREATE TRIGGER sites_counters_au
AFTER UPDATE OF tenant_id, status, storage_used_mb ON sites BEGIN
    UPDATE tenants SET site_count = site_count - 1,
        storage_used_mb = storage_used_mb - OLD.storage_used_mb WHERE id = OLD.tenant_id;
    UPDATE site_status_counts SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND status = OLD.status;
    UPDATE tenants SET site_count = site_count + 1,
        storage_used_mb = storage_used_mb + NEW.storage_used_mb WHERE id = NEW.tenant_id;
    INSERT INTO site_status_counts(tenant_id, status, n) VALUES (NEW.tenant_id, NEW.status, 1)
        ON CONFLICT(tenant_id, status) DO UPDATE SET n = n + 1;
END)"),
    };
}

// The same counters in PL/pgSQL: one row function for the three events.
QStringList siteCounterTriggersPostgres()
{
    return {
        QStringLiteral(R"(CREATE FUNCTION sites_counters() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE tenants SET site_count = site_count - 1,
            storage_used_mb = storage_used_mb - OLD.storage_used_mb WHERE id = OLD.tenant_id;
        UPDATE site_status_counts SET n = n - 1
            WHERE tenant_id = OLD.tenant_id AND status = OLD.status;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE tenants SET site_count = site_count + 1,
            storage_used_mb = storage_used_mb + NEW.storage_used_mb WHERE id = NEW.tenant_id;
        INSERT INTO site_status_counts(tenant_id, status, n) VALUES (NEW.tenant_id, NEW.status, 1)
            ON CONFLICT (tenant_id, status) DO UPDATE SET n = site_status_counts.n + 1;
    END IF;
    RETURN NULL;
END
$fn$)"),
        QStringLiteral("CREATE TRIGGER sites_counters_aid AFTER INSERT OR DELETE ON sites "
                       "FOR EACH ROW EXECUTE FUNCTION sites_counters()"),
        QStringLiteral("CREATE TRIGGER sites_counters_au "
                       "AFTER UPDATE OF tenant_id, status, storage_used_mb ON sites "
                       "FOR EACH ROW EXECUTE FUNCTION sites_counters()"),
    };
}

Migration v3Indexes()
{
    QStringList sql{
        QStringLiteral(R"(CREATE TABLE site_status_counts (
    tenant_id INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, status)))"),
        // Backfill from whatever an earlier version stored.
        QStringLiteral("INSERT INTO site_status_counts(tenant_id, status, n) "
                       "SELECT tenant_id, status, COUNT(*) FROM sites GROUP BY tenant_id, status"),
        QStringLiteral(
            "UPDATE tenants SET "
            "site_count = (SELECT COUNT(*) FROM sites s WHERE s.tenant_id = tenants.id), "
            "storage_used_mb = (SELECT COALESCE(SUM(storage_used_mb), 0) FROM sites s "
            "WHERE s.tenant_id = tenants.id)"),
        // Indexes named by the performance review (§1.2, §2), plus the ones
        // the dashboard and the foreign keys need.
        QStringLiteral("CREATE INDEX sites_tenant_status ON sites(tenant_id, status)"),
        QStringLiteral("CREATE INDEX sites_tenant_created ON sites(tenant_id, created_at)"),
        QStringLiteral("CREATE INDEX sites_vps ON sites(vps_id)"),
        QStringLiteral(
            "CREATE INDEX sites_ssl_expiry ON sites(ssl_expires_at) WHERE ssl_enabled = 1"),
        QStringLiteral("CREATE INDEX sites_tenant_ssl_expiry ON sites(tenant_id, ssl_expires_at) "
                       "WHERE ssl_enabled = 1"),
        QStringLiteral(
            "CREATE INDEX site_backups_site_created ON site_backups(site_id, created_at)"),
        QStringLiteral("CREATE INDEX operations_status_priority_created "
                       "ON operations(status, priority, created_at)"),
        QStringLiteral("CREATE INDEX operations_created ON operations(created_at)"),
        QStringLiteral("CREATE INDEX operations_correlation ON operations(correlation_id)"),
        QStringLiteral("CREATE INDEX tenants_org ON tenants(organization_id)"),
    };
    return {3, QStringLiteral("maintained aggregates and indexes"), sql, siteCounterTriggers(),
            siteCounterTriggersPostgres()};
}

Migration v4Fleet()
{
    return {4,
            QStringLiteral("fleet: known host keys"),
            {
                QStringLiteral(R"(CREATE TABLE known_hosts (
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    key_type TEXT NOT NULL,
    key_base64 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    trusted_at INTEGER NOT NULL,
    trusted_by TEXT NOT NULL,
    PRIMARY KEY (host, port)))"),
            }};
}

// Which process runs an operation ("host:pid"), so recovery after a crash
// marks only the dead process's work, never a live console's or chomctl's.
Migration v5OperationOwner()
{
    return {5,
            QStringLiteral("operations: owning process"),
            {QStringLiteral("ALTER TABLE operations ADD COLUMN owner TEXT NOT NULL DEFAULT ''")}};
}

// Cross-process cancel: `chomctl ops cancel` (or any process) stamps the
// request; the runner that owns the operation polls it by primary key.
Migration v6OperationCancelRequest()
{
    return {6,
            QStringLiteral("operations: cancel requests from other processes"),
            {QStringLiteral("ALTER TABLE operations ADD COLUMN cancel_requested_at INTEGER NULL")}};
}

// Metrics cache: the last range-query results, so a restarted
// console paints its charts at once and revalidates in the background.
// body = the encoded series; bytes = length(body), summed for pruning.
Migration v7MetricsCache()
{
    return {
        7,
        QStringLiteral("metrics: persisted range-query cache"),
        {
            QStringLiteral(R"(CREATE TABLE metrics_cache (
    key TEXT PRIMARY KEY,
    promql TEXT NOT NULL,
    start_s INTEGER NOT NULL,
    end_s INTEGER NOT NULL,
    step_s INTEGER NOT NULL,
    fetched_at_ms INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    body BLOB NOT NULL))"),
            QStringLiteral("CREATE INDEX metrics_cache_fetched ON metrics_cache(fetched_at_ms)"),
        }};
}

// Changes made by one process, for the others on the same store: each local
// change notification appends a row (origin = the writing Core), and every
// console's ExternalChangeSource reads the rows of other origins when
// PRAGMA data_version says another connection committed. Pruned after 10 min.
Migration v8ChangeLog()
{
    return {8,
            QStringLiteral("change log for other processes on the same store"),
            {QStringLiteral(R"(CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    entity TEXT NOT NULL,
    ids TEXT NOT NULL,
    at INTEGER NOT NULL))")}};
}

// When a site's certificate was issued (its notBefore): with the expiry it
// gives the lifetime, so renewal can start when a third of it remains.
Migration v9SslIssuedAt()
{
    return {
        9,
        QStringLiteral("certificate issue time of a site"),
        {QStringLiteral("ALTER TABLE sites ADD COLUMN ssl_issued_at INTEGER NOT NULL DEFAULT 0")}};
}

// Backups on restic: the host whose repository holds one, the console's id
// tagged on its snapshot, the snapshot and when its data was last verified.
Migration v10ResticBackups()
{
    return {
        10,
        QStringLiteral("backups on restic"),
        {QStringLiteral("ALTER TABLE site_backups ADD COLUMN vps_id INTEGER NOT NULL DEFAULT 0"),
         QStringLiteral("ALTER TABLE site_backups ADD COLUMN backup_uid TEXT NOT NULL DEFAULT ''"),
         QStringLiteral("ALTER TABLE site_backups ADD COLUMN snapshot_id TEXT NOT NULL DEFAULT ''"),
         QStringLiteral(
             "ALTER TABLE site_backups ADD COLUMN verified_at INTEGER NOT NULL DEFAULT 0"),
         QStringLiteral("CREATE INDEX site_backups_uid ON site_backups(backup_uid)")}};
}

} // namespace

QVector<Migration> schemaMigrations()
{
    return {v1Inventory(),     v2Audit(),          v3Indexes(),
            v4Fleet(),         v5OperationOwner(), v6OperationCancelRequest(),
            v7MetricsCache(),  v8ChangeLog(),      v9SslIssuedAt(),
            v10ResticBackups()};
}

} // namespace chom
