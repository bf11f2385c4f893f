#pragma once

#include <QStyledItemDelegate>

namespace chom {

// Draws a progress bar from the SortRole value (0..1) of a cell.
class ProgressDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

} // namespace chom
