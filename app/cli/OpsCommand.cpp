#include "OpsCommand.h"

#include "Format.h"
#include "Lookup.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "store/OperationJournal.h"

#include <QDeadlineTimer>
#include <QJsonObject>
#include <QThread>

namespace chom::cli {
namespace {

Result<Id> operationId(const Args& a)
{
    if (auto st = a.expectPositionals({QStringLiteral("operation ID")}); !st)
        return st.error();
    const Id id = numericId(a.positionals().at(0));
    if (id == 0)
        return usageError(
            QStringLiteral("\"%1\" is not an operation ID").arg(a.positionals().at(0).left(40)));
    return id;
}

QStringList allOperationStatuses()
{
    QStringList out;
    for (auto s :
         {OperationStatus::Pending, OperationStatus::Running, OperationStatus::Completed,
          OperationStatus::Failed, OperationStatus::Cancelled, OperationStatus::Interrupted})
        out << toString(s);
    return out;
}

} // namespace

QString OpsCommand::summary() const
{
    return QStringLiteral("list, show, cancel or retry journaled operations");
}

QString OpsCommand::usage() const
{
    return QStringLiteral(
        "Usage:\n"
        "  chomctl ops list [--status S] [--limit N]   newest first (default 50)\n"
        "  chomctl ops show ID                         the operation and its steps\n"
        "  chomctl ops cancel ID [--no-wait] [--timeout S]\n"
        "                                              ask the process running it (console or\n"
        "                                              another chomctl) to cancel it, and wait\n"
        "                                              up to S seconds (default 10) until it is\n"
        "                                              cancelled\n"
        "  chomctl ops retry ID                        re-run a failed, cancelled or interrupted\n"
        "                                              vps.sweep (its failed hosts only) or\n"
        "                                              vps.bootstrap, and wait for it\n"
        "\n"
        "Status: pending, running, completed, failed, cancelled, interrupted. Operations a\n"
        "previous process left running are marked interrupted when chomctl starts.\n"
        "\n"
        "Cancel works across processes through the store: the owning process checks for\n"
        "requests twice a second. Exit 0 once cancelled (or at once with --no-wait),\n"
        "3 no such operation, 5 already finished, 1 when it finished otherwise, its\n"
        "process is gone (it is then marked interrupted) or the wait timed out.\n");
}

int OpsCommand::run(Core& core, const QStringList& args, Output& out)
{
    const QString action = args.value(0, QStringLiteral("list"));
    const QStringList rest = args.mid(1);
    if (action == QLatin1String("list"))
        return list(core, rest, out);
    if (action == QLatin1String("show"))
        return show(core, rest, out);
    if (action == QLatin1String("cancel"))
        return cancel(core, rest, out);
    if (action == QLatin1String("retry"))
        return retry(core, rest, out);
    return unknownAction(out, action);
}

int OpsCommand::list(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("status"), QStringLiteral("limit")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    const QString status = a.value(QStringLiteral("status"));
    if (a.has(QStringLiteral("status")))
        if (auto st = oneOf(QStringLiteral("status"), status, allOperationStatuses()); !st)
            return fail(out, st.error());
    auto limit = a.integer(QStringLiteral("limit"), 50, 1, 100000);
    if (!limit)
        return fail(out, limit.error());
    auto ops = core.operations().recent(status.isEmpty() ? int(limit.value()) : 100000);
    if (!ops)
        return fail(out, ops.error());
    QVector<QStringList> rows;
    if (out.json())
        out.beginJsonArray();
    int shown = 0;
    for (const Operation& o : ops.value()) {
        if ((!status.isEmpty() && toString(o.status) != status) || shown >= limit.value())
            continue;
        ++shown;
        if (out.json()) {
            out.printJsonItem(toJson(o));
            continue;
        }
        rows << QStringList{QString::number(o.id),
                            o.type,
                            o.targetId ? QStringLiteral("%1 #%2").arg(o.targetType).arg(o.targetId)
                                       : o.targetType,
                            toString(o.status),
                            QStringLiteral("%1%").arg(qRound(o.progress * 100)),
                            formatTime(o.createdAt),
                            o.error.left(60)};
    }
    if (out.json())
        out.endJsonArray();
    else
        out.printTable({QStringLiteral("ID"), QStringLiteral("TYPE"), QStringLiteral("TARGET"),
                        QStringLiteral("STATUS"), QStringLiteral("PROGRESS"),
                        QStringLiteral("CREATED"), QStringLiteral("ERROR")},
                       rows);
    return ExitOk;
}

int OpsCommand::show(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {}, {}, a, out, &code))
        return code;
    auto id = operationId(a);
    if (!id)
        return fail(out, id.error());
    auto op = core.operations().get(id.value());
    if (!op)
        return fail(out, op.error());
    printOperation(core, id.value(), out);
    return ExitOk; // showing a failed operation is not a failure of `show`
}

