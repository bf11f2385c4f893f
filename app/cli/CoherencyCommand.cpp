#include "CoherencyCommand.h"

#include "Lookup.h"
#include "inventory/Core.h"
#include "runtime/Runtime.h"
#include "sites/SiteCoherency.h"

#include <QDateTime>

namespace chom::cli {

QString CoherencyCommand::summary() const
{
    return QStringLiteral("Check the sites against their VPS; re-render drifted configs");
}

QString CoherencyCommand::usage() const
{
    return QStringLiteral(
        "Usage:\n"
        "  chomctl coherency [check] [--vps ID|HOST]   ask every active VPS (or one) for its\n"
        "                                              sites and compare with the store\n"
        "  chomctl coherency report                    the last check's findings\n"
        "  chomctl coherency heal --confirm            re-render the configs the last check\n"
        "                                              found drifted or missing\n"
        "\n"
        "Findings: sites missing on their VPS or unknown to the store, sites served\n"
        "while disabled (or not served while active), configs that drifted from their\n"
        "template, missing users and databases, certificates expiring, expired or not\n"
        "matching, and orphan vhosts, pools, users, directories and databases. Only\n"
        "the configs are ever repaired; nothing is deleted.\n"
        "Exit status: 0 when nothing was found and every host answered, 1 otherwise.\n"
        "--json prints the report as one object.");
}

int CoherencyCommand::run(Core& core, const QStringList& args, Output& out)
{
    const QString action = args.value(0);
    if (action.isEmpty() || action.startsWith(QLatin1String("--")))
        return check(core, args, out);
    if (action == QLatin1String("check"))
        return check(core, args.mid(1), out);
    if (action == QLatin1String("report"))
        return report(core, args.mid(1), out);
    if (action == QLatin1String("heal"))
        return heal(core, args.mid(1), out);
    return unknownAction(out, action);
}

int CoherencyCommand::check(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("vps")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    QVector<Id> ids;
    if (a.has(QStringLiteral("vps"))) {
        auto v = findVps(core, a.value(QStringLiteral("vps")));
        if (!v)
            return fail(out, v.error());
        ids << v.value().id;
    }
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto op = session.coherency().startCheck(ids);
    if (!op)
        return fail(out, op.error());
    session.wait(op.value(), out, !out.json());
    auto r = SiteCoherency::report(core.store(), op.value());
    if (!r)
        return fail(out, r.error());
    return print(r.value(), out);
}

int CoherencyCommand::report(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {}, {}, a, out, &code))
        return code;
    auto r = SiteCoherency::latest(core.store());
    if (!r)
        return fail(out, r.error());
    if (!r.value().operationId && !out.json()) {
        out.printLine(QStringLiteral("No coherency check has run yet: chomctl coherency check"));
        return 0;
    }
    return print(r.value(), out);
}

int CoherencyCommand::heal(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {}, {QStringLiteral("confirm")}, a, out, &code))
        return code;
    auto r = SiteCoherency::latest(core.store());
    if (!r)
        return fail(out, r.error());
    QVector<Id> sites;
    QStringList names;
    for (const CoherencyFinding& f : r.value().findings)
        if (f.heal == QLatin1String("render") && f.siteId && !sites.contains(f.siteId)) {
            sites << f.siteId;
            names << f.domain;
        }
    if (sites.isEmpty()) {
        out.printLine(QStringLiteral("Nothing to re-render in the last report."));
        return 0;
    }
    if (!a.has(QStringLiteral("confirm")))
        return out.usage(QStringLiteral("coherency heal re-renders the config of %1 from its "
                                        "template (drop-in includes are kept): confirm with "
                                        "--confirm")
                             .arg(names.join(QStringLiteral(", "))),
                         name());
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    auto ops = opened.value()->coherency().startHeal(sites);
    if (!ops)
        return fail(out, ops.error());
    int failed = 0;
    for (int i = 0; i < ops.value().size(); ++i) {
        const QString status = opened.value()->wait(ops.value().at(i), out, false);
        failed += status != QLatin1String("completed");
        if (!out.json())
            out.printLine(QStringLiteral("%1: re-render %2 (operation #%3)")
                              .arg(names.at(i), status)
                              .arg(ops.value().at(i)));
    }
    return failed ? 1 : 0;
}

int CoherencyCommand::print(const CoherencyReport& r, Output& out)
{
    const int code = r.findings.isEmpty() && r.failures.isEmpty() ? 0 : 1;
    if (out.json()) {
        out.printJson(SiteCoherency::toJson(r));
        return code;
    }
    QVector<QStringList> rows;
    for (const CoherencyFinding& f : r.findings)
        rows << QStringList{f.hostname, f.domain, CoherencyFinding::toString(f.severity), f.kind,
                            f.message};
    if (!rows.isEmpty())
        out.printTable({QStringLiteral("VPS"), QStringLiteral("SITE"), QStringLiteral("SEVERITY"),
                        QStringLiteral("FINDING"), QStringLiteral("DETAIL")},
                       rows);
    for (const QString& f : r.failures)
        out.printLine(QStringLiteral("not checked: %1").arg(f));
    out.printLine(QStringLiteral("Operation #%1 %2: %3 host(s) checked, %4 finding(s), %5 not "
                                 "checked")
                      .arg(r.operationId)
                      .arg(toString(r.status))
                      .arg(r.hostsChecked)
                      .arg(r.findings.size())
                      .arg(r.failures.size()));
    return code;
}

} // namespace chom::cli
