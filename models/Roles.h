#pragma once

#include <Qt>

namespace chom::roles {

// Item-data roles the core's models share with the UI, beyond Qt's own and
// RowTableModel's IdRole/SortRole. The core says what a cell is; the UI
// decides how it looks.
// bool: the cell shows the last known value of a fetch that failed since
// (the UI draws it grey).
constexpr int Stale = Qt::UserRole + 32;

} // namespace chom::roles
