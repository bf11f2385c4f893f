#include "ui/widgets/PlaceholderPage.h"

#include <QLabel>
#include <QVBoxLayout>

namespace chom {

PlaceholderPage::PlaceholderPage(AppContext& ctx, const QString& title, const QString& explanation,
                                 const QString& details, QWidget* parent)
    : Page(ctx, parent), m_title(title)
{
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(24, 20, 24, 20);
    col->setSpacing(12);
    addHeader(col, title, QString());
    col->addStretch(1);
    auto* heading = new QLabel(tr("Not available yet"));
    heading->setObjectName(QStringLiteral("placeholderTitle"));
    heading->setAlignment(Qt::AlignCenter);
    col->addWidget(heading);
    auto* text = new QLabel(explanation);
    text->setObjectName(QStringLiteral("placeholderText"));
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    col->addWidget(text);
    if (!details.isEmpty()) {
        auto* more = new QLabel(details);
        more->setObjectName(QStringLiteral("placeholderDetails"));
        more->setAlignment(Qt::AlignCenter);
        more->setTextInteractionFlags(Qt::TextSelectableByMouse);
        col->addWidget(more);
    }
    col->addStretch(2);
}

} // namespace chom