int OpsCommand::cancel(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("timeout")}, {QStringLiteral("no-wait")}, a, out, &code))
        return code;
    auto id = operationId(a);
    if (!id)
        return fail(out, id.error());
    auto timeout = a.integer(QStringLiteral("timeout"), 10, 1, 3600);
    if (!timeout)
        return fail(out, timeout.error());
    // This chomctl runs no operation of its own: the one to cancel lives in
    // another process (the console, another chomctl), whose runner polls the
    // request from the journal and cancels it as its own cancel button does.
    OperationJournal& journal = core.operations();
    if (auto st = journal.requestCancel(id.value()); !st) {
        auto op = journal.get(id.value());
        if (op && op.value().status == OperationStatus::Interrupted)
            return fail(out, makeError(QStringLiteral("not_cancellable"),
                                       QStringLiteral("Operation #%1 is already interrupted: the "
                                                      "process that ran it is gone (chomctl ops "
                                                      "retry %1 runs it again).")
                                           .arg(id.value())));
        return fail(out, st.error());
    }
    auto owner = journal.owner(id.value());
    if (!owner)
        return fail(out, owner.error());
    const QString who = owner.value().isEmpty() ? QStringLiteral("an unknown process")
                                                : QStringLiteral("process %1").arg(owner.value());
    const auto report = [&](const Operation& op, const QString& line) {
        if (out.json()) {
            QJsonObject o = toJson(op);
            o.insert(QStringLiteral("cancel_requested"), true);
            o.insert(QStringLiteral("owner"), owner.value());
            out.printJson(o);
        } else {
            out.printLine(line);
        }
        return ExitOk;
    };
    const auto gone = [&] {
        return fail(out, makeError(QStringLiteral("owner_gone"),
                                   QStringLiteral("Operation #%1 was not cancelled: %2 that ran it "
                                                  "is gone, so it is marked interrupted (chomctl "
                                                  "ops retry %1 runs it again).")
                                       .arg(id.value())
                                       .arg(who)));
    };
    QDeadlineTimer deadline(timeout.value() * 1000);
    for (;;) {
        auto op = journal.get(id.value());
        if (!op)
            return fail(out, op.error());
        const OperationStatus s = op.value().status;
        if (a.has(QStringLiteral("no-wait")))
            return report(op.value(),
                          QStringLiteral("Cancel of operation #%1 requested; %2 stops it "
                                         "within a second if it still runs.")
                              .arg(id.value())
                              .arg(who));
        if (s == OperationStatus::Cancelled)
            return report(
                op.value(),
                QStringLiteral("Operation #%1 cancelled (it ran in %2).").arg(id.value()).arg(who));
        if (s == OperationStatus::Interrupted)
            return gone();
        if (s != OperationStatus::Running && s != OperationStatus::Pending)
            return fail(out, makeError(QStringLiteral("cancel_too_late"),
                                       QStringLiteral("Operation #%1 %2 before the cancel request "
                                                      "took effect.")
                                           .arg(id.value())
                                           .arg(toString(s))));
        if (OperationJournal::ownerIsGone(owner.value())) {
            if (auto m = journal.markInterrupted(); !m)
                return fail(out, m.error());
            return gone();
        }
        if (deadline.hasExpired())
            return fail(out,
                        makeError(QStringLiteral("cancel_timeout"),
                                  QStringLiteral("Cancel of operation #%1 requested, but %2 has "
                                                 "not stopped it within %3 s; the request "
                                                 "stays (chomctl ops show %1).")
                                      .arg(id.value())
                                      .arg(who)
                                      .arg(timeout.value())));
        QThread::msleep(100);
    }
}

int OpsCommand::retry(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {}, {}, a, out, &code))
        return code;
    auto id = operationId(a);
    if (!id)
        return fail(out, id.error());
    auto before = core.operations().get(id.value());
    if (!before)
        return fail(out, before.error());
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto op = session.fleet().retryOperation(id.value());
    if (!op)
        return fail(out, op.error());
    const bool sweep = before.value().type == QLatin1String("vps.sweep");
    if (!out.json())
        out.printLine(
            QStringLiteral("Retrying operation #%1 as #%2.").arg(id.value()).arg(op.value()));
    session.wait(op.value(), out, !sweep);
    return sweep ? printSweep(core, op.value(), out) : printOperation(core, op.value(), out);
}

} // namespace chom::cli
