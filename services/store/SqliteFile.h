#pragma once

#include "base/Result.h"

#include <QLockFile>
#include <QString>

#include <memory>

namespace chom::sqlitefile {

// Vets and creates the local store file before SQLite touches it: the
// directory is made 0700 and a new file 0600 (SQLite gives its -wal and
// -shm files the file's mode); a file that exists but is empty is refused
// (store_corrupt), as a truncated copy would be, instead of silently
// becoming a new store. The returned lock is held until the caller's first
// connection has initialised a new file, so two openers at once never take
// each other's fresh file for a truncated one.
Result<std::unique_ptr<QLockFile>> prepare(const QString& path);
// The refusal of an existing empty file alone, for read-only opens.
Status refuseEmpty(const QString& path);

} // namespace chom::sqlitefile
