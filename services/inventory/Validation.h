#pragma once

#include "base/Result.h"

#include <QString>

namespace chom {

// Input rules shared by the GUI dialogs, chomctl and the services (which
// re-check everything: the UI is a convenience, not the guard).
namespace validation {

// Trims, lower-cases and converts internationalised names to punycode, then
// applies the domain rule (spec §2.2). Returns the stored form.
Result<QString> normalizeDomain(const QString& input);
// RFC 1123 host name (one label allowed), returned lower-case.
Result<QString> normalizeHostname(const QString& input);
// Strict IPv4 dotted quad or IPv6; returns the canonical text.
Result<QString> normalizeIpAddress(const QString& input);
Status validatePort(int port);
Status validatePortText(const QString& text); // rejects non-numbers too
Status validatePhpVersion(const QString& version);
Status validateName(const QString& what, const QString& value, int maxLength);

} // namespace validation
} // namespace chom
