#pragma once

#include <QString>

namespace chom {

// The one byte formatter of every front-end: binary prefixes, named as such
// ("512 B", "1.5 KiB", "12.3 GiB"), one decimal above bytes.
QString formatBytes(double bytes);
// A size kept in MiB (sites, tenants): "512.0 MiB", "1.3 GiB".
QString formatMb(qint64 mb);

} // namespace chom
