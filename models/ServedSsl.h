#pragma once

#include <QMetaType>
#include <QString>

namespace chom {

// What the Sites table's SSL column shows once the certificate a site's
// server really serves was probed: a state word (valid, expiring, expired,
// differs, mismatch, untrusted, unreachable) and the sentence behind it.
struct ServedSsl
{
    QString state;
    QString detail;
    qint64 checkedAt = 0; // Unix seconds
};

} // namespace chom

Q_DECLARE_METATYPE(chom::ServedSsl)
