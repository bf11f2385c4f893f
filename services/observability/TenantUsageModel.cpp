#include "observability/TenantUsageModel.h"
#include "PlainText.h"

#include "Roles.h"
#include "observability/MetricsPanels.h"

#include <QDateTime>

namespace chom {
namespace {
constexpr int kIdRole = TenantTableModel::IdRole;
constexpr int kSortRole = TenantTableModel::SortRole;
} // namespace

TenantUsageModel::TenantUsageModel(TenantTableModel* source, QObject* parent)
    : ExtraColumnsProxy(Bandwidth, ColumnCount, parent), m_tenants(source)
{
    setSourceModel(source);
}

QVariant TenantUsageModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.column() < Bandwidth)
        return QIdentityProxyModel::data(index, role);
    if (index.row() >= m_tenants->rowCount())
        return {};
    return usageData(m_tenants->rowAt(index.row()), index.column(), role);
}

QVariant TenantUsageModel::usageData(const Tenant& t, int column, int role) const
{
    if (role == kIdRole)
        return t.id;
    const QString key = QString::number(t.id); // = the tenant_id label
    const auto it = m_usage.constFind(key);
    const bool known = it != m_usage.constEnd();
    const metrics::TenantUsage u = known ? *it : metrics::TenantUsage{};
    const double value = hasData() ? numeric(u, column) : qQNaN();
    switch (role) {
    case Qt::DisplayRole:
        if (qIsNaN(value))
            return QStringLiteral("—");
        return column == Alerts ? QString::number(u.firingAlerts) : formatBytes(value);
    case kSortRole:
        return qIsNaN(value) ? -1.0 : value; // unknown sorts first
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (!hasData())
            return isStale() ? QVariant(plainToolTip(
                                   tr("Prometheus: the fetch failed (%1)").arg(m_error)))
                             : QVariant();
        return toolTip(key, u, column, known);
    case roles::Stale:
        return isStale();
    default:
        return {};
    }
}

double TenantUsageModel::numeric(const metrics::TenantUsage& u, int column) const
{
    switch (column) {
    case Bandwidth:
        return u.bandwidth30dBytes;
    case DiskUsed:
        return u.diskUsedBytes;
    case Alerts:
        return u.firingAlerts; // Prometheus answered: no alert is a real 0
    default:
        return qQNaN();
    }
}

QString TenantUsageModel::toolTip(const QString& tenantId, const metrics::TenantUsage& u,
                                  int column, bool known) const
{
    QString source;
    if (column == Bandwidth)
        source = tr("Bytes sent over 30 days (node_network_transmit_bytes_total, lo excluded)");
    else if (column == DiskUsed)
        source = tr("Disk used on / (node_filesystem_size_bytes - avail)");
    else
        source = u.alertNames.isEmpty()
                     ? tr("No firing alerts")
                     : tr("Firing: %1").arg(u.alertNames.join(QStringLiteral(", ")));
    if (!known && column != Alerts)
        source = tr("No Prometheus series with tenant_id=\"%1\"").arg(tenantId);
    const QString asOf =
        QDateTime::fromMSecsSinceEpoch(m_fetchedAtMs).toString(QStringLiteral("hh:mm:ss"));
    QString tip = tr("%1\nFrom Prometheus, as of %2").arg(source, asOf);
    if (isStale())
        tip = tr("Stale: the last fetch failed (%1)\n%2").arg(m_error, tip);
    return plainToolTip(tip); // alert names and errors come from the endpoint
}

void TenantUsageModel::setUsage(const QHash<QString, metrics::TenantUsage>& byTenant,
                                qint64 fetchedAtMs)
{
    m_usage = byTenant;
    m_fetchedAtMs = fetchedAtMs;
    m_error.clear();
    refreshExtraColumns();
}

void TenantUsageModel::setFailed(const QString& error)
{
    m_error = error.isEmpty() ? tr("unknown error") : error;
    refreshExtraColumns();
}

void TenantUsageModel::refreshExtraColumns()
{
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Bandwidth), index(rowCount() - 1, Alerts));
}

QVariant TenantUsageModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || section < Bandwidth)
        return QIdentityProxyModel::headerData(section, o, role);
    if (role != Qt::DisplayRole || section >= ColumnCount)
        return {};
    static const char* const names[] = {QT_TR_NOOP("Bandwidth 30 d"), QT_TR_NOOP("Disk used"),
                                        QT_TR_NOOP("Alerts")};
    return tr(names[section - Bandwidth]);
}

QString TenantUsageModel::formatBytes(double bytes)
{
    return metrics::formatValue(bytes, metrics::Unit::Bytes);
}

} // namespace chom
