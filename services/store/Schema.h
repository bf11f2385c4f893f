#pragma once

#include "store/Migrations.h"

namespace chom {

// The ordered schema history. Append only: a released step never changes.
QVector<Migration> schemaMigrations();

} // namespace chom
