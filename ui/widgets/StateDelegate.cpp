#include "ui/widgets/StateDelegate.h"

#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QPainter>

namespace chom {

void StateDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString text = opt.text;
    opt.text.clear();
    const QWidget* w = opt.widget;
    QStyle* style = w ? w->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, w); // background, selection
    if (text.isEmpty())
        return;
    const QString key = text.section(QLatin1Char(' '), 0, 0);
    const QRect r = opt.rect.adjusted(8, 0, -4, 0);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(theme::colorFor(key));
    const int d = 8;
    painter->drawEllipse(QRect(r.left(), r.center().y() - d / 2 + 1, d, d));
    painter->setPen(opt.palette.color(opt.state & QStyle::State_Selected ? QPalette::HighlightedText
                                                                         : QPalette::Text));
    const QRect textRect = r.adjusted(d + 7, 0, 0, 0);
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                      opt.fontMetrics.elidedText(text, Qt::ElideRight, textRect.width()));
    painter->restore();
}

} // namespace chom
