#include "AuditCommand.h"

#include "Format.h"
#include "inventory/Core.h"
#include "store/AuditLog.h"

#include <QJsonArray>

namespace chom::cli {

QString AuditCommand::summary() const
{
    return QStringLiteral("verify the audit log's hash chain, or list recent entries");
}

QString AuditCommand::usage() const
{
    return QStringLiteral(
        "Usage:\n"
        "  chomctl audit verify\n"
        "  chomctl audit list [--limit N]   (default 50, newest first)\n"
        "\n"
        "verify recomputes the SHA-256 chain over every entry. It exits 0 when the\n"
        "chain is intact, 1 when an entry was edited, removed or reordered (each\n"
        "broken entry is listed on stdout, the first one on stderr).\n");
}

int AuditCommand::run(Core& core, const QStringList& args, Output& out)
{
    const QString action = args.value(0);
    if (action.isEmpty())
        return out.usage(QStringLiteral("audit needs an action: verify or list"), name());
    if (action == QLatin1String("verify"))
        return verify(core, args.mid(1), out);
    if (action == QLatin1String("list"))
        return list(core, args.mid(1), out);
    return unknownAction(out, action);
}

int AuditCommand::verify(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    auto result = core.audit().verify();
    if (!result)
        return fail(out, result.error());
    const AuditVerification& v = result.value();
    if (out.json()) {
        out.printJson(
            QJsonObject{{QStringLiteral("ok"), v.ok()},
                        {QStringLiteral("checked"), v.checked},
                        {QStringLiteral("problems"), QJsonArray::fromStringList(v.problems)}});
    } else if (v.ok()) {
        out.printLine(
            QStringLiteral("audit chain intact (%1 %2)")
                .arg(v.checked)
                .arg(v.checked == 1 ? QStringLiteral("entry") : QStringLiteral("entries")));
    } else {
        out.printLine(QStringLiteral("audit chain BROKEN (%1 entries checked, %2 problem(s)):")
                          .arg(v.checked)
                          .arg(v.problems.size()));
        for (const QString& p : v.problems)
            out.printLine(QStringLiteral("  ") + p);
    }
    if (v.ok())
        return ExitOk;
    Output::errorLine(QStringLiteral("audit chain broken: %1 problem(s); first: %2")
                          .arg(v.problems.size())
                          .arg(v.problems.first()));
    return ExitFailed;
}

int AuditCommand::list(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("limit")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    auto limit = a.integer(QStringLiteral("limit"), 50, 1, 1000000);
    if (!limit)
        return fail(out, limit.error());
    auto entries = core.audit().recent(int(limit.value()));
    if (!entries)
        return fail(out, entries.error());
    if (out.json()) {
        out.beginJsonArray();
        for (const AuditEntry& e : entries.value())
            out.printJsonItem(toJson(e));
        out.endJsonArray();
        return ExitOk;
    }
    QVector<QStringList> rows;
    for (const AuditEntry& e : entries.value())
        rows << QStringList{QString::number(e.id),
                            formatTime(e.createdAt),
                            e.actor,
                            e.action,
                            e.targetId.isEmpty() ? e.targetType
                                                 : e.targetType + QStringLiteral(" #") + e.targetId,
                            e.details};
    out.printTable({QStringLiteral("ID"), QStringLiteral("TIME"), QStringLiteral("ACTOR"),
                    QStringLiteral("ACTION"), QStringLiteral("TARGET"), QStringLiteral("DETAILS")},
                   rows);
    return ExitOk;
}

} // namespace chom::cli
