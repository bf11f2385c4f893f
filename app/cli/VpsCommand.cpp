#include "VpsCommand.h"

#include "Format.h"
#include "Lookup.h"
#include "inventory/Core.h"
#include "inventory/Validation.h"

namespace chom::cli {
namespace {

const QStringList kEditOptions{QStringLiteral("hostname"), QStringLiteral("ip"),
                               QStringLiteral("port"),     QStringLiteral("user"),
                               QStringLiteral("provider"), QStringLiteral("region"),
                               QStringLiteral("cpu"),      QStringLiteral("memory-mb"),
                               QStringLiteral("disk-gb"),  QStringLiteral("status")};

// Copies the given options onto `v`. Range rules stay with VpsService; only
// what cannot be represented (non-numbers, unknown words) is rejected here.
Status applyOptions(const Args& a, Vps& v)
{
    if (a.has(QStringLiteral("hostname")))
        v.hostname = a.value(QStringLiteral("hostname"));
    if (a.has(QStringLiteral("ip")))
        v.ipAddress = a.value(QStringLiteral("ip"));
    if (a.has(QStringLiteral("port"))) {
        const QString port = a.value(QStringLiteral("port"));
        if (auto st = validation::validatePortText(port); !st)
            return st;
        v.sshPort = port.trimmed().toInt();
    }
    if (a.has(QStringLiteral("user")))
        v.sshUser = a.value(QStringLiteral("user"));
    if (a.has(QStringLiteral("provider")))
        v.provider = a.value(QStringLiteral("provider"));
    if (a.has(QStringLiteral("region")))
        v.region = a.value(QStringLiteral("region"));
    struct Spec
    {
        const char* option;
        int* field;
    };
    for (const Spec& s : {Spec{"cpu", &v.specCpu}, Spec{"memory-mb", &v.specMemoryMb},
                          Spec{"disk-gb", &v.specDiskGb}}) {
        auto n = a.integer(QLatin1String(s.option), *s.field, 0, 1 << 30);
        if (!n)
            return n.error();
        *s.field = int(n.value());
    }
    if (a.has(QStringLiteral("status"))) {
        const auto st = vpsStatusFromString(a.value(QStringLiteral("status")));
        if (!st)
            return oneOf(QStringLiteral("status"), a.value(QStringLiteral("status")),
                         allVpsStatuses());
        v.status = *st;
    }
    return okStatus();
}

Fields fieldsOf(const Vps& v)
{
    return {
        {QStringLiteral("ID"), QString::number(v.id)},
        {QStringLiteral("Hostname"), v.hostname},
        {QStringLiteral("SSH"),
         QStringLiteral("%1@%2:%3").arg(v.sshUser, v.ipAddress).arg(v.sshPort)},
        {QStringLiteral("Provider"), v.provider},
        {QStringLiteral("Region"), v.region.isEmpty() ? QStringLiteral("-") : v.region},
        {QStringLiteral("Spec"), QStringLiteral("%1 CPU, %2 MB RAM, %3 GB disk")
                                     .arg(v.specCpu)
                                     .arg(v.specMemoryMb)
                                     .arg(v.specDiskGb)},
        {QStringLiteral("Status"), toString(v.status)},
        {QStringLiteral("Health"),
         v.healthError.isEmpty()
             ? toString(v.health)
             : toString(v.health) + QStringLiteral(" (") + v.healthError + QLatin1Char(')')},
        {QStringLiteral("Last check"), formatTime(v.lastHealthCheckAt)},
        {QStringLiteral("Agent"), v.agentVersion.isEmpty() ? QStringLiteral("-") : v.agentVersion},
        {QStringLiteral("Sites"), QString::number(v.siteCount)},
        {QStringLiteral("Created"), formatTime(v.createdAt)},
        {QStringLiteral("Updated"), formatTime(v.updatedAt)}};
}

} // namespace

QString VpsCommand::summary() const
{
    return QStringLiteral("list, show, add, update or delete VPS servers; test, bootstrap, "
                          "health, sweep, diag, trust over SSH");
}

QString VpsCommand::usage() const
{
    return QStringLiteral(
               "Usage:\n"
               "  chomctl vps list [--status S] [--health H]\n"
               "  chomctl vps show ID|HOSTNAME\n"
               "  chomctl vps add --hostname HOST --ip IP [--port 22] [--user root]\n"
               "                  [--provider P] [--region R] [--cpu N] [--memory-mb N]\n"
               "                  [--disk-gb N] [--status S]\n"
               "  chomctl vps update ID|HOSTNAME [same options as add]\n"
               "  chomctl vps delete ID|HOSTNAME\n") +
           VpsFleetActions::usageLines() +
           QStringLiteral(
               "\n"
               "Status: provisioning (default for add), active, maintenance, failed,\n"
               "decommissioned. Health: unknown, healthy, degraded, unhealthy.\n"
               "Rules: RFC 1123 host name (unique), IPv4 or IPv6 address, port 1-65535,\n"
               "1-128 CPUs, 512-524288 MB memory, 10-10000 GB disk.\n"
               "delete is refused while the VPS hosts sites.\n");
}

int VpsCommand::runOther(Core& core, const QStringList& args, Output& out)
{
    if (VpsFleetActions::handles(args.value(0)))
        return m_fleet.run(core, args, out);
    return unknownAction(out, args.value(0));
}

int VpsCommand::list(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("status"), QStringLiteral("health")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    const QString status = a.value(QStringLiteral("status"));
    const QString health = a.value(QStringLiteral("health"));
    if (a.has(QStringLiteral("status")))
        if (auto st = oneOf(QStringLiteral("status"), status, allVpsStatuses()); !st)
            return fail(out, st.error());
    if (a.has(QStringLiteral("health")))
        if (auto st = oneOf(QStringLiteral("health"), health, allVpsHealths()); !st)
            return fail(out, st.error());
    auto all = core.vps().list();
    if (!all)
        return fail(out, all.error());
    if (out.json())
        out.beginJsonArray();
    QVector<QStringList> rows;
    for (const Vps& v : all.value()) {
        if ((!status.isEmpty() && toString(v.status) != status) ||
            (!health.isEmpty() && toString(v.health) != health))
            continue;
        if (out.json()) {
            out.printJsonItem(toJson(v));
            continue;
        }
        rows << QStringList{QString::number(v.id),
                            v.hostname,
                            QStringLiteral("%1:%2").arg(v.ipAddress).arg(v.sshPort),
                            v.provider,
                            v.region,
                            QStringLiteral("%1c/%2G/%3G")
                                .arg(v.specCpu)
                                .arg(v.specMemoryMb / 1024)
                                .arg(v.specDiskGb),
                            toString(v.status),
                            toString(v.health),
                            QString::number(v.siteCount)};
    }
    if (out.json())
        out.endJsonArray();
    else
        out.printTable({QStringLiteral("ID"), QStringLiteral("HOSTNAME"), QStringLiteral("ADDRESS"),
                        QStringLiteral("PROVIDER"), QStringLiteral("REGION"),
                        QStringLiteral("SPEC"), QStringLiteral("STATUS"), QStringLiteral("HEALTH"),
                        QStringLiteral("SITES")},
                       rows);
    return ExitOk;
}

int VpsCommand::print(Core& core, Id id, const QString& verb, Output& out)
{
    auto v = findVps(core, QString::number(id));
    if (!v)
        return fail(out, v.error());
    if (out.json()) {
        out.printJson(toJson(v.value()));
        return ExitOk;
    }
    if (!verb.isEmpty())
        out.printLine(QStringLiteral("%1 VPS #%2 %3.").arg(verb).arg(id).arg(v.value().hostname));
    out.printFields(fieldsOf(v.value()));
    return ExitOk;
}

int VpsCommand::show(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("VPS ID or host name")}); !st)
        return fail(out, st.error());
    auto v = findVps(core, a.positionals().at(0));
    if (!v)
        return fail(out, v.error());
    return print(core, v.value().id, QString(), out);
}

