#pragma once

#include "sites/CoherencyCheck.h"

#include <QAbstractTableModel>

namespace chom {

// The findings of one coherency report as a table (the report page sorts
// and filters it through a proxy). Replaced whole when a new report is
// read: a report holds at most a few findings per site.
class CoherencyFindingModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        SeverityColumn,
        VpsColumn,
        SiteColumn,
        KindColumn,
        DetailColumn,
        RepairColumn,
        ColumnCount
    };
    enum Role
    {
        SiteIdRole = Qt::UserRole + 1,
        HealRole,
        SeverityRole // CoherencyFinding::Severity as int, for sorting
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setFindings(QVector<CoherencyFinding> findings);
    const QVector<CoherencyFinding>& findings() const { return m_rows; }
    const CoherencyFinding& at(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    // "drifted_vhost" as the operator reads it: "Drifted vhost".
    static QString kindLabel(const QString& kind);

private:
    QVector<CoherencyFinding> m_rows;
};

} // namespace chom
