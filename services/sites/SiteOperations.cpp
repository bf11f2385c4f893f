#include "sites/SiteOperations.h"

#include "base/Json.h"

#include "sites/SiteKind.h"
#include "sites/SitePlacement.h"
#include "sites/SslSteps.h"

#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "ops/OperationKind.h"
#include "ops/OperationRunner.h"
#include "store/VpsRepository.h"

#include <QCoreApplication>
#include <QThread>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::SiteOperations", text);
}

QString inputOf(Id siteId)
{
    return compactJson({{QStringLiteral("site_id"), siteId}});
}

StepOutcome failed(StepContext& ctx, const QString& why)
{
    ctx.storage().set(QStringLiteral("failure"), why);
    return StepOutcome::failure(why);
}

} // namespace

Result<Site> SiteOperations::site(Id id) const
{
    return m_fleet.core().sites().get(id);
}

Result<Vps> SiteOperations::hostOf(const Site& s) const
{
    if (!s.vpsId)
        return makeError(QStringLiteral("not_placed"),
                         tr("The site %1 is not placed on a VPS yet.").arg(s.domain));
    return VpsRepository(m_fleet.core().store()).get(s.vpsId);
}

Status SiteOperations::record(Id siteId, const std::function<void(Site&)>& change)
{
    auto s = site(siteId);
    if (!s)
        return s.error();
    Site next = s.value();
    change(next);
    return m_fleet.core().sites().update(next);
}

Result<SiteStart> SiteOperations::startCreate(const Site& request)
{
    Site s = request;
    s.status = SiteStatus::Creating;
    s.provisionAttempts = 0;
    auto id = m_fleet.core().sites().create(s);
    if (!id)
        return id.error();
    auto op = startProvision(id.value());
    if (!op)
        return op.error();
    return SiteStart{id.value(), op.value()};
}

Step SiteOperations::placeStep(Id siteId)
{
    return {QStringLiteral("place"), [this, siteId](StepContext& ctx) {
                auto s = site(siteId);
                if (!s)
                    return failed(ctx, s.errorMessage());
                if (s.value().vpsId) {
                    auto v = hostOf(s.value());
                    if (!v)
                        return failed(ctx, v.errorMessage());
                    ctx.log(tr("on %1, as chosen").arg(v.value().hostname));
                    return StepOutcome::success();
                }
                auto fleet = VpsRepository(m_fleet.core().store()).list();
                if (!fleet)
                    return failed(ctx, fleet.errorMessage());
                auto chosen = chooseVps(fleet.value());
                if (!chosen)
                    return failed(ctx, chosen.errorMessage());
                const Vps v = chosen.value();
                if (auto st = record(siteId, [&](Site& x) { x.vpsId = v.id; }); !st)
                    return failed(ctx, st.errorMessage());
                ctx.log(tr("placed on %1 (%2 sites)").arg(v.hostname).arg(v.siteCount));
                return StepOutcome::success();
            }};
}

Step SiteOperations::agentStep(const QString& name, Id siteId, const QString& command,
                               const ArgsOf& argsOf, const OnReply& onReply)
{
    return {name, [=](StepContext& ctx) {
                auto x = site(siteId);
                if (!x)
                    return failed(ctx, x.errorMessage());
                auto v = hostOf(x.value());
                if (!v)
                    return failed(ctx, v.errorMessage());
                const AgentReply a = m_fleet.callAgent(v.value(), command, argsOf(x.value()));
                if (!a.ok())
                    return failed(ctx, QStringLiteral("%1: %2").arg(a.code, a.message));
                return onReply(ctx, x.value(), v.value(), a);
            }};
}

Step SiteOperations::createStep(Id siteId)
{
    const auto args = [](const Site& x) {
        QStringList a{x.domain, toString(x.type)};
        if (x.type != SiteType::Html)
            a << x.phpVersion;
        return a;
    };
    return agentStep(
        QStringLiteral("create on the VPS"), siteId, QStringLiteral("site:create"), args,
        [this, siteId](StepContext& ctx, const Site&, const Vps& v, const AgentReply& a) {
            const QJsonObject made = a.data.value(QStringLiteral("site")).toObject();
            const QString root = made.value(QStringLiteral("document_root")).toString();
            if (auto st = record(siteId, [&](Site& y) { y.documentRoot = root; }); !st)
                return failed(ctx, st.errorMessage());
            ctx.log(tr("created on %1 as user %2")
                        .arg(v.hostname, made.value(QStringLiteral("user")).toString()));
            return StepOutcome::success(compactJson(a.data));
        });
}

Step SiteOperations::verifyStep(Id siteId)
{
    // A reload on a busy host can take a moment to reach every worker:
    // a few tries, a second apart, before the site is called not served.
    const Step probe = agentStep(
        QStringLiteral("verify over HTTP"), siteId, QStringLiteral("site:probe"),
        [](const Site& x) { return QStringList{x.domain}; },
        [](StepContext& ctx, const Site& x, const Vps&, const AgentReply& a) {
            const int status = a.data.value(QStringLiteral("status")).toInt();
            if (!a.data.value(QStringLiteral("served")).toBool())
                return failed(ctx, tr("%1 answers HTTP %2 for %3, not the site")
                                       .arg(a.data.value(QStringLiteral("address")).toString())
                                       .arg(status)
                                       .arg(x.domain));
            ctx.log(tr("%1 answers HTTP %2").arg(x.domain).arg(status));
            return StepOutcome::success();
        });
    return {probe.name, [probe](StepContext& ctx) {
                StepOutcome o = probe.run(ctx);
                for (int tries = 1; !o.ok && tries < 5 && !ctx.cancelled(); ++tries) {
                    QThread::msleep(1000);
                    o = probe.run(ctx);
                }
                return o;
            }};
}

