#pragma once

#include "RowTableModel.h"

namespace chom {

// Whether a fresh row shows the same as the one held (RowTableModel::mergeAll
// leaves it alone then).
bool sameRow(const Tenant& a, const Tenant& b);
bool sameRow(const Vps& a, const Vps& b);

class TenantTableModel : public RowTableModel<Tenant>
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Organization,
        Tier,
        Status,
        Sites,
        Storage,
        Created,
        ColumnCount
    };
    using RowTableModel<Tenant>::RowTableModel;
    int columnCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
};

class VpsTableModel : public RowTableModel<Vps>
{
    Q_OBJECT
public:
    enum Column
    {
        Hostname,
        Address,
        Provider,
        Specs,
        Status,
        Health,
        LastCheck,
        Sites,
        Agent,
        ColumnCount
    };
    using RowTableModel<Vps>::RowTableModel;
    int columnCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
};

class BackupTableModel : public RowTableModel<SiteBackup>
{
    Q_OBJECT
public:
    enum Column
    {
        Site,
        Type,
        Status,
        Size,
        Created,
        Expires,
        ColumnCount
    };
    using RowTableModel<SiteBackup>::RowTableModel;
    int columnCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
};

class OperationTableModel : public RowTableModel<Operation>
{
    Q_OBJECT
public:
    enum Column
    {
        Type,
        Target,
        Status,
        Progress,
        Created,
        Duration,
        Error,
        ColumnCount
    };
    using RowTableModel<Operation>::RowTableModel;
    int columnCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
};

} // namespace chom
