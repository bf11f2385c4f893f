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

// The same for what cannot be undone: the destructive button ("confirmButton")
// is enabled only once the operator has typed `expected` exactly into the
// field ("confirmText"), e.g. the domain of a site to delete from its server.
void confirmByTyping(QWidget* parent, const QString& title, const QString& text,
                     const QString& expected, const QString& actionText,
                     std::function<void()> onConfirm);

} // namespace chom
