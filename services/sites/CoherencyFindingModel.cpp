#include "sites/CoherencyFindingModel.h"

namespace chom {

void CoherencyFindingModel::setFindings(QVector<CoherencyFinding> findings)
{
    beginResetModel();
    m_rows = std::move(findings);
    endResetModel();
}

int CoherencyFindingModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CoherencyFindingModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString CoherencyFindingModel::kindLabel(const QString& kind)
{
    QString text = kind;
    text.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text.at(0).toUpper();
    return text;
}

QVariant CoherencyFindingModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CoherencyFinding& f = m_rows.at(index.row());
    switch (role) {
    case SiteIdRole:
        return f.siteId;
    case HealRole:
        return f.heal;
    case SeverityRole:
        return int(f.severity);
    case Qt::ToolTipRole:
        return f.message;
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case SeverityColumn:
        return f.severity == CoherencyFinding::Severity::Error     ? tr("Error")
               : f.severity == CoherencyFinding::Severity::Warning ? tr("Warning")
                                                                   : tr("Info");
    case VpsColumn:
        return f.hostname;
    case SiteColumn:
        return f.domain;
    case KindColumn:
        return kindLabel(f.kind);
    case DetailColumn:
        return f.message;
    case RepairColumn:
        return f.heal == QLatin1String("render") ? tr("Re-render") : tr("Review");
    default:
        return {};
    }
}

QVariant CoherencyFindingModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case VpsColumn:
        return tr("VPS");
    case SiteColumn:
        return tr("Site / object");
    case KindColumn:
        return tr("Finding");
    case DetailColumn:
        return tr("Detail");
    case RepairColumn:
        return tr("Repair");
    default:
        return {};
    }
}

} // namespace chom
