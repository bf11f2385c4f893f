#pragma once

#include <QColor>
#include <QIcon>
#include <QString>

class QApplication;

namespace chom::theme {

// Fusion + a light palette + a small style sheet keyed on object names, so
// the look is the same on every desktop and offscreen (screenshots).
void apply(QApplication& app);

// The app icon, painted (Debian's Qt has no SVG image plugin by default).
QIcon appIcon();

// Colour for a status/health word ("active", "failed", "healthy", ...).
QColor colorFor(const QString& state);

} // namespace chom::theme
