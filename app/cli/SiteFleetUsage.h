#pragma once

#include <QString>

namespace chom::cli {

// The usage lines of chomctl's site actions on the VPS (SiteFleetActions).
QString siteFleetUsage();

} // namespace chom::cli
