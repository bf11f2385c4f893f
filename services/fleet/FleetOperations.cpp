#include "fleet/FleetOperations.h"

#include "fleet/FleetService.h"

#include "ops/OperationKind.h"

#include "base/ChangeNotifier.h"
#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "ssh/SshPool.h"
#include "store/AuditLog.h"
#include "store/Mutation.h"
#include "store/OperationJournal.h"
#include "store/VpsRepository.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <memory>

namespace chom {
namespace {

QString compact(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QJsonArray idsJson(const QVector<Id>& ids)
{
    QJsonArray a;
    for (Id id : ids)
        a.append(id);
    return a;
}

} // namespace

Status FleetOperations::recordAgentVersion(const Vps& vps, const QString& version)
{
    auto st = inTransaction<Unit>(m_fleet.m_core.store(), [&]() -> Status {
        if (auto w = VpsRepository(m_fleet.m_core.store()).setAgentVersion(vps.id, version); !w)
            return w;
        return AuditLog(m_fleet.m_core.store())
            .append(QStringLiteral("vps.bootstrapped"), QStringLiteral("vps"),
                    QString::number(vps.id),
                    QStringLiteral("hostname=%1 agent %2→%3")
                        .arg(vps.hostname,
                             vps.agentVersion.isEmpty() ? QStringLiteral("none") : vps.agentVersion,
                             version));
    });
    if (st)
        m_fleet.m_core.notifier().notify(ChangeNotifier::Entity::Vps, {vps.id});
    return st;
}

QVector<Step> FleetOperations::bootstrapSteps(const Vps& v)
{
    auto root = std::make_shared<QString>();
    const SshTarget target = m_fleet.targetFor(v);
    QVector<Step> steps;
    steps << Step{
        QStringLiteral("probe root"), [this, target, root](StepContext& ctx) {
            SshCommand c;
            c.command = agent::probeRootCommand();
            c.timeouts = m_fleet.m_timeouts;
            const SshResult r = m_fleet.m_pool.run(target, c);
            if (!r.ok())
                return StepOutcome::failure(r.error != SshErrorKind::None
                                                ? r.message
                                                : QStringLiteral("probe failed (exit %1): %2")
                                                      .arg(r.exitStatus)
                                                      .arg(QString::fromUtf8(r.err.left(300))));
            *root = QString::fromUtf8(r.out);
            ctx.log(QStringLiteral("agent root: %1")
                        .arg(root->isEmpty() ? QStringLiteral("/") : *root));
            return StepOutcome::success(compact(QJsonObject{{QStringLiteral("root"), *root}}));
        }};
    steps << Step{
        QStringLiteral("upload agent"), [this, target, root](StepContext& ctx) {
            const QByteArray script = agent::bundledScript();
            if (script.isEmpty())
                return StepOutcome::failure(
                    QStringLiteral("The agent is missing from this build's resources."));
            struct File
            {
                QString path;
                QByteArray data;
                int mode;
            };
            for (const File& f :
                 {File{*root + agent::relativePath(), script, 0755},
                  File{*root + agent::relativeVersionPath(),
                       FleetService::bundledAgentVersion().toUtf8() + '\n', 0644}}) {
                SshCommand c;
                c.timeouts = m_fleet.m_timeouts;
                c.uploadPath = f.path;
                c.uploadData = f.data;
                c.uploadMode = f.mode;
                const SshResult r = m_fleet.m_pool.run(target, c);
                if (r.error != SshErrorKind::None)
                    return StepOutcome::failure(
                        QStringLiteral("Upload of %1 failed: %2").arg(f.path, r.message));
                ctx.log(QStringLiteral("uploaded %1 (%2 bytes)").arg(f.path).arg(f.data.size()));
            }
            return StepOutcome::success(compact(
                QJsonObject{{QStringLiteral("path"), QString(*root + agent::relativePath())}}));
        }};
    steps << Step{
        QStringLiteral("verify version"), [this, v](StepContext&) {
            const AgentReply a = m_fleet.callAgent(v, QStringLiteral("version"));
            if (!a.ok())
                return StepOutcome::failure(QStringLiteral("%1: %2").arg(a.code, a.message));
            const QString got = a.data.value(QStringLiteral("version")).toString();
            if (got != FleetService::bundledAgentVersion())
                return StepOutcome::failure(
                    QStringLiteral("The agent answers version %1, expected %2.")
                        .arg(got, FleetService::bundledAgentVersion()));
            return StepOutcome::success(compact(QJsonObject{{QStringLiteral("version"), got}}));
        }};
    steps << Step{
        QStringLiteral("record version"), [this, v](StepContext&) {
            auto fresh = m_fleet.vps(v.id);
            if (!fresh)
                return StepOutcome::failure(fresh.errorMessage());
            if (auto st = recordAgentVersion(fresh.value(), FleetService::bundledAgentVersion());
                !st)
                return StepOutcome::failure(st.errorMessage());
            return StepOutcome::success();
        }};
    return steps;
}

Result<Id> FleetOperations::startBootstrap(Id vpsId)
{
    auto v = m_fleet.vps(vpsId);
    if (!v)
        return v.error();
    Recipe r;
    r.type = optype::kBootstrap;
    r.targetType = QStringLiteral("vps");
    r.targetId = vpsId;
    r.inputJson = compact(
        QJsonObject{{QStringLiteral("vps_id"), vpsId},
                    {QStringLiteral("agent_version"), FleetService::bundledAgentVersion()}});
    r.mode = Recipe::Mode::Sequence;
    r.policy = Recipe::Policy::StopOnFirstError;
    r.steps = bootstrapSteps(v.value());
    return m_fleet.m_runner.start(std::move(r));
}

Result<Id> FleetOperations::startSweep(const QVector<Id>& vpsIds, int parallel)
{
    QVector<Vps> targets;
    if (vpsIds.isEmpty()) {
        auto all = VpsRepository(m_fleet.m_core.store()).list();
        if (!all)
            return all.error();
        for (const Vps& v : all.value())
            if (v.status == VpsStatus::Active)
                targets << v;
    } else {
        for (Id id : vpsIds) {
            auto v = m_fleet.vps(id);
            if (!v)
                return v.error();
            targets << v.value();
        }
    }
    if (targets.isEmpty())
        return makeError(QStringLiteral("no_targets"),
                         QCoreApplication::translate("chom::FleetOperations",
                                                     "No VPS to check (none is active)."));
    Recipe r;
    r.type = optype::kSweep;
    r.targetType = QStringLiteral("fleet");
    r.mode = Recipe::Mode::Parallel;
    r.parallelLimit = qBound(1, parallel, 200);
    r.policy = Recipe::Policy::ContinueAndReport;
    QVector<Id> ids;
    for (const Vps& v : targets) {
        ids << v.id;
        r.steps << Step{QStringLiteral("health %1").arg(v.hostname), [this, v](StepContext& ctx) {
                            const HealthReport h = m_fleet.checkHealth(v);
                            const QString out = compact(toJson(h));
                            ctx.log(QStringLiteral("%1: %2").arg(h.hostname, toString(h.health)));
                            if (!h.error.isEmpty())
                                return StepOutcome{false, h.error, out};
                            return StepOutcome::success(out);
                        }};
    }
    r.inputJson = compact(QJsonObject{{QStringLiteral("vps_ids"), idsJson(ids)},
                                      {QStringLiteral("parallel"), r.parallelLimit}});
    return m_fleet.m_runner.start(std::move(r));
}

Result<Id> FleetOperations::startTestConnection(Id vpsId)
{
    auto v = m_fleet.vps(vpsId);
    if (!v)
        return v.error();
    Recipe r;
    r.type = optype::kTestConnection;
    r.targetType = QStringLiteral("vps");
    r.targetId = vpsId;
    r.inputJson = compact(QJsonObject{{QStringLiteral("vps_id"), vpsId}});
    r.steps << Step{QStringLiteral("test %1").arg(v.value().hostname), [this, vpsId](StepContext&) {
                        auto t = m_fleet.testConnectionNow(vpsId);
                        if (!t)
                            return StepOutcome::failure(t.errorMessage());
                        const QString out = compact(toJson(t.value()));
                        if (t.value().category != QLatin1String("ok"))
                            return StepOutcome{false, t.value().message, out};
                        return StepOutcome::success(out);
                    }};
    return m_fleet.m_runner.start(std::move(r));
}

Result<Id> FleetOperations::retryOperation(Id operationId)
{
    return m_fleet.m_kinds.retry(m_fleet.m_core.store(), operationId);
}

} // namespace chom
