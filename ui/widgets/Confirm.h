#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace chom {

// Asks before a destructive action without a nested event loop: the box is
// window-modal, named "confirmDialog", and `onConfirm` runs only when the
// operator presses the destructive button (Cancel is the default).
void confirmDestructive(QWidget* parent, const QString& title, const QString& text,
                        const QString& actionText, std::function<void()> onConfirm);

} // namespace chom
