#pragma once

#include <QFrame>

class QLabel;

namespace chom {

// One dashboard figure: a caption, a big value and a small note.
class StatCard : public QFrame
{
    Q_OBJECT
public:
    StatCard(const QString& title, const QString& valueObjectName, QWidget* parent = nullptr);

    void setValue(const QString& value, const QString& caption = {});
    void setAccent(const QColor& color); // left stripe; invalid colour = none
    QLabel* valueLabel() const { return m_value; }

private:
    QLabel* m_value;
    QLabel* m_caption;
    QFrame* m_stripe;
};

} // namespace chom