int VpsCommand::add(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, kEditOptions, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    if (!a.has(QStringLiteral("hostname")) || !a.has(QStringLiteral("ip")))
        return out.usage(QStringLiteral("vps add needs --hostname and --ip"), name());
    Vps v;
    if (auto st = applyOptions(a, v); !st)
        return fail(out, st.error());
    auto id = core.vps().create(v);
    if (!id)
        return fail(out, id.error());
    return print(core, id.value(), QStringLiteral("Created"), out);
}

int VpsCommand::update(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, kEditOptions, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("VPS ID or host name")}); !st)
        return fail(out, st.error());
    if (!a.anyOf(kEditOptions))
        return out.usage(QStringLiteral("vps update needs at least one option to change"), name());
    auto found = findVps(core, a.positionals().at(0));
    if (!found)
        return fail(out, found.error());
    Vps v = found.value();
    if (auto st = applyOptions(a, v); !st)
        return fail(out, st.error());
    if (auto st = core.vps().update(v); !st)
        return fail(out, st.error());
    return print(core, v.id, QStringLiteral("Updated"), out);
}

int VpsCommand::remove(Core& core, const QStringList& raw, Output& out)
{
    QString target;
    int code = 0;
    if (!parseTarget(raw, QStringLiteral("VPS ID or host name"), out, &target, &code))
        return code;
    auto v = findVps(core, target);
    if (!v)
        return fail(out, v.error());
    if (auto st = core.vps().remove(v.value().id); !st)
        return fail(out, st.error());
    return reportDeleted(out, QStringLiteral("vps"), v.value().id, QStringLiteral("hostname"),
                         v.value().hostname);
}

} // namespace chom::cli
