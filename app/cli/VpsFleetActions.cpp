#include "VpsFleetActions.h"

#include "Lookup.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"

#include <QJsonArray>

namespace chom::cli {
namespace {

// Parses "ACTION VPS [NAME]" style arguments; the VPS is looked up.
Result<Vps> onePositionalVps(Core& core, const Args& a, const QStringList& names)
{
    if (auto st = a.expectPositionals(names); !st)
        return st.error();
    return findVps(core, a.positionals().at(0));
}

} // namespace

std::optional<Vps> VpsFleetActions::targetVps(Core& core, const QStringList& raw, Output& out,
                                              int* code) const
{
    Args a;
    if (!parse(raw, {}, {}, a, out, code))
        return std::nullopt;
    auto v = onePositionalVps(core, a, {QStringLiteral("VPS ID or host name")});
    if (!v) {
        *code = fail(out, v.error());
        return std::nullopt;
    }
    return v.value();
}

bool VpsFleetActions::handles(const QString& action)
{
    static const QStringList actions{QStringLiteral("test"),   QStringLiteral("bootstrap"),
                                     QStringLiteral("health"), QStringLiteral("sweep"),
                                     QStringLiteral("diag"),   QStringLiteral("trust")};
    return actions.contains(action);
}

QString VpsFleetActions::usageLines()
{
    return QStringLiteral(
        "  chomctl vps test ID|HOSTNAME          connect and ask the agent its version\n"
        "  chomctl vps bootstrap ID|HOSTNAME     install the bundled agent, verify it\n"
        "  chomctl vps health ID|HOSTNAME        agent health reading (stored)\n"
        "  chomctl vps sweep [--parallel N] [--only-failed]\n"
        "                                        health of every active VPS (exit 1 when\n"
        "                                        a host is unreachable)\n"
        "  chomctl vps diag ID|HOSTNAME NAME     uptime, df, free, os-release, hostname, loadavg\n"
        "  chomctl vps trust ID|HOSTNAME [--fingerprint SHA256:...]\n"
        "                                        trust the host key: a first contact's, or\n"
        "                                        exactly the given one (replacing a pin)\n"
        "SSH: --ssh-key PATH (default $CHOM_SSH_KEY, else the identity saved in the console\n"
        "(a key file or the agent; not a key in its secret store), else ~/.ssh/id_ed25519),\n"
        "--ssh-agent,\n"
        "--trust-new-host-keys (first contact only; a changed key is always refused).\n");
}

int VpsFleetActions::run(Core& core, const QStringList& args, Output& out)
{
    const QString action = args.value(0);
    const QStringList rest = args.mid(1);
    if (action == QLatin1String("test"))
        return test(core, rest, out);
    if (action == QLatin1String("bootstrap"))
        return bootstrap(core, rest, out);
    if (action == QLatin1String("health"))
        return health(core, rest, out);
    if (action == QLatin1String("sweep"))
        return sweep(core, rest, out);
    if (action == QLatin1String("diag"))
        return diag(core, rest, out);
    if (action == QLatin1String("trust"))
        return trust(core, rest, out);
    return unknownAction(out, action);
}

int VpsFleetActions::test(Core& core, const QStringList& raw, Output& out)
{
    int code = 0;
    const auto v = targetVps(core, raw, out, &code);
    if (!v)
        return code;
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto t = session.fleet().testConnectionNow(v.value().id);
    if (!t)
        return fail(out, t.error());
    const ConnectionTest& r = t.value();
    if (out.json()) {
        QJsonObject o = toJson(r);
        o.insert(QStringLiteral("hostname"), v.value().hostname);
        out.printJson(o);
    } else {
        Fields f{{QStringLiteral("Host"), v.value().hostname},
                 {QStringLiteral("Result"), r.category},
                 {QStringLiteral("Message"), r.message}};
        if (!r.fingerprint.isEmpty())
            f << qMakePair(QStringLiteral("Fingerprint"), r.fingerprint);
        if (!r.oldFingerprint.isEmpty())
            f << qMakePair(QStringLiteral("Trusted key"), r.oldFingerprint);
        if (!r.agentVersion.isEmpty())
            f << qMakePair(QStringLiteral("Agent"), r.agentVersion);
        if (r.category == QLatin1String("host_key_unknown"))
            f << qMakePair(QStringLiteral("Next"),
                           QStringLiteral("verify the fingerprint, then: chomctl vps trust %1")
                               .arg(v.value().hostname));
        out.printFields(f);
    }
    return r.category == QLatin1String("ok") ? ExitOk : ExitFailed;
}

int VpsFleetActions::bootstrap(Core& core, const QStringList& raw, Output& out)
{
    int code = 0;
    const auto v = targetVps(core, raw, out, &code);
    if (!v)
        return code;
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto op = session.fleet().startBootstrap(v.value().id);
    if (!op)
        return fail(out, op.error());
    if (!out.json())
        out.printLine(QStringLiteral("Bootstrap of %1 (agent %2), operation #%3")
                          .arg(v.value().hostname, FleetService::bundledAgentVersion())
                          .arg(op.value()));
    session.wait(op.value(), out, true);
    if (!out.json())
        out.printLine();
    return printOperation(core, op.value(), out);
}

int VpsFleetActions::health(Core& core, const QStringList& raw, Output& out)
{
    int code = 0;
    const auto v = targetVps(core, raw, out, &code);
    if (!v)
        return code;
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto h = session.fleet().healthNow(v.value().id);
    if (!h)
        return fail(out, h.error());
    const HealthReport& r = h.value();
    if (out.json()) {
        out.printJson(toJson(r));
    } else {
        Fields f{{QStringLiteral("Host"), r.hostname},
                 {QStringLiteral("Health"), toString(r.health)},
                 {QStringLiteral("Reachable"),
                  r.reachable ? QStringLiteral("yes") : QStringLiteral("no")}};
        if (r.error.isEmpty()) {
            f << qMakePair(QStringLiteral("Load"), QString::number(r.load1, 'f', 2))
              << qMakePair(QStringLiteral("Memory"),
                           QString::number(r.memoryPercent, 'f', 1) + QLatin1Char('%'))
              << qMakePair(QStringLiteral("Disk"),
                           QString::number(r.diskPercent, 'f', 1) + QLatin1Char('%'));
            for (const QString& i : r.issues)
                f << qMakePair(QStringLiteral("Issue"), i);
        } else {
            f << qMakePair(QStringLiteral("Error"),
                           QStringLiteral("%1 (%2)").arg(r.error, r.errorCode));
        }
        out.printFields(f);
    }
    return r.reachable && r.error.isEmpty() ? ExitOk : ExitFailed;
}

int VpsFleetActions::sweep(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("parallel")}, {QStringLiteral("only-failed")}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({}); !st)
        return fail(out, st.error());
    auto parallel = a.integer(QStringLiteral("parallel"), 20, 1, 200);
    if (!parallel)
        return fail(out, parallel.error());
    QVector<Id> ids;
    if (a.has(QStringLiteral("only-failed"))) {
        auto all = core.vps().list();
        if (!all)
            return fail(out, all.error());
        for (const Vps& v : all.value())
            if (v.status == VpsStatus::Active && v.health == VpsHealth::Unhealthy)
                ids << v.id;
        if (ids.isEmpty()) {
            if (out.json())
                out.printJson(QJsonArray());
            else
                out.printLine(QStringLiteral("No VPS failed its last check."));
            return ExitOk;
        }
    }
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto op = session.fleet().startSweep(ids, int(parallel.value()));
    if (!op)
        return fail(out, op.error());
    session.wait(op.value(), out, false);
    return printSweep(core, op.value(), out);
}

