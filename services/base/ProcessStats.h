#pragma once

#include <QtGlobal>

namespace chom {

// Linux /proc readings used by the startup benchmark and diagnostics.
namespace processStats {
qint64 residentKb();          // VmRSS, -1 when unknown
qint64 msSinceProcessStart(); // wall ms since the kernel started this process, -1 when unknown
} // namespace processStats

} // namespace chom
