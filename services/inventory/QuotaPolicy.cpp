#include "inventory/QuotaPolicy.h"

#include <QCoreApplication>

namespace chom::quota {

Status canAddSites(const Tenant& t, int count)
{
    if (t.maxSites == kUnlimited || t.siteCount + count <= t.maxSites)
        return okStatus();
    return makeError(QStringLiteral("quota_exceeded"),
                     QCoreApplication::translate(
                         "chom::QuotaPolicy",
                         "Site quota exceeded: tenant \"%1\" has %2 of %3 sites allowed by the "
                         "%4 tier; upgrade the tier or remove a site.")
                         .arg(t.name)
                         .arg(t.siteCount)
                         .arg(t.maxSites)
                         .arg(t.tier));
}

Status canUseStorage(const Tenant& t, qint64 additionalMb)
{
    if (t.maxStorageGb == kUnlimited || additionalMb <= 0)
        return okStatus();
    const qint64 limitMb = qint64(t.maxStorageGb) * 1024;
    if (t.storageUsedMb + additionalMb <= limitMb)
        return okStatus();
    return makeError(QStringLiteral("quota_exceeded"),
                     QCoreApplication::translate(
                         "chom::QuotaPolicy",
                         "Storage quota exceeded: tenant \"%1\" would use %2 MB of %3 MB allowed "
                         "by the %4 tier.")
                         .arg(t.name)
                         .arg(t.storageUsedMb + additionalMb)
                         .arg(limitMb)
                         .arg(t.tier));
}

Status canMoveToTier(const Tenant& t, const TierLimit& target)
{
    Tenant probe = t;
    probe.tier = target.tier;
    probe.maxSites = target.maxSites;
    probe.maxStorageGb = target.maxStorageGb;
    if (target.maxSites != kUnlimited && t.siteCount > target.maxSites)
        return makeError(QStringLiteral("quota_exceeded"),
                         QCoreApplication::translate(
                             "chom::QuotaPolicy",
                             "Site quota: tenant \"%1\" has %2 sites; the %3 tier allows %4.")
                             .arg(t.name)
                             .arg(t.siteCount)
                             .arg(target.tier)
                             .arg(target.maxSites));
    if (target.maxStorageGb != kUnlimited && t.storageUsedMb > qint64(target.maxStorageGb) * 1024)
        return makeError(QStringLiteral("quota_exceeded"),
                         QCoreApplication::translate(
                             "chom::QuotaPolicy",
                             "Storage quota: tenant \"%1\" uses %2 MB; the %3 tier allows %4 GB.")
                             .arg(t.name)
                             .arg(t.storageUsedMb)
                             .arg(target.tier)
                             .arg(target.maxStorageGb));
    return okStatus();
}

QString describeSites(const Tenant& t)
{
    return QStringLiteral("%1 / %2")
        .arg(t.siteCount)
        .arg(t.maxSites == kUnlimited ? QStringLiteral("unlimited") : QString::number(t.maxSites));
}

QString describeStorage(const Tenant& t)
{
    const QString used = QString::number(double(t.storageUsedMb) / 1024.0, 'f', 1);
    return QStringLiteral("%1 / %2 GB")
        .arg(used, t.maxStorageGb == kUnlimited ? QStringLiteral("unlimited")
                                                : QString::number(t.maxStorageGb));
}

} // namespace chom::quota
