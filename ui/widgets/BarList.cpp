#include "ui/widgets/BarList.h"

#include "ui/widgets/Theme.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>

namespace chom {
namespace {
constexpr int kRowHeight = 24;
}

BarList::BarList(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void BarList::setRows(const QVector<QPair<QString, qint64>>& rows)
{
    m_rows = rows;
    updateGeometry();
    update();
}

QSize BarList::sizeHint() const
{
    return {260, qMax(1, int(m_rows.size())) * kRowHeight + 4};
}

void BarList::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm = fontMetrics();
    qint64 maxValue = 1;
    int labelWidth = 0, countWidth = 0;
    for (const auto& r : m_rows) {
        maxValue = std::max(maxValue, r.second);
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(r.first));
        countWidth = std::max(countWidth, fm.horizontalAdvance(QLocale().toString(r.second)));
    }
    const int barX = labelWidth + 12;
    const int barMax = std::max(20, width() - barX - countWidth - 12);
    for (int i = 0; i < m_rows.size(); ++i) {
        const auto& r = m_rows[i];
        const int y = 2 + i * kRowHeight;
        const QRect textRect(0, y, labelWidth, kRowHeight);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, r.first);
        const QRectF track(barX, y + 7, barMax, kRowHeight - 14);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xee, 0xf0, 0xf4));
        p.drawRoundedRect(track, 3, 3);
        if (r.second > 0) {
            const double w = std::max(3.0, barMax * double(r.second) / double(maxValue));
            p.setBrush(theme::colorFor(r.first));
            p.drawRoundedRect(QRectF(barX, y + 7, w, kRowHeight - 14), 3, 3);
        }
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(barX + barMax + 8, y, countWidth + 4, kRowHeight),
                   Qt::AlignVCenter | Qt::AlignRight, QLocale().toString(r.second));
    }
}

} // namespace chom
