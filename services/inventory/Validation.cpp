#include "inventory/Validation.h"

#include "Domain.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

namespace chom::validation {
namespace {

Error invalid(const QString& code, const QString& message)
{
    return makeError(code, message);
}

bool validLabel(const QString& label)
{
    static const QRegularExpression re(QStringLiteral("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"));
    return re.match(label).hasMatch();
}

} // namespace

Result<QString> normalizeDomain(const QString& input)
{
    const QString trimmed = input.trimmed();
    const QString code = QStringLiteral("invalid_domain");
    if (trimmed.isEmpty())
        return invalid(code,
                       QCoreApplication::translate("chom::Validation", "Enter a domain name."));
    static const QRegularExpression forbidden(
        QStringLiteral("[;&|`$(){}\\s_/\\\\'\"<>*?!,:@#%=+]"));
    if (trimmed.contains(forbidden))
        return invalid(
            code, QCoreApplication::translate("chom::Validation",
                                              "\"%1\" contains characters a domain cannot have.")
                      .arg(trimmed.left(80)));
    if (trimmed.startsWith(QLatin1Char('.')) || trimmed.startsWith(QLatin1Char('-')) ||
        trimmed.endsWith(QLatin1Char('.')))
        return invalid(code, QCoreApplication::translate(
                                 "chom::Validation",
                                 "A domain cannot start with '.' or '-' or end with '.'."));
    QString ace = trimmed.toLower();
    bool ascii = true;
    for (QChar c : ace)
        ascii = ascii && c.unicode() < 128;
    if (!ascii) {
        ace = QString::fromLatin1(QUrl::toAce(ace, QUrl::AceTransitionalProcessing));
        if (ace.isEmpty())
            return invalid(code, QCoreApplication::translate(
                                     "chom::Validation",
                                     "\"%1\" is not a valid internationalised domain name.")
                                     .arg(trimmed.left(80)));
    }
    if (ace.size() > 253)
        return invalid(code, QCoreApplication::translate("chom::Validation",
                                                         "A domain has at most 253 characters."));
    const QStringList labels = ace.split(QLatin1Char('.'));
    if (labels.size() < 2)
        return invalid(
            code, QCoreApplication::translate("chom::Validation",
                                              "\"%1\" needs at least one dot (like example.com).")
                      .arg(ace));
    for (const QString& l : labels) {
        if (l.isEmpty())
            return invalid(
                code, QCoreApplication::translate("chom::Validation",
                                                  "\"%1\" has an empty label (two dots in a row).")
                          .arg(ace));
        if (l.size() > 63)
            return invalid(
                code, QCoreApplication::translate(
                          "chom::Validation", "Each part of a domain has at most 63 characters."));
        if (!validLabel(l))
            return invalid(code, QCoreApplication::translate(
                                     "chom::Validation",
                                     "\"%1\": each part may hold letters, digits and inner "
                                     "hyphens only.")
                                     .arg(ace.left(80)));
    }
    static const QRegularExpression tld(QStringLiteral("^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$"));
    if (!tld.match(labels.last()).hasMatch())
        return invalid(
            code, QCoreApplication::translate("chom::Validation",
                                              "\"%1\" does not end in a valid top-level domain.")
                      .arg(ace));
    return ace;
}

Result<QString> normalizeHostname(const QString& input)
{
    const QString h = input.trimmed().toLower();
    const QString code = QStringLiteral("invalid_hostname");
    if (h.isEmpty())
        return invalid(code, QCoreApplication::translate("chom::Validation", "Enter a host name."));
    if (h.size() > 253)
        return invalid(code, QCoreApplication::translate(
                                 "chom::Validation", "A host name has at most 253 characters."));
    for (const QString& l : h.split(QLatin1Char('.'))) {
        if (!validLabel(l))
            return invalid(code, QCoreApplication::translate(
                                     "chom::Validation",
                                     "\"%1\" is not a valid host name (letters, digits, "
                                     "inner hyphens, dot-separated).")
                                     .arg(h.left(80)));
    }
    return h;
}

Result<QString> normalizeIpAddress(const QString& input)
{
    const QString t = input.trimmed();
    const QString code = QStringLiteral("invalid_ip");
    static const QRegularExpression v4(
        QStringLiteral("^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
                       "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$"));
    if (v4.match(t).hasMatch())
        return t;
    QHostAddress a;
    if (t.contains(QLatin1Char(':')) && !t.contains(QLatin1Char('%')) && a.setAddress(t) &&
        a.protocol() == QAbstractSocket::IPv6Protocol)
        return a.toString();
    return invalid(code, QCoreApplication::translate("chom::Validation",
                                                     "\"%1\" is not an IPv4 or IPv6 address.")
                             .arg(t.left(60)));
}

Status validatePort(int port)
{
    if (port < 1 || port > 65535)
        return invalid(
            QStringLiteral("invalid_port"),
            QCoreApplication::translate("chom::Validation", "Port %1 is out of range (1–65535).")
                .arg(port));
    return okStatus();
}

Status validatePortText(const QString& text)
{
    bool ok = false;
    const int port = text.trimmed().toInt(&ok);
    if (!ok)
        return invalid(
            QStringLiteral("invalid_port"),
            QCoreApplication::translate("chom::Validation", "\"%1\" is not a port number.")
                .arg(text.left(20)));
    return validatePort(port);
}

Status validatePhpVersion(const QString& version)
{
    if (!supportedPhpVersions().contains(version))
        return invalid(
            QStringLiteral("invalid_php_version"),
            QCoreApplication::translate("chom::Validation", "PHP %1 is not supported (use %2).")
                .arg(version.left(10), supportedPhpVersions().join(QStringLiteral(", "))));
    return okStatus();
}

Status validateText(const QString& what, const QString& value, int maxLength)
{
    if (value.size() > maxLength)
        return invalid(
            QStringLiteral("invalid_name"),
            QCoreApplication::translate("chom::Validation", "%1 has at most %2 characters.")
                .arg(what)
                .arg(maxLength));
    for (const QChar c : value) {
        const QChar::Category k = c.category();
        if (k == QChar::Other_Control || k == QChar::Other_Format || k == QChar::Separator_Line ||
            k == QChar::Separator_Paragraph)
            return invalid(QStringLiteral("invalid_name"),
                           QCoreApplication::translate("chom::Validation",
                                                       "%1 contains an invisible or control "
                                                       "character (U+%2).")
                               .arg(what)
                               .arg(uint(c.unicode()), 4, 16, QLatin1Char('0')));
    }
    return okStatus();
}

Status validateName(const QString& what, const QString& value, int maxLength)
{
    if (value.trimmed().isEmpty())
        return invalid(
            QStringLiteral("invalid_name"),
            QCoreApplication::translate("chom::Validation", "%1 cannot be empty.").arg(what));
    return validateText(what, value, maxLength);
}

QString siteHome(const QString& domain)
{
    return QStringLiteral("/var/www/sites/") + domain;
}

Result<QString> normalizeDocumentRoot(const QString& domain, const QString& input)
{
    if (input.isEmpty())
        return QString();
    const QString what = QCoreApplication::translate("chom::Validation", "The document root");
    if (auto t = validateText(what, input, 500); !t)
        return makeError(QStringLiteral("invalid_path"), t.error().message);
    const QString home = siteHome(domain);
    const bool normal = input.startsWith(QLatin1Char('/')) && QDir::cleanPath(input) == input;
    if (!normal || (input != home && !input.startsWith(home + QLatin1Char('/'))))
        return invalid(QStringLiteral("invalid_path"),
                       QCoreApplication::translate("chom::Validation",
                                                   "The document root must be an absolute, "
                                                   "normalised path inside %1 (no \".\" or "
                                                   "\"..\" parts), not \"%2\".")
                           .arg(home, input.left(80)));
    return input;
}

} // namespace chom::validation
