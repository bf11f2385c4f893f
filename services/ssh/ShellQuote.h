#pragma once

#include "base/Result.h"

#include <QStringList>

namespace chom {

// Builds the one command string an SSH exec request carries. The remote
// user's shell parses it, so every value is a POSIX single-quoted word
// ('…' with ' written as '\''): nothing inside is ever expanded. NUL cannot
// travel in a command line and is refused.
namespace shell {
Result<QString> quote(const QString& value);
Result<QString> join(const QString& program, const QStringList& args);
} // namespace shell

} // namespace chom
