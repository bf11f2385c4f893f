#include "fleet/FleetHealthModel.h"

#include "InventoryModels.h"
#include "ssh/SshPool.h"

namespace chom {
namespace {
constexpr int kIdRole = VpsTableModel::IdRole;
constexpr int kSortRole = VpsTableModel::SortRole;
static_assert(int(FleetHealthModel::Load) == int(VpsTableModel::ColumnCount));
} // namespace

FleetHealthModel::FleetHealthModel(VpsTableModel* source, SshPool* pool, FleetService* fleet,
                                   QObject* parent)
    : ExtraColumnsProxy(Load, ColumnCount, parent), m_vps(source), m_pool(pool), m_fleet(fleet)
{
    setSourceModel(source);
    if (m_fleet)
        connect(m_fleet, &FleetService::healthReported, this, &FleetHealthModel::addReport);
    if (m_pool) {
        connect(m_pool, &SshPool::breakerChanged, this, [this] {
            if (rowCount() > 0)
                Q_EMIT dataChanged(index(0, Breaker), index(rowCount() - 1, Breaker));
        });
    }
}

QVariant FleetHealthModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.column() < Load)
        return QIdentityProxyModel::data(index, role);
    const Vps& vps = m_vps->rowAt(index.row());
    if (role == kIdRole)
        return vps.id;
    const auto rep = m_reports.constFind(vps.id);
    const bool has = rep != m_reports.constEnd() && rep->reachable;
    const metrics::HostMetrics prom = m_prom.value(vps.ipAddress);
    // Prometheus first, then the SSH health report; NaN = neither has it.
    auto pick = [&](double fromProm, double fromSsh) {
        return !qIsNaN(fromProm) ? fromProm : (has ? fromSsh : qQNaN());
    };
    double value = qQNaN(), fromProm = qQNaN();
    switch (index.column()) {
    case Load:
        fromProm = prom.load1;
        value = pick(fromProm, has ? rep->load1 : 0);
        break;
    case Memory:
        fromProm = prom.memoryPercent;
        value = pick(fromProm, has ? rep->memoryPercent : 0);
        break;
    case Disk:
        fromProm = prom.diskPercent;
        value = pick(fromProm, has ? rep->diskPercent : 0);
        break;
    case Cpu:
        fromProm = value = prom.cpuPercent;
        break;
    default:
        break;
    }
    if (role == Qt::TextAlignmentRole && index.column() <= Cpu)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == kSortRole && index.column() <= Cpu)
        return qIsNaN(value) ? -1.0 : value;
    if (role == kSortRole)
        role = Qt::DisplayRole;
    if (role == Qt::ToolTipRole && index.column() <= Cpu && !qIsNaN(value))
        return qIsNaN(fromProm) ? tr("From the last SSH health check") : tr("From Prometheus");
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    if (index.column() <= Cpu && qIsNaN(value))
        return QStringLiteral("—");
    switch (index.column()) {
    case Load:
        return QString::number(value, 'f', 2);
    case Memory:
    case Disk:
    case Cpu:
        return QStringLiteral("%1 %").arg(qRound(value));
    case Breaker:
        return breakerText(vps.id);
    case LastError: {
        const QString e = m_errors.value(vps.id);
        return e.isEmpty() ? vps.healthError : e;
    }
    default:
        return {};
    }
}

QVariant FleetHealthModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || section < Load)
        return QIdentityProxyModel::headerData(section, o, role);
    if (role != Qt::DisplayRole)
        return {};
    static const char* const names[] = {QT_TR_NOOP("Load"),    QT_TR_NOOP("Mem %"),
                                        QT_TR_NOOP("Disk %"),  QT_TR_NOOP("CPU %"),
                                        QT_TR_NOOP("Breaker"), QT_TR_NOOP("Last error")};
    return tr(names[section - Load]);
}

QString FleetHealthModel::breakerText(Id vpsId) const
{
    const int row = rowOf(vpsId);
    if (!m_pool || !m_fleet || row < 0)
        return QStringLiteral("—");
    switch (m_pool->breakerState(m_fleet->targetFor(m_vps->rowAt(row)))) {
    case CircuitBreaker::State::Closed:
        return QStringLiteral("closed");
    case CircuitBreaker::State::Open:
        return QStringLiteral("open");
    case CircuitBreaker::State::HalfOpen:
        return QStringLiteral("half-open");
    }
    return QStringLiteral("—");
}

std::optional<HealthReport> FleetHealthModel::report(Id vpsId) const
{
    const auto it = m_reports.constFind(vpsId);
    if (it == m_reports.constEnd())
        return std::nullopt;
    return *it;
}

int FleetHealthModel::rowOf(Id vpsId) const
{
    for (int r = 0; r < m_vps->rowCount(); ++r) {
        if (m_vps->rowAt(r).id == vpsId)
            return r;
    }
    return -1;
}

void FleetHealthModel::refreshColumns(int row, int first, int last)
{
    if (row >= 0)
        Q_EMIT dataChanged(index(row, first), index(row, last));
}

void FleetHealthModel::setPrometheus(const QHash<QString, metrics::HostMetrics>& byAddress)
{
    m_prom = byAddress;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Load), index(rowCount() - 1, Cpu));
}

void FleetHealthModel::addReport(const HealthReport& report)
{
    m_reports.insert(report.vpsId, report);
    m_errors.insert(report.vpsId, report.error);
    refreshColumns(rowOf(report.vpsId), Load, LastError);
}

void FleetHealthModel::setLastError(Id vpsId, const QString& error)
{
    m_errors.insert(vpsId, error);
    refreshColumns(rowOf(vpsId), LastError, LastError);
}

} // namespace chom
