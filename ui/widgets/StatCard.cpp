#include "ui/widgets/StatCard.h"
#include "ui/widgets/PlainLabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace chom {

StatCard::StatCard(const QString& title, const QString& valueObjectName, QWidget* parent)
    : QFrame(parent), m_value(plainLabel(QStringLiteral("—"))), m_caption(plainLabel()),
      m_stripe(new QFrame)
{
    setObjectName(QStringLiteral("card"));
    setAttribute(Qt::WA_StyledBackground);
    auto* titleLabel = plainLabel(title);
    titleLabel->setObjectName(QStringLiteral("cardTitle"));
    m_value->setObjectName(valueObjectName);
    m_value->setProperty("cardValue", true);
    m_caption->setObjectName(QStringLiteral("cardCaption"));
    m_stripe->setFixedWidth(4);
    m_stripe->hide();

    auto* texts = new QVBoxLayout;
    texts->setSpacing(2);
    texts->addWidget(titleLabel);
    texts->addWidget(m_value);
    texts->addWidget(m_caption);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 14, 0);
    row->setSpacing(12);
    row->addWidget(m_stripe);
    row->addSpacing(4);
    row->addLayout(texts, 1);
    setMinimumHeight(96);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void StatCard::setValue(const QString& value, const QString& caption)
{
    m_value->setText(value);
    m_caption->setText(caption);
}

void StatCard::setAccent(const QColor& color)
{
    m_stripe->setVisible(color.isValid());
    if (color.isValid())
        m_stripe->setStyleSheet(
            QStringLiteral("background: %1; border: none; border-radius: 2px;").arg(color.name()));
}

} // namespace chom
