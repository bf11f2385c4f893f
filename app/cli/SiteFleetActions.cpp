#include "SiteFleetActions.h"

#include "Lookup.h"
#include "SiteFields.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "runtime/Runtime.h"
#include "sites/SiteOperations.h"

#include <QJsonObject>

namespace chom::cli {

bool SiteFleetActions::handles(const QString& action)
{
    static const QStringList actions{QStringLiteral("create"),  QStringLiteral("provision"),
                                     QStringLiteral("enable"),  QStringLiteral("disable"),
                                     QStringLiteral("destroy"), QStringLiteral("info")};
    return actions.contains(action);
}

QString SiteFleetActions::usageLines()
{
    return QStringLiteral(
        "On the site's VPS (over SSH, as journaled operations; waited for):\n"
        "  chomctl sites create --tenant ID|NAME --domain D --type html|php [--php 8.2]\n"
        "                       [--vps ID|HOSTNAME]\n"
        "                                        record the site (quota, uniqueness) and\n"
        "                                        provision it: placed on the least-loaded\n"
        "                                        healthy VPS unless --vps, created there,\n"
        "                                        verified over HTTP\n"
        "  chomctl sites provision ID|DOMAIN     provision again (a failed site, a re-render)\n"
        "  chomctl sites info ID|DOMAIN          what its VPS says: registry entry, disk\n"
        "                                        usage, whether nginx serves it\n"
        "  chomctl sites enable ID|DOMAIN        serve it again\n"
        "  chomctl sites disable ID|DOMAIN       stop serving it (files stay)\n"
        "  chomctl sites destroy ID|DOMAIN --confirm DOMAIN\n"
        "                                        remove it from its VPS (files, user,\n"
        "                                        config) and from the inventory\n");
}

int SiteFleetActions::run(Core& core, const QStringList& args, Output& out)
{
    const QString action = args.value(0);
    if (action == QLatin1String("create"))
        return create(core, args.mid(1), out);
    if (action == QLatin1String("info"))
        return info(core, args.mid(1), out);
    if (handles(action))
        return onSite(core, action, args.mid(1), out);
    return unknownAction(out, action);
}

int SiteFleetActions::finish(Core& core, FleetSession& session, Id siteId, Id operationId,
                             Output& out)
{
    const QString status = session.wait(operationId, out, true);
    auto s = core.sites().get(siteId);
    if (out.json()) {
        QJsonObject o{{QStringLiteral("operation_id"), operationId},
                      {QStringLiteral("operation_status"), status},
                      {QStringLiteral("site_id"), siteId}};
        if (s) {
            o.insert(QStringLiteral("domain"), s.value().domain);
            o.insert(QStringLiteral("status"), toString(s.value().status));
            o.insert(QStringLiteral("vps_id"), s.value().vpsId);
            o.insert(QStringLiteral("failure_reason"), s.value().failureReason);
            o.insert(QStringLiteral("provision_attempts"), s.value().provisionAttempts);
        }
        out.printJson(o);
    } else if (s) {
        out.printLine(QStringLiteral("%1: %2 (operation #%3 %4)%5")
                          .arg(s.value().domain, toString(s.value().status))
                          .arg(operationId)
                          .arg(status)
                          .arg(s.value().failureReason.isEmpty()
                                   ? QString()
                                   : QStringLiteral(": ") + s.value().failureReason));
    } else {
        out.printLine(QStringLiteral("Site #%1 removed (operation #%2 %3)")
                          .arg(siteId)
                          .arg(operationId)
                          .arg(status));
    }
    return status == QLatin1String("completed") ? 0 : 1;
}

int SiteFleetActions::create(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw,
               {QStringLiteral("tenant"), QStringLiteral("domain"), QStringLiteral("type"),
                QStringLiteral("php"), QStringLiteral("vps")},
               {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    if (!a.has(QStringLiteral("tenant")) || !a.has(QStringLiteral("domain")) ||
        !a.has(QStringLiteral("type")))
        return out.usage(QStringLiteral("sites create needs --tenant, --domain and --type"),
                         name());
    Site s;
    std::optional<SiteStatus> unused;
    if (auto st = applySiteOptions(core, a, nowSecs(), s, &unused); !st)
        return fail(out, st.error());
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto started = session.sites().startCreate(s);
    if (!started)
        return fail(out, started.error());
    if (!out.json())
        out.printLine(QStringLiteral("Provisioning %1, operation #%2")
                          .arg(s.domain)
                          .arg(started.value().operationId));
    return finish(core, session, started.value().siteId, started.value().operationId, out);
}

std::optional<Site> SiteFleetActions::targetSite(Core& core, const QStringList& raw,
                                                 const QStringList& options, Args& a, Output& out,
                                                 int* code) const
{
    if (!parse(raw, options, {}, a, out, code))
        return std::nullopt;
    if (auto st = a.expectPositionals({QStringLiteral("site ID or domain")}); !st) {
        *code = fail(out, st.error());
        return std::nullopt;
    }
    auto found = findSite(core, a.positionals().at(0));
    if (!found) {
        *code = fail(out, found.error());
        return std::nullopt;
    }
    return found.value();
}

int SiteFleetActions::info(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    const auto found = targetSite(core, raw, {}, a, out, &code);
    if (!found)
        return code;
    auto vps = findVps(core, QString::number(found->vpsId));
    if (!found->vpsId || !vps)
        return out.usage(QStringLiteral("%1 is not placed on a VPS").arg(found->domain), name());
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    const AgentReply r = opened.value()->fleet().callAgent(vps.value(), QStringLiteral("site:info"),
                                                           {found->domain});
    if (!r.ok())
        return fail(out, r.error());
    if (out.json()) {
        out.printJson(r.data);
        return 0;
    }
    const auto text = [&](const char* key) {
        const QJsonValue v = r.data.value(QLatin1String(key));
        return v.isNull() || v.isUndefined() ? QStringLiteral("-") : v.toVariant().toString();
    };
    out.printFields({{QStringLiteral("Domain"), text("domain")},
                     {QStringLiteral("Type"), text("type")},
                     {QStringLiteral("PHP"), text("php_version")},
                     {QStringLiteral("User"), text("user")},
                     {QStringLiteral("Site root"), text("site_root")},
                     {QStringLiteral("Enabled"), text("enabled")},
                     {QStringLiteral("Served by nginx"), text("vhost_enabled")},
                     {QStringLiteral("Disk usage (MiB)"), text("disk_usage_mb")}});
    return 0;
}

int SiteFleetActions::onSite(Core& core, const QString& action, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    const QStringList options =
        action == QLatin1String("destroy") ? QStringList{QStringLiteral("confirm")} : QStringList{};
    const auto found = targetSite(core, raw, options, a, out, &code);
    if (!found)
        return code;
    const Site site = *found;
    if (action == QLatin1String("destroy") && a.value(QStringLiteral("confirm")) != site.domain)
        return out.usage(QStringLiteral("sites destroy removes %1's files, user and database "
                                        "from its VPS: confirm with --confirm %1")
                             .arg(site.domain),
                         name());
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    SiteOperations& ops = session.sites();
    Result<Id> op = action == QLatin1String("provision") ? ops.startProvision(site.id)
                    : action == QLatin1String("enable")  ? ops.startSetEnabled(site.id, true)
                    : action == QLatin1String("disable") ? ops.startSetEnabled(site.id, false)
                                                         : ops.startDelete(site.id);
    if (!op)
        return fail(out, op.error());
    return finish(core, session, site.id, op.value(), out);
}

} // namespace chom::cli
