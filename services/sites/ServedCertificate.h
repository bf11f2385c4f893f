#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace chom {

// What a TLS handshake with a site's server showed: the certificate it
// serves for the site's name (SNI), as a browser would see it. The SSL
// column and the coherency check read this, not only the stored date.
struct ServedCertificate
{
    QString domain;         // the SNI name asked for
    QString address;        // host:port probed
    bool reachable = false; // a handshake completed and a certificate came back
    QString errorCode;      // CONNECT_REFUSED, TIMEOUT, HANDSHAKE_FAILED, NO_CERTIFICATE, ...
    QString error;          // human reason when !reachable
    QDateTime notBefore;
    QDateTime notAfter;
    QString issuer;          // issuer CN (O when there is no CN)
    QStringList names;       // subject alternative DNS names (the CN when there are none)
    bool namesMatch = false; // domain matches one of names (RFC 6125 wildcards)
    bool trusted = false;    // the chain verifies against the probe's CA set
    QStringList trustErrors; // why it does not (expired, unknown issuer, ...); empty when trusted
    QString sha256;          // lower-case hex fingerprint of the leaf certificate
    qint64 durationMs = 0;
};

} // namespace chom
