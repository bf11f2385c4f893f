#pragma once

#include <QStyledItemDelegate>

namespace chom {

// Draws a cell whose model says roles::Stale (the last value of a fetch
// that failed since) in grey; otherwise the standard look.
class StaleDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace chom
