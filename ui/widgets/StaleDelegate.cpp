#include "ui/widgets/StaleDelegate.h"

#include "Roles.h"

#include <QColor>

namespace chom {

void StaleDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(roles::Stale).toBool())
        option->palette.setBrush(QPalette::Text, QColor(Qt::gray));
}

} // namespace chom
