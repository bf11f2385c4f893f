#include "SitesCommand.h"

#include "Format.h"
#include "Lookup.h"
#include "SiteFields.h"
#include "inventory/Core.h"

#include <limits>

namespace chom::cli {
namespace {

struct SiteFilter
{
    std::optional<SiteStatus> status;
    std::optional<SiteType> type;
    std::optional<Id> vpsId;
    QString search;
    bool sslExpiring = false;

    bool accepts(const Site& s, qint64 now) const
    {
        return (!status || s.status == *status) && (!type || s.type == *type) &&
               (!vpsId || s.vpsId == *vpsId) &&
               (search.isEmpty() || s.domain.contains(search, Qt::CaseInsensitive)) &&
               (!sslExpiring || sslState(s.sslEnabled, s.sslExpiresAt, now) == SslState::Expiring);
    }
};

Status filterFrom(Core& core, const Args& a, SiteFilter& f)
{
    if (a.has(QStringLiteral("status"))) {
        f.status = siteStatusFromString(a.value(QStringLiteral("status")));
        if (!f.status)
            return oneOf(QStringLiteral("status"), a.value(QStringLiteral("status")),
                         allSiteStatuses());
    }
    if (a.has(QStringLiteral("type"))) {
        f.type = siteTypeFromString(a.value(QStringLiteral("type")));
        if (!f.type)
            return oneOf(QStringLiteral("type"), a.value(QStringLiteral("type")), allSiteTypes());
    }
    if (a.has(QStringLiteral("vps"))) {
        auto v = vpsIdFor(core, a.value(QStringLiteral("vps")));
        if (!v)
            return v.error();
        f.vpsId = v.value();
    }
    f.search = a.value(QStringLiteral("search")).trimmed();
    f.sslExpiring = a.has(QStringLiteral("ssl-expiring"));
    return okStatus();
}

} // namespace

QString SitesCommand::summary() const
{
    return QStringLiteral("list, show, add, update or delete sites (quota and domain rules apply)");
}

QString SitesCommand::usage() const
{
    return QStringLiteral(
               "Usage:\n"
               "  chomctl sites list [--tenant ID] [--status S] [--type T] [--vps ID|HOST|none]\n"
               "                     [--search TEXT] [--ssl-expiring] [--limit N]\n"
               "  chomctl sites show ID|DOMAIN\n"
               "  chomctl sites add --tenant ID --domain DOMAIN [--vps ID|HOST]\n"
               "                    [--type wordpress|html|php|laravel] [--php 8.2|8.3|8.4]\n"
               "                    [--storage-mb N] [--status S] [--ssl-expires WHEN]\n"
               "                    [--document-root PATH]\n"
               "  chomctl sites update ID|DOMAIN [--domain D] [--php V] [--status S]\n"
               "                    [--vps ID|HOST|none] [--tenant ID] [--type T]\n"
               "                    [--storage-mb N] [--ssl-expires WHEN] [--document-root PATH]\n"
               "  chomctl sites delete ID|DOMAIN        an unplaced site's record; a placed\n"
               "                    [--confirm DOMAIN]  one is removed from its VPS first\n"
               "                    [--record-only]     (or only forgotten: the VPS untouched)\n") +
           SiteFleetActions::usageLines() + m_renewals.usage() +
           QStringLiteral(
               "\n"
               "Status: creating (default for add), active, disabled, failed, deleting,\n"
               "restoring, orphaned. WHEN: YYYY-MM-DD, ISO-8601 time, +Nd (N days from now)\n"
               "or none. --ssl-expiring lists certificates expiring within 14 days.\n"
               "Domains are stored lower-case; internationalised names are stored as\n"
               "punycode (xn--...). A domain may exist only once across all tenants; a\n"
               "tenant's tier caps its site count and storage.\n");
}

int SitesCommand::runOther(Core& core, const QStringList& args, Output& out)
{
    if (SiteFleetActions::handles(args.value(0)))
        return m_fleet.run(core, args, out);
    if (args.value(0) == QLatin1String("renewals"))
        return m_renewals.run(core, args, out);
    return unknownAction(out, args.value(0));
}

int SitesCommand::list(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw,
               {QStringLiteral("tenant"), QStringLiteral("status"), QStringLiteral("type"),
                QStringLiteral("vps"), QStringLiteral("search"), QStringLiteral("limit")},
               {QStringLiteral("ssl-expiring")}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    SiteFilter filter;
    if (auto st = filterFrom(core, a, filter); !st)
        return fail(out, st.error());
    auto limit = a.integer(QStringLiteral("limit"), 0, 0, std::numeric_limits<int>::max());
    if (!limit)
        return fail(out, limit.error());
    Id tenantId = 0;
    if (a.has(QStringLiteral("tenant"))) {
        auto t = findTenant(core, a.value(QStringLiteral("tenant")));
        if (!t)
            return fail(out, t.error());
        tenantId = t.value().id;
    }
    auto ctx = SiteContext::load(core);
    if (!ctx)
        return fail(out, ctx.error());
    auto sites = core.sites().list(tenantId);
    if (!sites)
        return fail(out, sites.error());
    if (out.json())
        out.beginJsonArray();
    QVector<QStringList> rows;
    qint64 shown = 0;
    for (const Site& s : sites.value()) {
        if (!filter.accepts(s, ctx.value().now))
            continue;
        if (limit.value() && shown >= limit.value())
            break;
        ++shown;
        if (out.json())
            out.printJsonItem(toJson(s, ctx.value().now));
        else
            rows << siteRow(s, ctx.value());
    }
    if (out.json())
        out.endJsonArray();
    else
        out.printTable(siteHeaders(), rows);
    return ExitOk;
}

int SitesCommand::print(Core& core, Id id, const QString& verb, Output& out)
{
    auto s = core.sites().get(id);
    if (!s)
        return fail(out, s.error());
    auto ctx = SiteContext::load(core);
    if (!ctx)
        return fail(out, ctx.error());
    if (out.json()) {
        out.printJson(toJson(s.value(), ctx.value().now));
        return ExitOk;
    }
    if (!verb.isEmpty())
        out.printLine(QStringLiteral("%1 site #%2 %3.").arg(verb).arg(id).arg(s.value().domain));
    out.printFields(siteFields(s.value(), ctx.value()));
    return ExitOk;
}

int SitesCommand::show(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("site ID or domain")}); !st)
        return fail(out, st.error());
    auto s = findSite(core, a.positionals().at(0));
    if (!s)
        return fail(out, s.error());
    return print(core, s.value().id, QString(), out);
}

