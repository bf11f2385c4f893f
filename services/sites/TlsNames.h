#pragma once

#include <QString>
#include <QStringList>

namespace chom {

// Whether a certificate name covers the host name a client asked for, by the
// rules of RFC 6125 (section 6.4) as browsers apply them: compared without
// case and without a trailing dot; a wildcard is only the whole left-most
// label ("*.example.com"), stands for exactly one non-empty label, and
// needs at least two labels after it ("*.com" covers nothing).
[[nodiscard]] bool tlsNameMatches(const QString& domain, const QString& pattern);

// True when any of the certificate's names covers `domain`.
[[nodiscard]] bool tlsNamesMatch(const QString& domain, const QStringList& patterns);

} // namespace chom
