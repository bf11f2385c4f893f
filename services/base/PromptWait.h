#pragma once

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

namespace chom {

// A question a worker puts to the front-end without a nested event loop:
// `show` runs queued on `context`'s thread, opens a non-modal prompt and
// returns at once; the prompt calls the answer later (nullopt: cancelled).
// Only the worker waits. The answer is nullopt at once when `context` is
// gone, is the calling thread's own, or cancelAllPrompts() was called.
using PromptAnswer = std::function<void(std::optional<QString>)>;
using PromptShow = std::function<void(PromptAnswer)>;

std::optional<QString> askAndWait(QObject* context, PromptShow show);

// Shutdown: every waiting worker gets nullopt, and later asks too.
void cancelAllPrompts();
// After a shutdown step that cancelled them: prompts may be asked again.
void resumePrompts();

} // namespace chom
