#include "TenantsCommand.h"

#include "Format.h"
#include "Lookup.h"
#include "inventory/Core.h"
#include "inventory/QuotaPolicy.h"
#include "sites/TenantSites.h"

#include <QJsonObject>

namespace chom::cli {
namespace {

QStringList tierNames(Core& core)
{
    QStringList names;
    auto tiers = core.tenants().tiers();
    if (tiers) {
        for (const TierLimit& t : tiers.value())
            names << t.tier;
    }
    return names;
}

Fields fieldsOf(const Tenant& t)
{
    return {{QStringLiteral("ID"), QString::number(t.id)},
            {QStringLiteral("Name"), t.name},
            {QStringLiteral("Slug"), t.slug},
            {QStringLiteral("Organization"),
             QStringLiteral("%1 (#%2)").arg(t.organizationName).arg(t.organizationId)},
            {QStringLiteral("Tier"), t.tier},
            {QStringLiteral("Status"), toString(t.status)},
            {QStringLiteral("Sites"), quota::describeSites(t)},
            {QStringLiteral("Storage"), quota::describeStorage(t)},
            {QStringLiteral("Created"), formatTime(t.createdAt)},
            {QStringLiteral("Updated"), formatTime(t.updatedAt)}};
}

} // namespace

QString TenantsCommand::summary() const
{
    return QStringLiteral("list, show, add, update or delete tenants (with their site quota)");
}

std::optional<Tenant> TenantsCommand::targetTenant(Core& core, const QStringList& raw, Output& out,
                                                   int* code)
{
    Args a;
    if (!parse(raw, {}, {}, a, out, code))
        return std::nullopt;
    if (auto st = a.expectPositionals({QStringLiteral("tenant ID")}); !st) {
        *code = fail(out, st.error());
        return std::nullopt;
    }
    auto t = findTenant(core, a.positionals().at(0));
    if (!t) {
        *code = fail(out, t.error());
        return std::nullopt;
    }
    return t.value();
}

int TenantsCommand::runOther(Core& core, const QStringList& raw, Output& out)
{
    const QString action = raw.value(0);
    if (action != QLatin1String("suspend") && action != QLatin1String("activate"))
        return unknownAction(out, action);
    int code = 0;
    const auto t = targetTenant(core, raw.mid(1), out, &code);
    if (!t)
        return code;
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    const TenantStatus to =
        action == QLatin1String("suspend") ? TenantStatus::Suspended : TenantStatus::Active;
    auto op = session.tenantSites().setTenantStatus(t->id, to);
    if (!op)
        return fail(out, op.error());
    const QString status =
        op.value() ? session.wait(op.value(), out, true) : QStringLiteral("completed");
    if (out.json()) {
        out.printJson(QJsonObject{{QStringLiteral("tenant_id"), t->id},
                                  {QStringLiteral("status"), toString(to)},
                                  {QStringLiteral("operation_id"), op.value()},
                                  {QStringLiteral("operation_status"), status}});
    } else {
        out.printLine(QStringLiteral("%1: %2; sites on their VPS: %3")
                          .arg(t->name, toString(to),
                               op.value()
                                   ? QStringLiteral("operation #%1 %2").arg(op.value()).arg(status)
                                   : QStringLiteral("none placed")));
    }
    return status == QLatin1String("completed") ? 0 : 1;
}

QString TenantsCommand::usage() const
{
    return QStringLiteral(
        "Usage:\n"
        "  chomctl tenants list [--status active|suspended|cancelled] [--tier TIER]\n"
        "  chomctl tenants show ID\n"
        "  chomctl tenants add --name NAME [--org ORGANIZATION] [--slug SLUG]\n"
        "                      [--tier starter|pro|enterprise]\n"
        "  chomctl tenants update ID [--name NAME] [--slug SLUG] [--tier TIER]\n"
        "                      [--status active|suspended|cancelled]\n"
        "  chomctl tenants delete ID\n"
        "  chomctl tenants suspend|activate ID  the status, then its placed sites\n"
        "                      disabled or enabled on their VPS (over SSH; waited for)\n"
        "\n"
        "ID is the numeric tenant ID (or a slug that is unique across organizations).\n"
        "--org finds or creates the organization by name (default: the tenant name).\n"
        "Changing --tier is refused when the tenant has more sites or storage than the\n"
        "new tier allows. --status cascades to the sites: suspended disables active\n"
        "sites, cancelled disables all but failed/deleting ones, active re-enables\n"
        "sites disabled by a suspension. delete is refused while the tenant has sites.\n");
}

int TenantsCommand::list(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("status"), QStringLiteral("tier")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    if (a.has(QStringLiteral("status"))) {
        if (auto st = oneOf(QStringLiteral("status"), a.value(QStringLiteral("status")),
                            allTenantStatuses());
            !st)
            return fail(out, st.error());
    }
    auto tenants = core.tenants().list();
    if (!tenants)
        return fail(out, tenants.error());
    if (out.json())
        out.beginJsonArray();
    QVector<QStringList> rows;
    for (const Tenant& t : tenants.value()) {
        if (a.has(QStringLiteral("status")) &&
            toString(t.status) != a.value(QStringLiteral("status")))
            continue;
        if (a.has(QStringLiteral("tier")) && t.tier != a.value(QStringLiteral("tier")))
            continue;
        if (out.json()) {
            out.printJsonItem(toJson(t));
            continue;
        }
        rows << QStringList{QString::number(t.id),    t.name,
                            t.organizationName,       t.tier,
                            toString(t.status),       quota::describeSites(t),
                            quota::describeStorage(t)};
    }
    if (out.json())
        out.endJsonArray();
    else
        out.printTable({QStringLiteral("ID"), QStringLiteral("NAME"),
                        QStringLiteral("ORGANIZATION"), QStringLiteral("TIER"),
                        QStringLiteral("STATUS"), QStringLiteral("SITES"),
                        QStringLiteral("STORAGE")},
                       rows);
    return ExitOk;
}

int TenantsCommand::print(Core& core, Id id, const QString& verb, Output& out)
{
    auto t = core.tenants().get(id);
    if (!t)
        return fail(out, t.error());
    if (out.json()) {
        out.printJson(toJson(t.value()));
        return ExitOk;
    }
    if (!verb.isEmpty())
        out.printLine(
            QStringLiteral("%1 tenant #%2 \"%3\".").arg(verb).arg(id).arg(t.value().name));
    out.printFields(fieldsOf(t.value()));
    return ExitOk;
}

int TenantsCommand::show(Core& core, const QStringList& raw, Output& out)
{
    int code = 0;
    const auto t = targetTenant(core, raw, out, &code);
    if (!t)
        return code;
    return print(core, t->id, QString(), out);
}

int TenantsCommand::add(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw,
               {QStringLiteral("name"), QStringLiteral("org"), QStringLiteral("slug"),
                QStringLiteral("tier")},
               {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    if (!a.has(QStringLiteral("name")))
        return out.usage(QStringLiteral("tenants add needs --name"), name());
    Tenant t;
    t.name = a.value(QStringLiteral("name"));
    t.organizationName = a.value(QStringLiteral("org"));
    t.slug = a.value(QStringLiteral("slug"));
    if (a.has(QStringLiteral("tier"))) {
        t.tier = a.value(QStringLiteral("tier"));
        if (auto st = oneOf(QStringLiteral("tier"), t.tier, tierNames(core)); !st)
            return fail(out, st.error());
    }
    auto id = core.tenants().create(t);
    if (!id)
        return fail(out, id.error());
    return print(core, id.value(), QStringLiteral("Created"), out);
}

int TenantsCommand::update(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    const QStringList fields{QStringLiteral("name"), QStringLiteral("slug"),
                             QStringLiteral("tier")};
    if (!parse(raw, fields + QStringList{QStringLiteral("status")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("tenant ID")}); !st)
        return fail(out, st.error());
    if (!a.anyOf(fields) && !a.has(QStringLiteral("status")))
        return out.usage(QStringLiteral("tenants update needs at least one of --name, --slug, "
                                        "--tier, --status"),
                         name());
    std::optional<TenantStatus> status;
    if (a.has(QStringLiteral("status"))) {
        status = tenantStatusFromString(a.value(QStringLiteral("status")));
        if (!status)
            return fail(out, oneOf(QStringLiteral("status"), a.value(QStringLiteral("status")),
                                   allTenantStatuses())
                                 .error());
    }
    if (a.has(QStringLiteral("tier"))) {
        if (auto st =
                oneOf(QStringLiteral("tier"), a.value(QStringLiteral("tier")), tierNames(core));
            !st)
            return fail(out, st.error());
    }
    auto found = findTenant(core, a.positionals().at(0));
    if (!found)
        return fail(out, found.error());
    Tenant t = found.value();
    if (a.anyOf(fields)) {
        if (a.has(QStringLiteral("name")))
            t.name = a.value(QStringLiteral("name"));
        if (a.has(QStringLiteral("slug")))
            t.slug = a.value(QStringLiteral("slug"));
        if (a.has(QStringLiteral("tier")))
            t.tier = a.value(QStringLiteral("tier"));
        if (auto st = core.tenants().update(t); !st)
            return fail(out, st.error());
    }
    if (status) {
        if (auto st = core.tenants().setStatus(t.id, *status); !st)
            return fail(out, st.error());
    }
    return print(core, t.id, QStringLiteral("Updated"), out);
}

int TenantsCommand::remove(Core& core, const QStringList& raw, Output& out)
{
    QString target;
    int code = 0;
    if (!parseTarget(raw, QStringLiteral("tenant ID"), out, &target, &code))
        return code;
    auto t = findTenant(core, target);
    if (!t)
        return fail(out, t.error());
    if (auto st = core.tenants().remove(t.value().id); !st)
        return fail(out, st.error());
    return reportDeleted(out, QStringLiteral("tenant"), t.value().id, QStringLiteral("name"),
                         QStringLiteral("\"%1\"").arg(t.value().name));
}

} // namespace chom::cli
