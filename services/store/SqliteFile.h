#pragma once

#include "base/Result.h"

#include <QLockFile>
#include <QSqlDatabase>
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
// Names the file and sets the open options of a connection to it. A
// read-only open in a directory nobody can write to opens it immutable: WAL
// readers need a -shm file beside the store, and there none can be made
// (nor can the store change).
void configure(QSqlDatabase& db, const QString& path, bool readOnly);

} // namespace chom::sqlitefile
