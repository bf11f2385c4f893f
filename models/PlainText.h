#pragma once

#include <QString>

namespace chom {

// A tooltip that shows `text` literally. Qt renders a tooltip as rich text
// whenever it looks like markup (Qt::mightBeRichText), so a host's error
// such as "<img src=…>" would be interpreted; escaped inside a pre-wrapped
// paragraph it reads exactly as sent, line breaks kept.
inline QString plainToolTip(const QString& text)
{
    if (text.isEmpty())
        return text;
    return QStringLiteral("<p style=\"white-space:pre-wrap\">") + text.toHtmlEscaped() +
           QStringLiteral("</p>");
}

} // namespace chom
