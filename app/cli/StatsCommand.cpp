#include "StatsCommand.h"

#include "Format.h"
#include "Lookup.h"
#include "inventory/Core.h"

namespace chom::cli {

QString StatsCommand::summary() const
{
    return QStringLiteral(
        "dashboard figures: sites per status, VPS health, SSL expiring, recent operations");
}

QString StatsCommand::usage() const
{
    return QStringLiteral(
        "Usage:\n"
        "  chomctl stats [--tenant ID]\n"
        "\n"
        "Totals (sites, active sites, storage), sites per status, VPS per health,\n"
        "certificates expiring within 14 days and the most recent operations, for\n"
        "the whole fleet or one tenant.\n");
}

int StatsCommand::run(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("tenant")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    Id tenantId = 0;
    QString scope = QStringLiteral("all tenants");
    if (a.has(QStringLiteral("tenant"))) {
        auto t = findTenant(core, a.value(QStringLiteral("tenant")));
        if (!t)
            return fail(out, t.error());
        tenantId = t.value().id;
        scope = QStringLiteral("tenant #%1 \"%2\"").arg(tenantId).arg(t.value().name);
    }
    auto stats = core.dashboard().stats(tenantId);
    if (!stats)
        return fail(out, stats.error());
    const DashboardStats& s = stats.value();
    if (out.json()) {
        out.printJson(toJson(s));
        return ExitOk;
    }
    out.printLine(QStringLiteral("Fleet statistics for %1").arg(scope));
    out.printFields(
        {{QStringLiteral("Sites"), QString::number(s.totalSites)},
         {QStringLiteral("Active sites"), QString::number(s.activeSites)},
         {QStringLiteral("Storage used"), formatMb(s.storageUsedMb)},
         {QStringLiteral("SSL expiring (14 days)"), QString::number(s.sslExpiringSoon)}});
    out.printLine();
    QVector<QStringList> rows;
    for (const QString& st : allSiteStatuses())
        rows << QStringList{st, QString::number(s.sitesByStatus.value(st))};
    out.printTable({QStringLiteral("SITE STATUS"), QStringLiteral("COUNT")}, rows);
    out.printLine();
    rows.clear();
    for (const QString& h : allVpsHealths())
        rows << QStringList{h, QString::number(s.vpsByHealth.value(h))};
    out.printTable({QStringLiteral("VPS HEALTH"), QStringLiteral("COUNT")}, rows);
    out.printLine();
    if (s.recentOperations.isEmpty()) {
        out.printLine(QStringLiteral("No recent operations."));
        return ExitOk;
    }
    rows.clear();
    for (const Operation& op : s.recentOperations)
        rows << QStringList{QString::number(op.id),
                            formatTime(op.createdAt),
                            op.type,
                            QStringLiteral("%1 #%2").arg(op.targetType).arg(op.targetId),
                            toString(op.status),
                            op.error};
    out.printTable({QStringLiteral("OP"), QStringLiteral("CREATED"), QStringLiteral("TYPE"),
                    QStringLiteral("TARGET"), QStringLiteral("STATUS"), QStringLiteral("ERROR")},
                   rows);
    return ExitOk;
}

} // namespace chom::cli