Recipe SiteOperations::siteRecipe(const QString& type, const Site& s)
{
    Recipe r;
    r.type = type;
    r.targetType = QStringLiteral("site");
    r.targetId = s.id;
    r.tenantId = s.tenantId;
    r.inputJson = inputOf(s.id);
    return r;
}

Result<Id> SiteOperations::startProvision(Id siteId)
{
    auto s = site(siteId);
    if (!s)
        return s.error();
    if (auto st = record(siteId,
                         [](Site& x) {
                             x.status = SiteStatus::Creating;
                             x.failureReason.clear();
                             ++x.provisionAttempts;
                         });
        !st)
        return st.error();
    RecipeGroup root;
    root.name = QStringLiteral("provision");
    std::vector<Step> steps{placeStep(siteId), createStep(siteId)};
    if (s.value().sslEnabled)
        steps.push_back(sslStep(*this, siteId, false));
    steps.push_back(verifyStep(siteId));
    for (Step& step : steps)
        root.children.push_back(RecipeNode::of(std::move(step)));
    root.onDone = [this, siteId](RunStorage&) {
        (void)record(siteId, [](Site& x) {
            x.status = SiteStatus::Active;
            x.failureReason.clear();
        });
    };
    root.onError = [this, siteId](RunStorage& storage) {
        const QString why = storage.value(QStringLiteral("failure")).toString();
        (void)record(siteId, [&](Site& x) {
            x.status = SiteStatus::Failed;
            x.failureReason = why.isEmpty() ? tr("cancelled or interrupted") : why;
        });
    };
    Recipe r = siteRecipe(optype::kSiteProvision, s.value());
    r.root = std::make_shared<RecipeGroup>(std::move(root));
    return m_fleet.runner().start(std::move(r));
}

Result<Id> SiteOperations::startSetEnabled(Id siteId, bool enabled)
{
    auto s = site(siteId);
    if (!s)
        return s.error();
    Recipe r = siteRecipe(enabled ? optype::kSiteEnable : optype::kSiteDisable, s.value());
    r.steps << switchStep(siteId, enabled);
    return m_fleet.runner().start(std::move(r));
}

Step SiteOperations::switchStep(Id siteId, bool enabled)
{
    const QString command =
        enabled ? QStringLiteral("site:enable") : QStringLiteral("site:disable");
    return agentStep(
        command, siteId, command, [](const Site& x) { return QStringList{x.domain}; },
        [this, siteId, enabled](StepContext& ctx, const Site&, const Vps&, const AgentReply&) {
            const SiteStatus to = enabled ? SiteStatus::Active : SiteStatus::Disabled;
            if (auto st = record(siteId, [&](Site& y) { y.status = to; }); !st)
                return failed(ctx, st.errorMessage());
            return StepOutcome::success();
        });
}

Result<Id> SiteOperations::startDelete(Id siteId)
{
    auto s = site(siteId);
    if (!s)
        return s.error();
    Recipe r = siteRecipe(optype::kSiteDelete, s.value());
    r.steps << Step{QStringLiteral("site:delete"), [this, siteId](StepContext& ctx) {
                        auto x = site(siteId);
                        if (!x)
                            return failed(ctx, x.errorMessage());
                        if (x.value().vpsId) {
                            auto v = hostOf(x.value());
                            if (!v)
                                return failed(ctx, v.errorMessage());
                            const AgentReply a = m_fleet.callAgent(
                                v.value(), QStringLiteral("site:delete"), {x.value().domain});
                            // Never provisioned there: nothing to remove on the host.
                            if (!a.ok() && a.code != QLatin1String("SITE_NOT_FOUND"))
                                return failed(ctx, QStringLiteral("%1: %2").arg(a.code, a.message));
                        }
                        if (auto st = m_fleet.core().sites().remove(siteId); !st)
                            return failed(ctx, st.errorMessage());
                        return StepOutcome::success();
                    }};
    return m_fleet.runner().start(std::move(r));
}

std::unique_ptr<OperationKind> SiteOperations::provisionKind()
{
    return std::make_unique<SiteKind>(optype::kSiteProvision, [this](const QJsonObject& in) {
        return startProvision(SiteKind::siteOf(in));
    });
}

std::unique_ptr<OperationKind> SiteOperations::switchKind(bool enabled)
{
    return std::make_unique<SiteKind>(enabled ? optype::kSiteEnable : optype::kSiteDisable,
                                      [this, enabled](const QJsonObject& in) {
                                          return startSetEnabled(SiteKind::siteOf(in), enabled);
                                      });
}

std::unique_ptr<OperationKind> SiteOperations::deleteKind()
{
    return std::make_unique<SiteKind>(optype::kSiteDelete, [this](const QJsonObject& in) {
        return startDelete(SiteKind::siteOf(in));
    });
}

} // namespace chom
