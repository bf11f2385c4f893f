#include "SiteFields.h"

#include "Command.h"
#include "Format.h"
#include "Lookup.h"
#include "inventory/Core.h"

#include <QUrl>

namespace chom::cli {

Result<SiteContext> SiteContext::load(Core& core)
{
    SiteContext ctx;
    ctx.now = nowSecs();
    auto tenants = core.tenants().list();
    if (!tenants)
        return tenants.error();
    for (const Tenant& t : tenants.value())
        ctx.tenantNames.insert(t.id, t.name);
    auto vps = core.vps().list();
    if (!vps)
        return vps.error();
    for (const Vps& v : vps.value())
        ctx.vpsNames.insert(v.id, v.hostname);
    return ctx;
}

QString SiteContext::tenantName(Id id) const
{
    return tenantNames.value(id, QStringLiteral("#%1").arg(id));
}

QString SiteContext::vpsName(Id id) const
{
    if (!id)
        return QStringLiteral("-");
    return vpsNames.value(id, QStringLiteral("#%1").arg(id));
}

QStringList siteEditOptions()
{
    return {QStringLiteral("tenant"),       QStringLiteral("domain"),
            QStringLiteral("vps"),          QStringLiteral("type"),
            QStringLiteral("php"),          QStringLiteral("status"),
            QStringLiteral("storage-mb"),   QStringLiteral("ssl-expires"),
            QStringLiteral("document-root")};
}

Status applySiteOptions(Core& core, const Args& a, qint64 now, Site& s,
                        std::optional<SiteStatus>* status)
{
    if (a.has(QStringLiteral("type"))) {
        const auto type = siteTypeFromString(a.value(QStringLiteral("type")));
        if (!type)
            return oneOf(QStringLiteral("type"), a.value(QStringLiteral("type")), allSiteTypes());
        s.type = *type;
    }
    if (a.has(QStringLiteral("status"))) {
        const auto st = siteStatusFromString(a.value(QStringLiteral("status")));
        if (!st)
            return oneOf(QStringLiteral("status"), a.value(QStringLiteral("status")),
                         allSiteStatuses());
        *status = *st;
    }
    auto storage = a.integer(QStringLiteral("storage-mb"), s.storageUsedMb, 0, qint64(1) << 40);
    if (!storage)
        return storage.error();
    s.storageUsedMb = storage.value();
    if (a.has(QStringLiteral("ssl-expires"))) {
        auto when = parseWhen(a.value(QStringLiteral("ssl-expires")), now);
        if (!when)
            return when.error();
        s.sslEnabled = when.value() > 0;
        s.sslExpiresAt = when.value();
    }
    if (a.has(QStringLiteral("domain")))
        s.domain = a.value(QStringLiteral("domain"));
    if (a.has(QStringLiteral("php")))
        s.phpVersion = a.value(QStringLiteral("php"));
    if (a.has(QStringLiteral("document-root")))
        s.documentRoot = a.value(QStringLiteral("document-root"));
    if (a.has(QStringLiteral("tenant"))) {
        auto t = findTenant(core, a.value(QStringLiteral("tenant")));
        if (!t)
            return t.error();
        s.tenantId = t.value().id;
    }
    if (a.has(QStringLiteral("vps"))) {
        auto v = vpsIdFor(core, a.value(QStringLiteral("vps")));
        if (!v)
            return v.error();
        s.vpsId = v.value();
    }
    return okStatus();
}

QString displayDomain(const QString& stored)
{
    const QString unicode = QUrl::fromAce(stored.toLatin1());
    return unicode == stored ? stored : QStringLiteral("%1 (%2)").arg(stored, unicode);
}

QStringList siteHeaders()
{
    return {QStringLiteral("ID"),     QStringLiteral("DOMAIN"), QStringLiteral("TENANT"),
            QStringLiteral("VPS"),    QStringLiteral("TYPE"),   QStringLiteral("PHP"),
            QStringLiteral("STATUS"), QStringLiteral("SSL"),    QStringLiteral("STORAGE")};
}

QStringList siteRow(const Site& s, const SiteContext& ctx)
{
    return {
        QString::number(s.id),    s.domain,     ctx.tenantName(s.tenantId), ctx.vpsName(s.vpsId),
        toString(s.type),         s.phpVersion, toString(s.status),         sslSummary(s, ctx.now),
        formatMb(s.storageUsedMb)};
}

Fields siteFields(const Site& s, const SiteContext& ctx)
{
    Fields f{{QStringLiteral("ID"), QString::number(s.id)},
             {QStringLiteral("Domain"), displayDomain(s.domain)},
             {QStringLiteral("URL"),
              (s.sslEnabled ? QStringLiteral("https://") : QStringLiteral("http://")) + s.domain},
             {QStringLiteral("Tenant"),
              QStringLiteral("%1 (#%2)").arg(ctx.tenantName(s.tenantId)).arg(s.tenantId)},
             {QStringLiteral("VPS"),
              s.vpsId ? QStringLiteral("%1 (#%2)").arg(ctx.vpsName(s.vpsId)).arg(s.vpsId)
                      : QStringLiteral("not placed")},
             {QStringLiteral("Type"), toString(s.type)},
             {QStringLiteral("PHP"), s.phpVersion},
             {QStringLiteral("Status"), toString(s.status)},
             {QStringLiteral("SSL"), sslSummary(s, ctx.now)},
             {QStringLiteral("Storage"), formatMb(s.storageUsedMb)},
             {QStringLiteral("Document root"),
              s.documentRoot.isEmpty() ? QStringLiteral("-") : s.documentRoot}};
    if (!s.failureReason.isEmpty())
        f << qMakePair(
            QStringLiteral("Failure"),
            QStringLiteral("%1 (attempt %2)").arg(s.failureReason).arg(s.provisionAttempts));
    f << qMakePair(QStringLiteral("Created"), formatTime(s.createdAt))
      << qMakePair(QStringLiteral("Updated"), formatTime(s.updatedAt));
    return f;
}

} // namespace chom::cli
