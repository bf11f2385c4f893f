#pragma once

#include <QPair>
#include <QVector>
#include <QWidget>

namespace chom {

// Horizontal bars "label ▇▇▇▇ count", one per state, scaled to the largest.
// Painted directly: cheaper at startup than a chart and crisp at any size.
class BarList : public QWidget
{
    Q_OBJECT
public:
    explicit BarList(QWidget* parent = nullptr);

    // Rows keep the given order; colours come from theme::colorFor(label).
    void setRows(const QVector<QPair<QString, qint64>>& rows);
    const QVector<QPair<QString, qint64>>& rows() const { return m_rows; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QVector<QPair<QString, qint64>> m_rows;
};

} // namespace chom