int SitesCommand::add(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, siteEditOptions(), {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    if (!a.has(QStringLiteral("tenant")) || !a.has(QStringLiteral("domain")))
        return out.usage(QStringLiteral("sites add needs --tenant and --domain"), name());
    Site s;
    std::optional<SiteStatus> status;
    if (auto st = applySiteOptions(core, a, nowSecs(), s, &status); !st)
        return fail(out, st.error());
    if (status)
        s.status = *status;
    auto id = core.sites().create(s);
    if (!id)
        return fail(out, id.error());
    return print(core, id.value(), QStringLiteral("Created"), out);
}

int SitesCommand::update(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    const QStringList options = siteEditOptions();
    if (!parse(raw, options, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("site ID or domain")}); !st)
        return fail(out, st.error());
    if (!a.anyOf(options))
        return out.usage(QStringLiteral("sites update needs at least one option to change"),
                         name());
    auto found = findSite(core, a.positionals().at(0));
    if (!found)
        return fail(out, found.error());
    Site s = found.value();
    std::optional<SiteStatus> status;
    if (auto st = applySiteOptions(core, a, nowSecs(), s, &status); !st)
        return fail(out, st.error());
    QStringList fields = options;
    fields.removeAll(QStringLiteral("status"));
    if (a.anyOf(fields)) {
        if (auto st = core.sites().update(s); !st)
            return fail(out, st.error());
    }
    if (status) {
        if (auto st = core.sites().setStatus(s.id, *status); !st)
            return fail(out, st.error());
    }
    return print(core, s.id, QStringLiteral("Updated"), out);
}

// A placed site is removed from its VPS (confirmed by its domain), or only
// forgotten with --record-only; never silently left running on its server.
int SitesCommand::remove(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("confirm")}, {QStringLiteral("record-only")}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("site ID or domain")}); !st)
        return fail(out, st.error());
    auto s = findSite(core, a.positionals().at(0));
    if (!s)
        return fail(out, s.error());
    if (s.value().vpsId && !a.has(QStringLiteral("record-only"))) {
        if (a.value(QStringLiteral("confirm")) == s.value().domain)
            return m_fleet.run(core,
                               {QStringLiteral("destroy"), QString::number(s.value().id),
                                QStringLiteral("--confirm"), s.value().domain},
                               out);
        return out.usage(QStringLiteral("%1 is placed on a VPS: --confirm %1 removes its files, "
                                        "user and database from the VPS and then the record; "
                                        "--record-only forgets the record and leaves the VPS "
                                        "as it is")
                             .arg(s.value().domain),
                         name());
    }
    if (auto st = core.sites().remove(s.value().id); !st)
        return fail(out, st.error());
    return reportDeleted(out, QStringLiteral("site"), s.value().id, QStringLiteral("domain"),
                         s.value().domain);
}

} // namespace chom::cli
