#pragma once

#include <QHash>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include <cstdint>
#include <optional>

// Domain types shared by the store, the models, the CLI and the GUI.
// Timestamps are Unix seconds (UTC); 0 means "not set".
namespace chom {

using Id = qint64;

enum class TenantStatus : uint8_t
{
    Active,
    Suspended,
    Cancelled
};
enum class SiteStatus : uint8_t
{
    Creating,
    Active,
    Disabled,
    Failed,
    Deleting,
    Restoring,
    Orphaned
};
enum class SiteType : uint8_t
{
    WordPress,
    Html,
    Php,
    Laravel
};
enum class VpsStatus : uint8_t
{
    Provisioning,
    Active,
    Maintenance,
    Failed,
    Decommissioned
};
enum class VpsHealth : uint8_t
{
    Unknown,
    Healthy,
    Degraded,
    Unhealthy
};
enum class OperationStatus : uint8_t
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
    Interrupted
};

// Stable string forms: these are what the store, the CLI and JSON use.
QString toString(TenantStatus v);
QString toString(SiteStatus v);
QString toString(SiteType v);
QString toString(VpsStatus v);
QString toString(VpsHealth v);
QString toString(OperationStatus v);

std::optional<TenantStatus> tenantStatusFromString(const QString& s);
std::optional<SiteStatus> siteStatusFromString(const QString& s);
std::optional<SiteType> siteTypeFromString(const QString& s);
std::optional<VpsStatus> vpsStatusFromString(const QString& s);
std::optional<VpsHealth> vpsHealthFromString(const QString& s);
std::optional<OperationStatus> operationStatusFromString(const QString& s);

QStringList allSiteStatuses();
QStringList allSiteTypes();
QStringList allTenantStatuses();
QStringList allVpsStatuses();
QStringList allVpsHealths();
QStringList supportedPhpVersions();

constexpr int kUnlimited = -1;
constexpr qint64 kSslExpiringWindowSecs = 14 * 24 * 3600;

struct TierLimit
{
    QString tier; // primary key: starter | pro | enterprise | custom ones
    QString name;
    int maxSites = 5;      // -1 = unlimited
    int maxStorageGb = 10; // -1 = unlimited
    int maxBandwidthGb = 100;
    int backupRetentionDays = 7;
    QString supportLevel;
    int priceMonthlyCents = 0;
};

struct Organization
{
    Id id = 0;
    QString name;
    QString slug;
    QString billingEmail;
    qint64 createdAt = 0;
};

struct Tenant
{
    Id id = 0;
    Id organizationId = 0;
    QString organizationName; // read-only, joined
    QString name;
    QString slug;
    QString tier = QStringLiteral("starter");
    TenantStatus status = TenantStatus::Active;
    int siteCount = 0;        // maintained by the store
    qint64 storageUsedMb = 0; // maintained by the store
    int maxSites = 5;         // from the tier, read-only
    int maxStorageGb = 10;    // from the tier, read-only
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
};

struct Vps
{
    Id id = 0;
    QString hostname;
    QString ipAddress;
    int sshPort = 22;
    QString sshUser = QStringLiteral("root");
    QString provider = QStringLiteral("custom");
    QString region;
    int specCpu = 1;
    int specMemoryMb = 1024;
    int specDiskGb = 25;
    VpsStatus status = VpsStatus::Provisioning;
    VpsHealth health = VpsHealth::Unknown;
    QString healthError;
    qint64 lastHealthCheckAt = 0;
    QString agentVersion;
    int siteCount = 0; // read-only, computed
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
};

struct Site
{
    Id id = 0;
    Id tenantId = 0;
    Id vpsId = 0; // 0 = not placed
    QString domain;
    SiteType type = SiteType::WordPress;
    QString phpVersion = QStringLiteral("8.2");
    SiteStatus status = SiteStatus::Creating;
    bool sslEnabled = false;
    qint64 sslExpiresAt = 0;
    qint64 sslIssuedAt = 0; // the certificate's notBefore; 0 = not known
    QString documentRoot;
    QString dbName;
    QString dbUser;
    qint64 storageUsedMb = 0;
    QString failureReason;
    int provisionAttempts = 0;
    qint64 createdAt = 0;
    qint64 updatedAt = 0;
};

struct SiteBackup
{
    Id id = 0;
    Id siteId = 0;
    QString domain; // joined
    QString backupType = QStringLiteral("full");
    QString storagePath;
    qint64 sizeBytes = 0;
    QString checksum;
    QString status = QStringLiteral("completed");
    int retentionDays = 30;
    qint64 expiresAt = 0;
    qint64 createdAt = 0;
    // Backups on restic: where and what, as the agent reported it.
    Id vpsId = 0;       // the host whose repository holds it
    QString backupUid;  // the console's id, tagged on the snapshot (backup=...)
    QString snapshotId; // restic's snapshot id; empty until it exists
    QString error;      // why it failed, in the agent's words
    qint64 completedAt = 0;
    qint64 verifiedAt = 0; // the last restic check that read its data
};

struct Operation
{
    Id id = 0;
    QString correlationId;
    Id tenantId = 0;
    QString type; // e.g. site.create, vps.bootstrap
    QString targetType;
    Id targetId = 0;
    OperationStatus status = OperationStatus::Pending;
    int priority = 0;
    double progress = 0.0; // 0..1
    QString inputJson;
    QString outputJson;
    QString error;
    qint64 createdAt = 0;
    qint64 startedAt = 0;
    qint64 completedAt = 0;
};

struct AuditEntry
{
    Id id = 0;
    qint64 createdAt = 0;
    QString actor;
    QString action; // dotted verb: site.created
    QString targetType;
    QString targetId;
    QString details; // short before/after summary
    QString prevHash;
    QString hash;
};

struct DashboardStats
{
    Id tenantId = 0; // 0 = all tenants
    qint64 totalSites = 0;
    qint64 activeSites = 0;
    qint64 storageUsedMb = 0;
    qint64 sslExpiringSoon = 0;
    QMap<QString, qint64> sitesByStatus;
    QMap<QString, qint64> vpsByHealth;
    QVector<Operation> recentOperations;
    qint64 computedAt = 0;
    // The SSL window moves with time: the earliest moment the expiring count
    // can change without any write. Past it the cached value is recomputed.
    qint64 validUntil = 0;
};

// SSL state derived from expiry (spec: expiring = enabled, ≤ 14 days away).
enum class SslState : uint8_t
{
    None,
    Valid,
    Expiring,
    Expired
};
SslState sslState(bool enabled, qint64 expiresAt, qint64 now);
QString toString(SslState s);

} // namespace chom

Q_DECLARE_METATYPE(chom::DashboardStats)
