#pragma once

#include "ServedCertificate.h"

#include <QList>
#include <QSslCertificate>
#include <QSslError>

namespace chom {

// The certificate half of a ServedCertificate, from what a handshake gave:
// the peer's chain (leaf first) and the verification errors the handshake
// collected against the probe's CA set. `domain` must already be set.
void readServedCertificate(ServedCertificate& out, const QList<QSslCertificate>& chain,
                           const QList<QSslError>& handshakeErrors);

// Issuer common name, else its organization.
[[nodiscard]] QString certificateIssuer(const QSslCertificate& cert);
// Subject alternative DNS names; the common name only when there are none.
[[nodiscard]] QStringList certificateNames(const QSslCertificate& cert);

} // namespace chom
