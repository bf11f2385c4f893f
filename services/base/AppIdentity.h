#pragma once

#include <QString>

namespace chom {

// The console's QSettings identity. chomctl reads the endpoints the GUI
// saved under these names, so both take them from here.
inline QString consoleOrganization()
{
    return QStringLiteral("chom");
}
inline QString consoleApplication()
{
    return QStringLiteral("chom-console");
}

} // namespace chom
