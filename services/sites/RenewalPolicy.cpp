#include "sites/RenewalPolicy.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>

#include <algorithm>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::RenewalPolicy", text);
}

QString when(qint64 secs)
{
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(Qt::ISODate);
}

// A fraction in [0, 1) fixed by the domain name.
double domainFraction(const QString& domain)
{
    const QByteArray h = QCryptographicHash::hash(domain.toUtf8(), QCryptographicHash::Sha256);
    quint32 v = 0;
    for (int i = 0; i < 4; ++i)
        v = (v << 8) | quint8(h.at(i));
    return double(v) / 4294967296.0;
}

} // namespace

qint64 RenewalPolicy::dueAt(const QString& domain, qint64 issuedAt, qint64 expiresAt)
{
    const qint64 lifetime =
        issuedAt > 0 && issuedAt < expiresAt ? expiresAt - issuedAt : kAssumedLifetime;
    const qint64 spread = std::min<qint64>(lifetime / 50, 86400);
    return expiresAt - lifetime / 3 + qint64(domainFraction(domain) * double(spread));
}

qint64 RenewalPolicy::backoff(int failures)
{
    if (failures <= 0)
        return 0;
    qint64 b = kFirstBackoff;
    for (int i = 1; i < failures && b < kMaxBackoff; ++i)
        b *= 2;
    return std::min(b, kMaxBackoff);
}

RenewalDecision RenewalPolicy::decide(const Site& site, bool tenantActive,
                                      const RenewalHistory& history, qint64 now)
{
    using V = RenewalDecision::Verdict;
    if (!site.sslEnabled || site.sslExpiresAt <= 0)
        return {V::Skipped, 0, tr("no certificate recorded")};
    if (!site.vpsId)
        return {V::Skipped, 0, tr("not placed on a VPS")};
    if (!tenantActive)
        return {V::Skipped, 0, tr("the tenant is suspended")};
    if (site.status != SiteStatus::Active)
        return {V::Skipped, 0, tr("the site is %1").arg(chom::toString(site.status))};
    const qint64 due = dueAt(site.domain, site.sslIssuedAt, site.sslExpiresAt);
    if (now < due)
        return {V::Waiting, due, tr("renews from %1").arg(when(due))};
    if (history.failures > 0) {
        const qint64 retryAt = history.lastFailureAt + backoff(history.failures);
        if (now < retryAt)
            return {V::BackingOff, retryAt,
                    QCoreApplication::translate("chom::RenewalPolicy",
                                                "%n failed renewals; next try at %1: %2", nullptr,
                                                history.failures)
                        .arg(when(retryAt), history.lastError)};
    }
    return {V::Due, due, site.sslExpiresAt <= now ? tr("expired") : tr("due")};
}

QString RenewalPolicy::toString(RenewalDecision::Verdict v)
{
    switch (v) {
    case RenewalDecision::Verdict::Due:
        return QStringLiteral("due");
    case RenewalDecision::Verdict::Waiting:
        return QStringLiteral("waiting");
    case RenewalDecision::Verdict::BackingOff:
        return QStringLiteral("backing_off");
    case RenewalDecision::Verdict::Skipped:
        return QStringLiteral("skipped");
    }
    return {};
}

} // namespace chom
