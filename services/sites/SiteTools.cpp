#include "sites/SiteTools.h"

#include "base/Json.h"

#include "sites/SiteKind.h"
#include "sites/SiteOperations.h"
#include "sites/SslSteps.h"

#include "fleet/AgentProtocol.h"
#include "fleet/FleetService.h"
#include "ops/OperationRunner.h"

#include <QCoreApplication>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::SiteTools", text);
}

constexpr SiteTools::Tool kTools[] = {
    SiteTools::Tool::CacheClear, SiteTools::Tool::DatabaseExport, SiteTools::Tool::DatabaseOptimize,
    SiteTools::Tool::Render,     SiteTools::Tool::SslIssue,       SiteTools::Tool::SslRenew};

// What the operation's log says when the tool is done.
QString summary(SiteTools::Tool tool, const QJsonObject& d)
{
    switch (tool) {
    case SiteTools::Tool::CacheClear:
        return tr("%1 cache entries removed").arg(d.value(QStringLiteral("removed")).toInt());
    case SiteTools::Tool::DatabaseExport:
        return tr("database exported to %1 (%2 bytes, SHA-256 %3)")
            .arg(d.value(QStringLiteral("path")).toString())
            .arg(d.value(QStringLiteral("size_bytes")).toInteger())
            .arg(d.value(QStringLiteral("sha256")).toString());
    case SiteTools::Tool::DatabaseOptimize:
        return tr("%1 tables optimized").arg(d.value(QStringLiteral("tables")).toInt());
    case SiteTools::Tool::SslIssue:
    case SiteTools::Tool::SslRenew:
        return {};
    case SiteTools::Tool::Render:
        return d.value(QStringLiteral("rendered")).toBool()
                   ? tr("%1 drifted files rendered again")
                         .arg(d.value(QStringLiteral("drifted")).toInt())
                   : tr("the config matches its template");
    }
    return {};
}

} // namespace

QString SiteTools::type(Tool tool)
{
    switch (tool) {
    case Tool::CacheClear:
        return optype::kSiteCacheClear;
    case Tool::DatabaseExport:
        return optype::kSiteDbExport;
    case Tool::DatabaseOptimize:
        return optype::kSiteDbOptimize;
    case Tool::Render:
        return optype::kSiteRender;
    case Tool::SslIssue:
        return optype::kSiteSslIssue;
    case Tool::SslRenew:
        return optype::kSiteSslRenew;
    }
    return {};
}

QString SiteTools::command(Tool tool)
{
    switch (tool) {
    case Tool::CacheClear:
        return QStringLiteral("cache:clear");
    case Tool::DatabaseExport:
        return QStringLiteral("database:export");
    case Tool::DatabaseOptimize:
        return QStringLiteral("database:optimize");
    case Tool::Render:
        return QStringLiteral("site:render");
    case Tool::SslIssue:
        return QStringLiteral("ssl:issue");
    case Tool::SslRenew:
        return QStringLiteral("ssl:renew");
    }
    return {};
}

Result<Id> SiteTools::start(Id siteId, Tool tool)
{
    auto s = m_sites.site(siteId);
    if (!s)
        return s.error();
    if (auto v = m_sites.hostOf(s.value()); !v)
        return v.error();
    Recipe r = SiteOperations::siteRecipe(type(tool), s.value());
    r.steps << step(siteId, tool);
    return m_sites.fleet().runner().start(std::move(r));
}

Step SiteTools::step(Id siteId, Tool tool)
{
    if (tool == Tool::SslIssue || tool == Tool::SslRenew)
        return sslStep(m_sites, siteId, tool == Tool::SslRenew);
    return m_sites.agentStep(
        command(tool), siteId, command(tool), [](const Site& x) { return QStringList{x.domain}; },
        [tool](StepContext& ctx, const Site&, const Vps&, const AgentReply& a) {
            ctx.log(summary(tool, a.data));
            return StepOutcome::success(compactJson(a.data));
        });
}

Result<Id> SiteTools::startSetPhp(Id siteId, const QString& version)
{
    auto s = m_sites.site(siteId);
    if (!s)
        return s.error();
    if (s.value().type == SiteType::Html)
        return makeError(QStringLiteral("no_php"),
                         tr("%1 is a static html site; it runs no PHP.").arg(s.value().domain));
    if (auto v = m_sites.hostOf(s.value()); !v)
        return v.error();
    Recipe r = SiteOperations::siteRecipe(optype::kSitePhp, s.value());
    r.inputJson =
        compactJson({{QStringLiteral("site_id"), siteId}, {QStringLiteral("php"), version}});
    r.steps << phpStep(siteId, version);
    return m_sites.fleet().runner().start(std::move(r));
}

Step SiteTools::phpStep(Id siteId, const QString& version)
{
    return m_sites.agentStep(
        QStringLiteral("site:php"), siteId, QStringLiteral("site:php"),
        [version](const Site& x) {
            return QStringList{x.domain, version};
        },
        [this, siteId, version](StepContext& ctx, const Site&, const Vps&, const AgentReply& a) {
            if (auto st = m_sites.record(siteId, [&](Site& y) { y.phpVersion = version; }); !st)
                return StepOutcome::failure(st.errorMessage());
            ctx.log(a.data.value(QStringLiteral("changed")).toBool()
                        ? tr("now on PHP %1").arg(version)
                        : tr("already on PHP %1").arg(version));
            return StepOutcome::success(compactJson(a.data));
        });
}

std::vector<std::unique_ptr<OperationKind>> SiteTools::kinds()
{
    std::vector<std::unique_ptr<OperationKind>> out;
    for (Tool tool : kTools)
        out.push_back(std::make_unique<SiteKind>(type(tool), [this, tool](const QJsonObject& in) {
            return start(SiteKind::siteOf(in), tool);
        }));
    out.push_back(std::make_unique<SiteKind>(optype::kSitePhp, [this](const QJsonObject& in) {
        return startSetPhp(SiteKind::siteOf(in), in.value(QStringLiteral("php")).toString());
    }));
    return out;
}

} // namespace chom
