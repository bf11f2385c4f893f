#pragma once

#include "base/PromptWait.h"

#include <QString>

#include <optional>

namespace chom {

// A non-modal password prompt on the GUI thread: it returns at once and
// answers when the operator accepts or cancels (or the dialog goes away).
// No nested event loop: store results and change flushes keep flowing.
void showPasswordPrompt(const QString& title, const QString& label, PromptAnswer answer);

// On a worker: the master passphrase of the encrypted secrets file, asked
// without blocking the GUI (SessionPassphrase's question in the console).
std::optional<QString> askMasterPassphrase(const QString& hint);

} // namespace chom
