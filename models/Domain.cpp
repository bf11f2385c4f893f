#include "Domain.h"

#include <array>

namespace chom {
namespace {

template <typename E, size_t N> QString nameOf(const std::array<const char*, N>& names, E v)
{
    const auto i = static_cast<size_t>(v);
    return i < N ? QString::fromLatin1(names[i]) : QString();
}

template <typename E, size_t N>
std::optional<E> parse(const std::array<const char*, N>& names, const QString& s)
{
    for (size_t i = 0; i < N; ++i) {
        if (s == QLatin1String(names[i]))
            return static_cast<E>(i);
    }
    return std::nullopt;
}

template <size_t N> QStringList listOf(const std::array<const char*, N>& names)
{
    QStringList out;
    for (const char* n : names)
        out << QString::fromLatin1(n);
    return out;
}

constexpr std::array<const char*, 3> kTenantStatus{"active", "suspended", "cancelled"};
constexpr std::array<const char*, 7> kSiteStatus{"creating", "active",    "disabled", "failed",
                                                 "deleting", "restoring", "orphaned"};
constexpr std::array<const char*, 4> kSiteType{"wordpress", "html", "php", "laravel"};
constexpr std::array<const char*, 5> kVpsStatus{"provisioning", "active", "maintenance", "failed",
                                                "decommissioned"};
constexpr std::array<const char*, 4> kVpsHealth{"unknown", "healthy", "degraded", "unhealthy"};
constexpr std::array<const char*, 6> kOpStatus{"pending", "running",   "completed",
                                               "failed",  "cancelled", "interrupted"};
constexpr std::array<const char*, 4> kSslState{"none", "valid", "expiring", "expired"};

} // namespace

QString toString(TenantStatus v)
{
    return nameOf(kTenantStatus, v);
}
QString toString(SiteStatus v)
{
    return nameOf(kSiteStatus, v);
}
QString toString(SiteType v)
{
    return nameOf(kSiteType, v);
}
QString toString(VpsStatus v)
{
    return nameOf(kVpsStatus, v);
}
QString toString(VpsHealth v)
{
    return nameOf(kVpsHealth, v);
}
QString toString(OperationStatus v)
{
    return nameOf(kOpStatus, v);
}
QString toString(SslState v)
{
    return nameOf(kSslState, v);
}

std::optional<TenantStatus> tenantStatusFromString(const QString& s)
{
    return parse<TenantStatus>(kTenantStatus, s);
}
std::optional<SiteStatus> siteStatusFromString(const QString& s)
{
    return parse<SiteStatus>(kSiteStatus, s);
}
std::optional<SiteType> siteTypeFromString(const QString& s)
{
    return parse<SiteType>(kSiteType, s);
}
std::optional<VpsStatus> vpsStatusFromString(const QString& s)
{
    return parse<VpsStatus>(kVpsStatus, s);
}
std::optional<VpsHealth> vpsHealthFromString(const QString& s)
{
    return parse<VpsHealth>(kVpsHealth, s);
}
std::optional<OperationStatus> operationStatusFromString(const QString& s)
{
    return parse<OperationStatus>(kOpStatus, s);
}

QStringList allSiteStatuses()
{
    return listOf(kSiteStatus);
}
QStringList allSiteTypes()
{
    return listOf(kSiteType);
}
QStringList allTenantStatuses()
{
    return listOf(kTenantStatus);
}
QStringList allVpsStatuses()
{
    return listOf(kVpsStatus);
}
QStringList allVpsHealths()
{
    return listOf(kVpsHealth);
}
QStringList supportedPhpVersions()
{
    return {QStringLiteral("8.2"), QStringLiteral("8.3"), QStringLiteral("8.4")};
}

SslState sslState(bool enabled, qint64 expiresAt, qint64 now)
{
    if (!enabled || expiresAt <= 0)
        return SslState::None;
    if (expiresAt <= now)
        return SslState::Expired;
    if (expiresAt - now <= kSslExpiringWindowSecs)
        return SslState::Expiring;
    return SslState::Valid;
}

} // namespace chom
