#include "ui/widgets/PlaceholderPage.h"
#include "ui/widgets/PlainLabel.h"

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
    auto* heading = plainLabel(tr("Not available yet"));
    heading->setObjectName(QStringLiteral("placeholderTitle"));
    heading->setAlignment(Qt::AlignCenter);
    col->addWidget(heading);
    auto* text = plainLabel(explanation);
    text->setObjectName(QStringLiteral("placeholderText"));
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    col->addWidget(text);
    if (!details.isEmpty()) {
        auto* more = plainLabel(details);
        more->setObjectName(QStringLiteral("placeholderDetails"));
        more->setAlignment(Qt::AlignCenter);
        more->setTextInteractionFlags(Qt::TextSelectableByMouse);
        col->addWidget(more);
    }
    col->addStretch(2);
}

} // namespace chom
