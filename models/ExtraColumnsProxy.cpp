#include "ExtraColumnsProxy.h"

namespace chom {

ExtraColumnsProxy::ExtraColumnsProxy(int firstExtra, int columnCount, QObject* parent)
    : QIdentityProxyModel(parent), m_firstExtra(firstExtra), m_columnCount(columnCount)
{
}

int ExtraColumnsProxy::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_columnCount;
}

QModelIndex ExtraColumnsProxy::index(int row, int column, const QModelIndex& parent) const
{
    if (parent.isValid() || row < 0 || row >= rowCount() || column < 0 || column >= m_columnCount)
        return {};
    if (column < m_firstExtra)
        return QIdentityProxyModel::index(row, column, parent);
    return createIndex(row, column); // no source cell behind the extra columns
}

QModelIndex ExtraColumnsProxy::sibling(int row, int column, const QModelIndex& idx) const
{
    return idx.isValid() ? index(row, column) : QModelIndex();
}

Qt::ItemFlags ExtraColumnsProxy::flags(const QModelIndex& index) const
{
    if (index.isValid() && index.column() >= m_firstExtra)
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return QIdentityProxyModel::flags(index);
}

} // namespace chom
