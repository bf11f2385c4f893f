#pragma once

#include <QStyledItemDelegate>

namespace chom {

// Draws a status word with a coloured dot (active green, failed red, ...),
// the colour keyed on the first word of the cell text.
class StateDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
};

} // namespace chom
