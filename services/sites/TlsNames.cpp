#include "TlsNames.h"

#include <QUrl>

namespace chom {
namespace {

// Lower case, no trailing dot, international names in their ASCII (A-label)
// form, as certificates carry them.
QString normalized(const QString& name)
{
    QString n = name.trimmed().toLower();
    if (n.endsWith(QLatin1Char('.')))
        n.chop(1);
    for (const QChar c : std::as_const(n)) {
        if (c.unicode() > 0x7f) {
            const QByteArray ace = QUrl::toAce(n);
            return ace.isEmpty() ? QString() : QString::fromLatin1(ace);
        }
    }
    return n;
}

// A host name a client can ask for: labels non-empty, no wildcard.
bool isPlainHostName(const QString& name)
{
    if (name.isEmpty() || name.contains(QLatin1Char('*')))
        return false;
    const QStringList labels = name.split(QLatin1Char('.'));
    for (const QString& label : labels)
        if (label.isEmpty())
            return false;
    return true;
}

bool wildcardMatches(const QString& domain, const QString& pattern)
{
    const QString suffix = pattern.mid(1); // ".example.com"
    // The rest must be a plain name of two labels or more, so that "*.com"
    // or "*.*.example.com" cover nothing.
    if (!isPlainHostName(suffix.mid(1)) || !suffix.mid(1).contains(QLatin1Char('.')))
        return false;
    if (!domain.endsWith(suffix))
        return false;
    const QString first = domain.left(domain.size() - suffix.size());
    return !first.isEmpty() && !first.contains(QLatin1Char('.'));
}

} // namespace

bool tlsNameMatches(const QString& domain, const QString& pattern)
{
    const QString d = normalized(domain);
    const QString p = normalized(pattern);
    if (!isPlainHostName(d) || p.isEmpty())
        return false;
    if (p.startsWith(QLatin1String("*.")))
        return wildcardMatches(d, p);
    return isPlainHostName(p) && d == p;
}

bool tlsNamesMatch(const QString& domain, const QStringList& patterns)
{
    for (const QString& p : patterns)
        if (tlsNameMatches(domain, p))
            return true;
    return false;
}

} // namespace chom
