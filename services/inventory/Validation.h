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
// Free text (names, provider, region …): at most maxLength characters, and no
// control, bidi, zero-width or line-separator character anywhere, so a value
// can neither forge a terminal or log line nor read differently than stored.
Status validateText(const QString& what, const QString& value, int maxLength);
// validateText, and not blank.
Status validateName(const QString& what, const QString& value, int maxLength);
// Where a site's files live on its VPS: /var/www/sites/<domain>.
QString siteHome(const QString& domain);
// Empty (the default), or an absolute, normalised path inside siteHome(domain):
// no "." or ".." segments, no doubled or trailing slash, no control character.
Result<QString> normalizeDocumentRoot(const QString& domain, const QString& input);

} // namespace validation
} // namespace chom
