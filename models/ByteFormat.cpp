#include "ByteFormat.h"

namespace chom {

QString formatBytes(double bytes)
{
    static const char* const prefixes[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int i = 0;
    double v = bytes;
    while (qAbs(v) >= 1024 && i < 5) {
        v /= 1024;
        ++i;
    }
    return QStringLiteral("%1 %2").arg(v, 0, 'f', i == 0 ? 0 : 1).arg(QLatin1String(prefixes[i]));
}

QString formatMb(qint64 mb)
{
    return formatBytes(double(mb) * 1024.0 * 1024.0);
}

} // namespace chom
