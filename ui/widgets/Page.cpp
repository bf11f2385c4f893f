#include "ui/widgets/Page.h"
#include "ui/widgets/PlainLabel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace chom {

Page::Page(AppContext& ctx, QWidget* parent) : QWidget(parent), m_ctx(ctx) {}

void Page::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (!m_loadStarted) {
        m_loadStarted = true;
        load();
    }
}

QHBoxLayout* Page::addHeader(QVBoxLayout* layout, const QString& title, const QString& subtitle)
{
    auto* row = new QHBoxLayout;
    auto* texts = new QVBoxLayout;
    texts->setSpacing(2);
    auto* t = plainLabel(title);
    t->setObjectName(QStringLiteral("pageTitle"));
    texts->addWidget(t);
    if (!subtitle.isEmpty()) {
        auto* s = plainLabel(subtitle);
        s->setObjectName(QStringLiteral("pageSubtitle"));
        texts->addWidget(s);
    }
    row->addLayout(texts);
    row->addStretch(1);
    layout->addLayout(row);
    return row;
}

} // namespace chom
