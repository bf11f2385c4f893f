#pragma once

#include <QLabel>

namespace chom {

// The console's only way to make a label: plain text, always. A label shows
// host names, tenant names, remote error text and agent output; under Qt's
// default (AutoText) a "<a href>" or "<img>" in any of those would be
// rendered. scripts/check-layering.sh refuses a bare `new QLabel` in ui/.
inline QLabel* plainLabel(const QString& text = QString(), QWidget* parent = nullptr)
{
    auto* label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setText(text);
    return label;
}

} // namespace chom
