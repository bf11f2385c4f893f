#include "TlsCertificateFacts.h"

#include "TlsNames.h"

#include <QCryptographicHash>

namespace chom {
namespace {

QString firstNonEmpty(const QStringList& values)
{
    for (const QString& v : values)
        if (!v.trimmed().isEmpty())
            return v.trimmed();
    return {};
}

// A name mismatch is namesMatch's business; trust is about the chain
// alone (signatures, validity dates, a CA from the set at its end).
QStringList chainErrors(const QList<QSslError>& errors)
{
    QStringList out;
    for (const QSslError& e : errors)
        if (e.error() != QSslError::HostNameMismatch && e.error() != QSslError::NoError)
            out << e.errorString();
    out.removeDuplicates();
    return out;
}

} // namespace

QString certificateIssuer(const QSslCertificate& cert)
{
    const QString cn = firstNonEmpty(cert.issuerInfo(QSslCertificate::CommonName));
    return cn.isEmpty() ? firstNonEmpty(cert.issuerInfo(QSslCertificate::Organization)) : cn;
}

QStringList certificateNames(const QSslCertificate& cert)
{
    QStringList names = cert.subjectAlternativeNames().values(QSsl::DnsEntry);
    if (names.isEmpty())
        names = cert.subjectInfo(QSslCertificate::CommonName);
    names.removeDuplicates();
    return names;
}

void readServedCertificate(ServedCertificate& out, const QList<QSslCertificate>& chain,
                           const QList<QSslError>& handshakeErrors)
{
    const QSslCertificate leaf = chain.value(0);
    out.notBefore = leaf.effectiveDate().toUTC();
    out.notAfter = leaf.expiryDate().toUTC();
    out.issuer = certificateIssuer(leaf);
    out.names = certificateNames(leaf);
    out.namesMatch = tlsNamesMatch(out.domain, out.names);
    out.sha256 =
        QString::fromLatin1(leaf.digest(QCryptographicHash::Sha256).toHex()); // hex is lower case
    out.trustErrors = chainErrors(handshakeErrors);
    out.trusted = !leaf.isNull() && out.trustErrors.isEmpty();
}

} // namespace chom
