#pragma once

#include "ExtraColumnsProxy.h"
#include "fleet/FleetService.h"
#include "observability/FleetMetrics.h"

#include <QHash>

namespace chom {

class SshPool;
class VpsTableModel;

// VpsTableModel plus the live fleet columns: load, memory, disk (Prometheus,
// else the latest SSH HealthReport per VPS), CPU (Prometheus), the host's
// circuit breaker and the last error.
class FleetHealthModel : public ExtraColumnsProxy
{
    Q_OBJECT
public:
    enum ExtraColumn
    {
        Load = 9,
        Memory,
        Disk,
        Cpu,
        Breaker,
        LastError,
        ColumnCount
    };

    FleetHealthModel(VpsTableModel* source, SshPool* pool, FleetService* fleet,
                     QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    void addReport(const HealthReport& report);
    // Prometheus readings for every host at once, keyed by address; they win
    // over the last SSH health report where present (tooltips say which).
    void setPrometheus(const QHash<QString, metrics::HostMetrics>& byAddress);
    void setLastError(Id vpsId, const QString& error);
    QString breakerText(Id vpsId) const;
    std::optional<HealthReport> report(Id vpsId) const;

private:
    int rowOf(Id vpsId) const;
    void refreshColumns(int row, int first, int last);

    VpsTableModel* m_vps;
    SshPool* m_pool;
    FleetService* m_fleet;
    QHash<Id, HealthReport> m_reports;
    QHash<Id, QString> m_errors;
    QHash<QString, metrics::HostMetrics> m_prom;
};

} // namespace chom
