#include "fleet/FleetService.h"

#include "fleet/AgentServe.h"
#include "fleet/FleetKinds.h"

#include "base/ChangeNotifier.h"
#include "inventory/Core.h"
#include "ssh/SshPool.h"
#include "store/HostKeyStore.h"
#include "store/VpsRepository.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>

namespace chom {
namespace {

QString categoryOf(SshErrorKind k)
{
    switch (k) {
    case SshErrorKind::Resolve:
    case SshErrorKind::Refused:
    case SshErrorKind::Timeout:
    case SshErrorKind::AuthFailed:
    case SshErrorKind::HostKeyUnknown:
    case SshErrorKind::HostKeyChanged:
    case SshErrorKind::BreakerOpen:
    case SshErrorKind::UnsupportedShell:
        return toString(k);
    default:
        return QStringLiteral("error");
    }
}

} // namespace

FleetService::FleetService(Core& core, SshPool& pool, OperationRunner& runner, QObject* parent)
    : QObject(parent), m_core(core), m_pool(pool), m_runner(runner)
{
    qRegisterMetaType<chom::HealthReport>();
    qRegisterMetaType<chom::ConnectionTest>();
    m_timeouts.commandMs = 60000;
    m_timeouts.silenceMs = 60000;
    m_kinds.add(makeBootstrapKind(*this));
    m_kinds.add(makeSweepKind(*this));
    m_kinds.add(makeTestConnectionKind(*this));
}

SshTarget FleetService::targetFor(const Vps& vps) const
{
    SshTarget t;
    t.host = vps.ipAddress.isEmpty() ? vps.hostname : vps.ipAddress;
    t.port = vps.sshPort;
    t.user = vps.sshUser;
    t.vpsId = vps.id;
    return t;
}

void FleetService::setIdentity(const SshIdentity& identity)
{
    m_identity = identity;
    m_pool.setIdentity(identity);
}

void FleetService::setTimeouts(const SshTimeouts& timeouts)
{
    m_timeouts = timeouts;
}

QString FleetService::bundledAgentVersion()
{
    return agent::bundledVersion();
}

Result<Vps> FleetService::vps(Id id) const
{
    return VpsRepository(m_core.store()).get(id);
}

AgentReply FleetService::callAgent(const Vps& vps, const QString& command, const QStringList& args)
{
    auto call = agent::call(command, args);
    if (!call) {
        AgentReply a;
        a.kind = AgentReply::Kind::AgentError;
        a.code = call.error().code;
        a.message = call.error().message;
        return a;
    }
    SshCommand c;
    c.command = call.value().line;
    c.stdinData = call.value().input;
    c.timeouts = m_timeouts;
    if (m_serve)
        c.serve = agent::serveCall(command, args);
    return agent::classify(m_pool.run(targetFor(vps), c));
}

Result<ConnectionTest> FleetService::testConnectionNow(Id vpsId)
{
    auto v = vps(vpsId);
    if (!v)
        return v.error();
    QElapsedTimer timer;
    timer.start();
    const AgentReply a = callAgent(v.value(), QStringLiteral("version"));
    ConnectionTest t;
    t.vpsId = vpsId;
    t.fingerprint = a.ssh.fingerprint;
    t.oldFingerprint = a.ssh.oldFingerprint;
    t.durationMs = timer.elapsed();
    switch (a.kind) {
    case AgentReply::Kind::Transport:
        t.category = categoryOf(a.ssh.error);
        t.message = a.message;
        break;
    case AgentReply::Kind::AgentMissing:
        t.category = QStringLiteral("agent_missing");
        t.message = a.message;
        break;
    case AgentReply::Kind::AgentError:
    case AgentReply::Kind::AgentAborted:
        t.category = QStringLiteral("error");
        t.message = QStringLiteral("%1: %2").arg(a.code, a.message);
        break;
    case AgentReply::Kind::Ok: {
        t.agentVersion = a.data.value(QStringLiteral("version")).toString(a.agentVersion);
        const QString bundled = bundledAgentVersion();
        if (agent::compareVersions(t.agentVersion, bundled) < 0) {
            t.category = QStringLiteral("agent_outdated");
            t.message = QStringLiteral("Connected; the agent is %1, older than %2: run bootstrap.")
                            .arg(t.agentVersion, bundled);
        } else {
            t.category = QStringLiteral("ok");
            t.message = QStringLiteral("Connected to %1; agent %2 answered in %3 ms.")
                            .arg(v.value().hostname, t.agentVersion)
                            .arg(t.durationMs);
        }
        break;
    }
    }
    if (VpsRepository(m_core.store()).recordCheck(vpsId, nowSecs()))
        m_core.notifier().notify(ChangeNotifier::Entity::Vps, {vpsId});
    Q_EMIT connectionTested(t);
    return t;
}

HealthReport FleetService::checkHealth(const Vps& v)
{
    QElapsedTimer timer;
    timer.start();
    const AgentReply a = callAgent(v, QStringLiteral("health"));
    HealthReport r;
    r.vpsId = v.id;
    r.hostname = v.hostname;
    r.durationMs = timer.elapsed();
    r.reachable = a.kind != AgentReply::Kind::Transport;
    if (a.ok()) {
        const QJsonObject& d = a.data;
        r.health = vpsHealthFromString(d.value(QStringLiteral("status")).toString())
                       .value_or(VpsHealth::Unknown);
        r.load1 =
            d.value(QStringLiteral("load")).toObject().value(QStringLiteral("load1")).toDouble();
        r.memoryPercent = d.value(QStringLiteral("memory"))
                              .toObject()
                              .value(QStringLiteral("used_percent"))
                              .toDouble();
        r.diskPercent = d.value(QStringLiteral("disk"))
                            .toObject()
                            .value(QStringLiteral("used_percent"))
                            .toDouble();
        for (const QJsonValue& i : d.value(QStringLiteral("issues")).toArray())
            r.issues << i.toString();
    } else {
        r.health = VpsHealth::Unhealthy;
        r.error = a.message;
        r.errorCode = a.code;
    }
    const QString stored = r.error.isEmpty() ? r.issues.join(QStringLiteral("; ")) : r.error;
    if (VpsRepository(m_core.store()).recordHealth(v.id, r.health, stored, nowSecs()))
        m_core.notifier().notify(ChangeNotifier::Entity::Vps, {v.id});
    Q_EMIT healthReported(r);
    return r;
}

Result<HealthReport> FleetService::healthNow(Id vpsId)
{
    auto v = vps(vpsId);
    if (!v)
        return v.error();
    return checkHealth(v.value());
}

Result<QString> FleetService::diagNow(Id vpsId, const QString& name)
{
    auto v = vps(vpsId);
    if (!v)
        return v.error();
    const AgentReply a = callAgent(v.value(), QStringLiteral("diag"), {name});
    if (!a.ok())
        return a.error();
    return a.data.value(QStringLiteral("output")).toString();
}

Result<QString> FleetService::trustHostKeyNow(Id vpsId, const QString& fingerprint)
{
    auto v = vps(vpsId);
    if (!v)
        return v.error();
    const SshTarget target = targetFor(v.value());
    SshPool::Config config;
    config.trustNewHostKeys = fingerprint.isEmpty();
    config.expectedFingerprint = fingerprint;
    SshPool probe(m_core.store(), config);
    probe.setIdentity(m_identity);
    SshCommand c;
    c.command = QStringLiteral("true");
    c.timeouts = m_timeouts;
    const SshResult r = probe.run(target, c);
    if (r.error == SshErrorKind::HostKeyChanged)
        return fingerprint.isEmpty()
                   ? makeError(QStringLiteral("host_key_changed"),
                               tr("%1 now presents %2 instead of the trusted %3; verify the new "
                                  "key out of band, then re-trust exactly it (--fingerprint %2).")
                                   .arg(v.value().hostname, r.fingerprint, r.oldFingerprint))
                   : makeError(QStringLiteral("host_key_mismatch"),
                               tr("%1 presents %2, not the %3 you checked; nothing was trusted.")
                                   .arg(v.value().hostname, r.fingerprint, fingerprint));
    // The key is trusted during the handshake, before authentication.
    if (r.error != SshErrorKind::None && r.error != SshErrorKind::AuthFailed)
        return toError(r);
    m_pool.closeAll(); // sessions made under the old key must not be reused
    return r.fingerprint;
}

Result<Id> FleetService::startBootstrap(Id vpsId)
{
    return m_operations.startBootstrap(vpsId);
}

Result<Id> FleetService::startSweep(const QVector<Id>& vpsIds, int parallel)
{
    return m_operations.startSweep(vpsIds, parallel);
}

Result<Id> FleetService::startTestConnection(Id vpsId)
{
    return m_operations.startTestConnection(vpsId);
}

Result<Id> FleetService::retryOperation(Id operationId)
{
    return m_operations.retryOperation(operationId);
}

} // namespace chom
