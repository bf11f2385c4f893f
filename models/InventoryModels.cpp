#include "InventoryModels.h"
#include "PlainText.h"

#include <QCoreApplication>

namespace chom {
namespace {

QString sizeText(qint64 bytes)
{
    return formatBytes(double(bytes));
}

QVariant header(const char* const* names, int count, int section, Qt::Orientation o, int role)
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= count)
        return {};
    return QCoreApplication::translate("chom::InventoryModels", names[section]);
}

} // namespace

QVariant TenantTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Tenant& t = rowAt(index.row());
    if (role == IdRole)
        return t.id;
    if (role == SortRole) {
        if (index.column() == Sites)
            return t.siteCount;
        if (index.column() == Storage)
            return t.storageUsedMb;
        if (index.column() == Created)
            return t.createdAt;
        return data(index, Qt::DisplayRole);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return t.name;
    case Organization:
        return t.organizationName;
    case Tier:
        return t.tier;
    case Status:
        return toString(t.status);
    case Sites:
        return QStringLiteral("%1 / %2")
            .arg(t.siteCount)
            .arg(t.maxSites == kUnlimited ? QStringLiteral("∞") : QString::number(t.maxSites));
    case Storage:
        return QStringLiteral("%1 / %2").arg(formatMb(t.storageUsedMb),
                                             t.maxStorageGb == kUnlimited
                                                 ? QStringLiteral("∞")
                                                 : QStringLiteral("%1 GB").arg(t.maxStorageGb));
    case Created:
        return formatDate(t.createdAt);
    default:
        return {};
    }
}

QVariant TenantTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    static const char* const names[] = {QT_TRANSLATE_NOOP("chom::InventoryModels", "Tenant"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Organization"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Tier"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Status"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Sites"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Storage"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Created")};
    return header(names, ColumnCount, section, o, role);
}

QVariant VpsTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Vps& v = rowAt(index.row());
    if (role == IdRole)
        return v.id;
    if (role == SortRole) {
        if (index.column() == Sites)
            return v.siteCount;
        if (index.column() == LastCheck)
            return v.lastHealthCheckAt;
        return data(index, Qt::DisplayRole);
    }
    if (role == Qt::ToolTipRole && index.column() == Health && !v.healthError.isEmpty())
        return plainToolTip(v.healthError);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Hostname:
        return v.hostname;
    case Address:
        return QStringLiteral("%1@%2:%3").arg(v.sshUser, v.ipAddress).arg(v.sshPort);
    case Provider:
        return v.region.isEmpty() ? v.provider
                                  : QStringLiteral("%1 / %2").arg(v.provider, v.region);
    case Specs:
        return QStringLiteral("%1 CPU · %2 GB · %3 GB")
            .arg(v.specCpu)
            .arg(v.specMemoryMb / 1024.0, 0, 'f', 1)
            .arg(v.specDiskGb);
    case Status:
        return toString(v.status);
    case Health:
        return v.healthError.isEmpty()
                   ? toString(v.health)
                   : QStringLiteral("%1 — %2").arg(toString(v.health), v.healthError.left(50));
    case LastCheck:
        return formatTime(v.lastHealthCheckAt);
    case Sites:
        return v.siteCount;
    case Agent:
        return v.agentVersion.isEmpty() ? QStringLiteral("—") : v.agentVersion;
    default:
        return {};
    }
}

QVariant VpsTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    static const char* const names[] = {QT_TRANSLATE_NOOP("chom::InventoryModels", "Host name"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "SSH address"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Provider"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Specs"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Status"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Health"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Last check"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Sites"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Agent")};
    return header(names, ColumnCount, section, o, role);
}

QVariant BackupTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const SiteBackup& b = rowAt(index.row());
    if (role == IdRole)
        return b.id;
    if (role == SortRole) {
        if (index.column() == Size)
            return b.sizeBytes;
        if (index.column() == Created)
            return b.createdAt;
        if (index.column() == Expires)
            return b.expiresAt;
        return data(index, Qt::DisplayRole);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Site:
        return b.domain;
    case Type:
        return b.backupType;
    case Status:
        return b.status;
    case Size:
        return sizeText(b.sizeBytes);
    case Created:
        return formatTime(b.createdAt);
    case Expires:
        return b.expiresAt ? formatDate(b.expiresAt) : QStringLiteral("never");
    default:
        return {};
    }
}

QVariant BackupTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    static const char* const names[] = {QT_TRANSLATE_NOOP("chom::InventoryModels", "Site"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Type"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Status"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Size"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Created"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Expires")};
    return header(names, ColumnCount, section, o, role);
}

QVariant OperationTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Operation& op = rowAt(index.row());
    if (role == IdRole)
        return op.id;
    if (role == SortRole) {
        if (index.column() == Progress)
            return op.progress;
        if (index.column() == Created)
            return op.createdAt;
        return data(index, Qt::DisplayRole);
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Type:
        return op.type;
    case Target:
        return QStringLiteral("%1 #%2").arg(op.targetType).arg(op.targetId);
    case Status:
        return toString(op.status);
    case Progress:
        return QStringLiteral("%1%").arg(qRound(op.progress * 100));
    case Created:
        return formatTime(op.createdAt);
    case Duration:
        return op.startedAt && op.completedAt
                   ? QStringLiteral("%1 s").arg(op.completedAt - op.startedAt)
                   : QStringLiteral("—");
    case Error:
        return op.error;
    default:
        return {};
    }
}

QVariant OperationTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    static const char* const names[] = {QT_TRANSLATE_NOOP("chom::InventoryModels", "Operation"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Target"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Status"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Progress"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Created"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Duration"),
                                        QT_TRANSLATE_NOOP("chom::InventoryModels", "Error")};
    return header(names, ColumnCount, section, o, role);
}

bool sameRow(const Tenant& a, const Tenant& b)
{
    return a.name == b.name && a.organizationName == b.organizationName && a.tier == b.tier &&
           a.status == b.status && a.siteCount == b.siteCount &&
           a.storageUsedMb == b.storageUsedMb && a.maxSites == b.maxSites &&
           a.maxStorageGb == b.maxStorageGb && a.updatedAt == b.updatedAt;
}

bool sameRow(const Vps& a, const Vps& b)
{
    return a.hostname == b.hostname && a.ipAddress == b.ipAddress && a.sshPort == b.sshPort &&
           a.sshUser == b.sshUser && a.provider == b.provider && a.region == b.region &&
           a.specCpu == b.specCpu && a.specMemoryMb == b.specMemoryMb &&
           a.specDiskGb == b.specDiskGb && a.status == b.status && a.health == b.health &&
           a.healthError == b.healthError && a.lastHealthCheckAt == b.lastHealthCheckAt &&
           a.agentVersion == b.agentVersion && a.siteCount == b.siteCount &&
           a.updatedAt == b.updatedAt;
}

} // namespace chom
