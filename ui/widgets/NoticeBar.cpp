#include "ui/widgets/NoticeBar.h"
#include "ui/widgets/PlainLabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

namespace chom {

NoticeBar::NoticeBar(QWidget* parent)
    : QFrame(parent), m_text(plainLabel()), m_busy(new QProgressBar), m_close(new QToolButton)
{
    setObjectName(QStringLiteral("noticeBar"));
    m_text->setObjectName(QStringLiteral("noticeText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(140);
    m_busy->setMaximumHeight(10);
    m_busy->setTextVisible(false);
    m_close->setText(QStringLiteral("✕"));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(16, 6, 8, 6);
    row->addWidget(m_busy);
    row->addWidget(m_text, 1);
    row->addWidget(m_close);
    m_hide.setSingleShot(true);
    connect(&m_hide, &QTimer::timeout, this, &QWidget::hide);
    connect(m_close, &QToolButton::clicked, this, [this] {
        m_isBusy = false;
        hide();
    });
    hide();
}

void NoticeBar::present(const QString& kind, const QString& text, int hideAfterMs)
{
    setProperty("kind", kind);
    style()->unpolish(this);
    style()->polish(this);
    m_text->setText(text);
    m_busy->setVisible(kind == QLatin1String("busy"));
    m_close->setVisible(kind != QLatin1String("busy"));
    if (hideAfterMs > 0)
        m_hide.start(hideAfterMs);
    else
        m_hide.stop();
    show();
}

void NoticeBar::showInfo(const QString& text)
{
    m_isBusy = false;
    present(QStringLiteral("info"), text, 6000);
}

void NoticeBar::showError(const QString& text)
{
    m_isBusy = false;
    present(QStringLiteral("error"), text, 20000);
}

void NoticeBar::showBusy(const QString& text)
{
    m_isBusy = true;
    present(QStringLiteral("busy"), text, 0);
}

void NoticeBar::clearBusy()
{
    if (std::exchange(m_isBusy, false))
        hide();
}

QString NoticeBar::text() const
{
    return isVisible() ? m_text->text() : QString();
}

} // namespace chom
