#include "SiteFleetActions.h"

#include "SiteFleetUsage.h"

#include "Lookup.h"
#include "SiteFields.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "runtime/Runtime.h"
#include "sites/SiteOperations.h"
#include "sites/SiteTools.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <QJsonObject>

namespace chom::cli {

namespace {

// The site tools chomctl runs as operations, by action name.
const QHash<QString, SiteTools::Tool>& toolActions()
{
    static const QHash<QString, SiteTools::Tool> tools{
        {QStringLiteral("cache-clear"), SiteTools::Tool::CacheClear},
        {QStringLiteral("db-export"), SiteTools::Tool::DatabaseExport},
        {QStringLiteral("db-optimize"), SiteTools::Tool::DatabaseOptimize},
        {QStringLiteral("render"), SiteTools::Tool::Render},
        {QStringLiteral("ssl-issue"), SiteTools::Tool::SslIssue},
        {QStringLiteral("ssl-renew"), SiteTools::Tool::SslRenew}};
    return tools;
}

} // namespace

bool SiteFleetActions::handles(const QString& action)
{
    static const QStringList actions{
        QStringLiteral("create"),  QStringLiteral("provision"),    QStringLiteral("enable"),
        QStringLiteral("disable"), QStringLiteral("destroy"),      QStringLiteral("info"),
        QStringLiteral("php"),     QStringLiteral("render-check"), QStringLiteral("ssl-status")};
    return actions.contains(action) || toolActions().contains(action);
}

QString SiteFleetActions::usageLines()
{
    return siteFleetUsage();
}

int SiteFleetActions::run(Core& core, const QStringList& args, Output& out)
{
    const QString action = args.value(0);
    if (action == QLatin1String("create"))
        return create(core, args.mid(1), out);
    if (action == QLatin1String("info"))
        return info(core, args.mid(1), out);
    if (action == QLatin1String("render-check"))
        return renderCheck(core, args.mid(1), out);
    if (action == QLatin1String("php") || toolActions().contains(action))
        return tool(core, action, args.mid(1), out);
    if (action == QLatin1String("ssl-status"))
        return sslStatus(core, args.mid(1), out);
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

std::optional<QJsonObject> SiteFleetActions::readOnVps(Core& core, const QStringList& raw,
                                                       const QString& command,
                                                       const QStringList& extra, Site* site,
                                                       Output& out, int* code)
{
    Args a;
    const auto found = targetSite(core, raw, {}, a, out, code);
    if (!found)
        return std::nullopt;
    *site = *found;
    auto vps = findVps(core, QString::number(found->vpsId));
    if (!found->vpsId || !vps) {
        *code = out.usage(QStringLiteral("%1 is not placed on a VPS").arg(found->domain), name());
        return std::nullopt;
    }
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened) {
        *code = fail(out, opened.error());
        return std::nullopt;
    }
    const AgentReply r =
        opened.value()->fleet().callAgent(vps.value(), command, QStringList{found->domain} + extra);
    if (!r.ok()) {
        *code = fail(out, r.error());
        return std::nullopt;
    }
    if (out.json())
        out.printJson(r.data);
    return r.data;
}

int SiteFleetActions::info(Core& core, const QStringList& raw, Output& out)
{
    Site site;
    int code = 0;
    const auto d = readOnVps(core, raw, QStringLiteral("site:info"), {}, &site, out, &code);
    if (!d || out.json())
        return code;
    const QJsonObject& data = *d;
    const auto text = [&](const char* key) {
        const QJsonValue v = data.value(QLatin1String(key));
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

int SiteFleetActions::tool(Core& core, const QString& action, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    const bool php = action == QLatin1String("php");
    const auto found = targetSite(
        core, raw, php ? QStringList{QStringLiteral("php")} : QStringList{}, a, out, &code);
    if (!found)
        return code;
    if (php && !a.has(QStringLiteral("php")))
        return out.usage(QStringLiteral("sites php needs --php, e.g. --php 8.3"), name());
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    SiteTools& tools = session.siteTools();
    const SiteTools::Tool which = toolActions().value(action, SiteTools::Tool::Render);
    Result<Id> op = php ? tools.startSetPhp(found->id, a.value(QStringLiteral("php")))
                        : tools.start(found->id, which);
    if (!op)
        return fail(out, op.error());
    const QString status = session.wait(op.value(), out, !out.json());
    auto steps = core.operations().steps(op.value());
    const QString answer =
        steps && !steps.value().isEmpty() ? steps.value().last().outputJson : QString();
    const QString error =
        steps && !steps.value().isEmpty() ? steps.value().last().error : QString();
    if (out.json()) {
        out.printJson(QJsonObject{
            {QStringLiteral("operation_id"), op.value()},
            {QStringLiteral("operation_status"), status},
            {QStringLiteral("domain"), found->domain},
            {QStringLiteral("result"), QJsonDocument::fromJson(answer.toUtf8()).object()},
            {QStringLiteral("error"), error}});
    } else {
        out.printLine(QStringLiteral("%1: %2 (operation #%3 %4)")
                          .arg(found->domain, action)
                          .arg(op.value())
                          .arg(status));
        if (!answer.isEmpty())
            out.printLine(answer);
    }
    return status == QLatin1String("completed") ? 0 : 1;
}

int SiteFleetActions::renderCheck(Core& core, const QStringList& raw, Output& out)
{
    Site site;
    int code = 0;
    const auto d = readOnVps(core, raw, QStringLiteral("site:render"), {QStringLiteral("--check")},
                             &site, out, &code);
    if (!d)
        return code;
    for (const QJsonValue& f : d->value(QStringLiteral("files")).toArray()) {
        const QJsonObject o = f.toObject();
        if (out.json())
            break;
        out.printLine(QStringLiteral("%1: %2").arg(o.value(QStringLiteral("path")).toString(),
                                                   o.value(QStringLiteral("state")).toString()));
        if (!o.value(QStringLiteral("diff")).toString().isEmpty())
            out.printLine(o.value(QStringLiteral("diff")).toString());
    }
    return d->value(QStringLiteral("drifted")).toInt() ? 4 : 0;
}

int SiteFleetActions::sslStatus(Core& core, const QStringList& raw, Output& out)
{
    Site site;
    int code = 0;
    const auto d = readOnVps(core, raw, QStringLiteral("ssl:status"), {}, &site, out, &code);
    if (!d || out.json())
        return code;
    const QJsonObject& data = *d;
    const Site* found = &site;
    if (!data.value(QStringLiteral("certificate")).toBool()) {
        out.printLine(QStringLiteral("%1: no certificate").arg(found->domain));
        return 0;
    }
    const auto when = [&](const char* key) {
        return QDateTime::fromSecsSinceEpoch(data.value(QLatin1String(key)).toInteger(), Qt::UTC)
            .toString(Qt::ISODate);
    };
    QStringList names;
    for (const QJsonValue& n : data.value(QStringLiteral("names")).toArray())
        names << n.toString();
    out.printFields({{QStringLiteral("Domain"), found->domain},
                     {QStringLiteral("Served over HTTPS"),
                      data.value(QStringLiteral("ssl")).toBool() ? QStringLiteral("yes")
                                                                 : QStringLiteral("no")},
                     {QStringLiteral("Issuer"), data.value(QStringLiteral("issuer")).toString()},
                     {QStringLiteral("Names"), names.join(QStringLiteral(", "))},
                     {QStringLiteral("Valid from"), when("not_before")},
                     {QStringLiteral("Valid until"), when("not_after")},
                     {QStringLiteral("SHA-256"), data.value(QStringLiteral("sha256")).toString()}});
    return 0;
}

} // namespace chom::cli
