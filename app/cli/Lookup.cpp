#include "Lookup.h"

#include "Args.h"
#include "inventory/Core.h"
#include "inventory/Validation.h"

namespace chom::cli {
namespace {

Error notFound(const QString& message)
{
    return makeError(QStringLiteral("not_found"), message);
}

} // namespace

Id numericId(const QString& ref)
{
    bool ok = false;
    const Id id = ref.trimmed().toLongLong(&ok);
    return ok && id > 0 ? id : 0;
}

Result<Tenant> findTenant(Core& core, const QString& ref)
{
    TenantService& repo = core.tenants();
    if (const Id id = numericId(ref))
        return repo.get(id);
    if (ref.trimmed().isEmpty())
        return usageError(QStringLiteral("a tenant ID is required"));
    auto all = repo.list();
    if (!all)
        return all.error();
    QVector<Tenant> matches;
    for (const Tenant& t : all.value()) {
        if (t.slug == ref.trimmed().toLower())
            matches << t;
    }
    if (matches.size() == 1)
        return matches.first();
    if (matches.size() > 1)
        return usageError(QStringLiteral("%1 tenants have the slug \"%2\"; use the ID")
                              .arg(matches.size())
                              .arg(ref));
    return notFound(QStringLiteral("Tenant \"%1\" does not exist.").arg(ref.left(80)));
}

Result<Vps> findVps(Core& core, const QString& ref)
{
    VpsService& repo = core.vps();
    if (const Id id = numericId(ref))
        return repo.get(id);
    const QString host = ref.trimmed().toLower();
    if (host.isEmpty())
        return usageError(QStringLiteral("a VPS ID or host name is required"));
    auto all = repo.list();
    if (!all)
        return all.error();
    for (const Vps& v : all.value()) {
        if (v.hostname == host)
            return v;
    }
    return notFound(QStringLiteral("VPS \"%1\" does not exist.").arg(host.left(80)));
}

Result<Site> findSite(Core& core, const QString& ref)
{
    SiteService& repo = core.sites();
    if (const Id id = numericId(ref))
        return repo.get(id);
    if (ref.trimmed().isEmpty())
        return usageError(QStringLiteral("a site ID or domain is required"));
    auto domain = validation::normalizeDomain(ref);
    if (!domain)
        return notFound(QStringLiteral("Site \"%1\" does not exist.").arg(ref.trimmed().left(80)));
    return repo.byDomain(domain.value());
}

Result<Id> vpsIdFor(Core& core, const QString& ref)
{
    const QString r = ref.trimmed();
    if (r == QLatin1String("0") || r == QLatin1String("none"))
        return Id(0);
    auto v = findVps(core, r);
    if (!v)
        return v.error();
    return v.value().id;
}

} // namespace chom::cli
