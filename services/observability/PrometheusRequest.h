#pragma once

#include "observability/MetricsTypes.h"

#include <QList>
#include <QNetworkRequest>
#include <QPair>

namespace chom::metrics::detail {

// base URL (with an optional path prefix) + API path + percent-encoded query
// parameters ('+' included: Go's form parser reads a raw '+' as a space).
QUrl apiUrl(const QUrl& base, const QString& path,
            const QList<QPair<QString, QString>>& params = {});

// False when the value holds a control character (CR, LF …), which must
// never reach an HTTP header.
bool headerSafe(const QString& value);

// Reads config.caFile into config.caCertificates unless already read: once,
// when an endpoint is set, so no request reads a file.
void loadTrust(EndpointConfig& config);

// The GET request for one attempt: Accept, transfer timeout, auth header,
// custom CA (from caCertificates; loadTrust first). With auth, redirects
// are followed only within the origin (scheme, host, port). A CA file without a
// readable certificate is a Tls error. The one builder of every client.

QNetworkRequest buildRequest(const EndpointConfig& config, const QUrl& url, MetricsError* error);

// How a message names a URL: without query, user info or fragment.
QString shownUrl(const QUrl& url);

// A redirect from `from` to another origin (`target`, empty when unknown)
// that buildRequest's policy refused: the sentence that says so.
QString redirectRefused(const QUrl& from, const QUrl& target);

} // namespace chom::metrics::detail
