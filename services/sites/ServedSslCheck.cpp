#include "sites/ServedSslCheck.h"

#include "sites/RenewalPolicy.h"

#include <QDateTime>

namespace chom {
namespace {

QString day(const QDateTime& t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
}

} // namespace

ServedSslCheck::ServedSslCheck(QObject* parent) : QObject(parent) {}

void ServedSslCheck::check(const QVector<Target>& targets)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QVector<TlsTarget> batch;
    QVector<Site> sites;
    for (const Target& t : targets) {
        const auto it = m_checked.constFind(t.site.id);
        if (t.host.isEmpty() || (it != m_checked.constEnd() && now - it.value() < m_ttl))
            continue;
        m_checked.insert(t.site.id, now);
        batch.push_back({t.site.domain, t.host, m_port});
        sites << t.site;
    }
    if (batch.isEmpty())
        return;
    m_probe.probe(batch, [this, sites](const QVector<ServedCertificate>& results) {
        const qint64 at = QDateTime::currentSecsSinceEpoch();
        for (int i = 0; i < results.size() && i < sites.size(); ++i) {
            ServedSsl v = verdict(sites.at(i), results.at(i), at);
            v.checkedAt = at;
            Q_EMIT served(sites.at(i).id, v);
        }
    });
}

ServedSsl ServedSslCheck::verdict(const Site& site, const ServedCertificate& c, qint64 now)
{
    if (!c.reachable)
        return {QStringLiteral("unreachable"),
                tr("No certificate could be read from %1: %2").arg(c.address, c.error)};
    const QString facts =
        tr("Served by %1: issued by %2 for %3, valid until %4.")
            .arg(c.address, c.issuer, c.names.join(QStringLiteral(", ")), day(c.notAfter));
    const qint64 to = c.notAfter.toSecsSinceEpoch();
    if (!c.namesMatch)
        return {QStringLiteral("mismatch"),
                tr("The server does not serve a certificate for %1. ").arg(site.domain) + facts};
    if (to <= now)
        return {QStringLiteral("expired"), facts};
    if (!c.trusted)
        return {QStringLiteral("untrusted"),
                tr("The certificate does not verify (%1). ")
                        .arg(c.trustErrors.join(QStringLiteral("; "))) +
                    facts};
    if (site.sslExpiresAt > 0 && qAbs(site.sslExpiresAt - to) > 60)
        return {QStringLiteral("differs"),
                tr("Not the certificate the store records (which expires on %1). ")
                        .arg(day(QDateTime::fromSecsSinceEpoch(site.sslExpiresAt))) +
                    facts};
    if (RenewalPolicy::dueAt(site.domain, c.notBefore.toSecsSinceEpoch(), to) <= now)
        return {QStringLiteral("expiring"), facts};
    return {QStringLiteral("valid"), facts};
}

} // namespace chom
