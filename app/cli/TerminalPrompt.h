#pragma once

#include "base/Result.h"

#include <QString>

#include <optional>

namespace chom::cli {

// Questions chomctl asks its operator for secrets: on the controlling
// terminal (/dev/tty) with echo off, so stdin and stdout stay free for data.
// nullopt when there is no terminal or the operator ends the input (Ctrl+D).
std::optional<QString> askHidden(const QString& question);

// A secret for one chomctl run: from the terminal when stdin is one, else the
// first line of stdin (scripts pipe it in; never argv, which ps shows).
Result<QString> readSecretInput(const QString& question);

// A file's content without its trailing line breaks (--passphrase-file,
// --secret-file); at most 64 KiB.
Result<QString> readSecretFileLine(const QString& option, const QString& path);

} // namespace chom::cli
