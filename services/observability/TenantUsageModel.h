#pragma once

#include "ExtraColumnsProxy.h"
#include "InventoryModels.h"
#include "observability/TenantMetrics.h"

#include <QHash>

namespace chom {

// TenantTableModel plus three Prometheus columns per tenant: bytes sent over
// 30 days, disk used on "/" and firing alerts. A failed fetch keeps the last
// values, marked stale (roles::Stale, which the UI draws grey), with the error
// in the tooltip.
class TenantUsageModel : public ExtraColumnsProxy
{
    Q_OBJECT
public:
    enum ExtraColumn
    {
        Bandwidth = TenantTableModel::ColumnCount,
        DiskUsed,
        Alerts,
        ColumnCount
    };

    explicit TenantUsageModel(TenantTableModel* source, QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    // A successful fetch: every tenant's figures (keyed by Tenant::id as text).
    void setUsage(const QHash<QString, metrics::TenantUsage>& byTenant, qint64 fetchedAtMs);
    // A failed fetch: the last values stay, marked stale.
    void setFailed(const QString& error);
    bool isStale() const { return !m_error.isEmpty(); }
    bool hasData() const { return m_fetchedAtMs > 0; }

    // metrics::formatValue(Unit::Bytes): "512 B", "1.5 KiB"; NaN -> "—".
    static QString formatBytes(double bytes);

private:
    QVariant usageData(const Tenant& t, int column, int role) const;
    double numeric(const metrics::TenantUsage& u, int column) const;
    QString toolTip(const QString& tenantId, const metrics::TenantUsage& u, int column,
                    bool known) const;
    void refreshExtraColumns();

    TenantTableModel* m_tenants;
    QHash<QString, metrics::TenantUsage> m_usage;
    qint64 m_fetchedAtMs = 0; // 0 = never fetched
    QString m_error;          // last fetch's error, empty when it succeeded
};

} // namespace chom
