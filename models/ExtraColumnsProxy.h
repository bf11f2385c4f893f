#pragma once

#include <QIdentityProxyModel>

namespace chom {

// A table model passed through unchanged, plus computed columns after its
// own (live figures that are not in the store). Subclasses answer data() and
// headerData() for columns >= firstExtra(); there is no source cell there.
class ExtraColumnsProxy : public QIdentityProxyModel
{
    Q_OBJECT
public:
    ExtraColumnsProxy(int firstExtra, int columnCount, QObject* parent = nullptr);

    int firstExtra() const { return m_firstExtra; }
    int columnCount(const QModelIndex& parent = {}) const override;
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex sibling(int row, int column, const QModelIndex& idx) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    int m_firstExtra;
    int m_columnCount;
};

} // namespace chom