int VpsFleetActions::diag(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {}, {}, a, out, &code))
        return code;
    auto v =
        onePositionalVps(core, a, {QStringLiteral("VPS ID or host name"), QStringLiteral("NAME")});
    if (!v)
        return fail(out, v.error());
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto text = session.fleet().diagNow(v.value().id, a.positionals().at(1));
    if (!text)
        return out.fail(makeError(text.error().code, QStringLiteral("%1 (%2)").arg(
                                                         text.error().message, text.error().code)));
    if (out.json())
        out.printJson(QJsonObject{{QStringLiteral("hostname"), v.value().hostname},
                                  {QStringLiteral("name"), a.positionals().at(1)},
                                  {QStringLiteral("output"), text.value()}});
    else
        out.printLine(text.value());
    return ExitOk;
}

int VpsFleetActions::trust(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("fingerprint")}, {QStringLiteral("replace")}, a, out, &code))
        return code;
    const QString fingerprint = a.value(QStringLiteral("fingerprint")).trimmed();
    if (a.has(QStringLiteral("replace")) && fingerprint.isEmpty())
        return fail(out, makeError(ErrorKind::Usage, QStringLiteral("usage"),
                                   QStringLiteral("--replace needs the key you verified: "
                                                  "--fingerprint SHA256:... (chomctl vps test "
                                                  "shows what the server presents)")));
    auto v = onePositionalVps(core, a, {QStringLiteral("VPS ID or host name")});
    if (!v)
        return fail(out, v.error());
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto pinned = session.fleet().trustHostKeyNow(v.value().id, fingerprint);
    if (!pinned)
        return fail(out, pinned.error());
    if (out.json())
        out.printJson(QJsonObject{{QStringLiteral("trusted"), v.value().hostname},
                                  {QStringLiteral("fingerprint"), pinned.value()}});
    else
        out.printLine(
            QStringLiteral("Host key of %1 trusted: %2").arg(v.value().hostname, pinned.value()));
    return ExitOk;
}

} // namespace chom::cli
