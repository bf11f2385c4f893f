#include "DemoCommand.h"

#include "Format.h"
#include "inventory/Core.h"

#include <QJsonObject>

namespace chom::cli {

QString DemoCommand::summary() const
{
    return QStringLiteral("fill an empty store with a realistic demo fleet");
}

QString DemoCommand::usage() const
{
    return QStringLiteral(
        "Usage:\n"
        "  chomctl demo [--sites N] [--seed S]\n"
        "  chomctl --demo [--demo-sites N] [command ...]\n"
        "\n"
        "Creates organizations, tenants of every tier, VPS servers in every status\n"
        "and health, N sites (default 300, up to 1000000) of every type and status\n"
        "with SSL expiries over the next 90 days, backups and operations. Quotas\n"
        "hold by construction; the same seed gives the same fleet. Only an empty\n"
        "store is filled: on a store holding data nothing is changed and chomctl\n"
        "exits 5. With a command after --demo, the command runs on the new fleet.\n");
}

Result<DemoSummary> DemoCommand::fill(Core& core, int sites, quint32 seed)
{
    auto r = DemoData(core.store()).generate(sites, seed);
    if (!r && r.error().code == QLatin1String("not_empty"))
        return makeError(
            r.error().code,
            QStringLiteral("The store %1 already holds data; demo data only fills an "
                           "empty store, nothing was changed (use an empty --data-dir).")
                .arg(core.store().config().path));
    if (r)
        core.dashboard().invalidate();
    return r;
}

void DemoCommand::printSummary(Core& core, const DemoSummary& s, Output& out)
{
    if (out.json()) {
        QJsonObject o = toJson(s);
        o.insert(QStringLiteral("store"), core.store().config().path);
        out.printJson(o);
        return;
    }
    out.printLine(QStringLiteral("Demo fleet created in %1:").arg(core.store().config().path));
    out.printFields({{QStringLiteral("Organizations"), QString::number(s.organizations)},
                     {QStringLiteral("Tenants"), QString::number(s.tenants)},
                     {QStringLiteral("VPS"), QString::number(s.vps)},
                     {QStringLiteral("Sites"), QString::number(s.sites)},
                     {QStringLiteral("Backups"), QString::number(s.backups)},
                     {QStringLiteral("Operations"), QString::number(s.operations)}});
}

int DemoCommand::run(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("sites"), QStringLiteral("seed")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    auto sites = a.integer(QStringLiteral("sites"), kDefaultSites, 1, 1000000);
    if (!sites)
        return fail(out, sites.error());
    auto seed = a.integer(QStringLiteral("seed"), 42, 0, 0xffffffffLL);
    if (!seed)
        return fail(out, seed.error());
    auto r = fill(core, int(sites.value()), quint32(seed.value()));
    if (!r)
        return fail(out, r.error());
    printSummary(core, r.value(), out);
    return ExitOk;
}

} // namespace chom::cli
