#include "ui/widgets/ProgressDelegate.h"

#include "InventoryModels.h"

#include <QApplication>
#include <QStyleOption>

namespace chom {

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const
{
    QStyleOptionViewItem item = option;
    initStyleOption(&item, index);
    item.text.clear();
    const QWidget* w = option.widget;
    QStyle* style = w ? w->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &item, painter, w);
    const double p = index.data(OperationTableModel::SortRole).toDouble();
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(4, 5, -4, -5);
    bar.minimum = 0;
    bar.maximum = 100;
    bar.progress = qBound(0, qRound(p * 100), 100);
    bar.text = QStringLiteral("%1%").arg(bar.progress);
    bar.textVisible = true;
    bar.state = option.state | QStyle::State_Horizontal;
    bar.palette = option.palette;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, w);
}

} // namespace chom
