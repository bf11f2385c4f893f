#include "sites/SiteBulk.h"

#include "base/Json.h"

#include "fleet/FleetService.h"
#include "ops/OperationKind.h"
#include "ops/OperationRunner.h"
#include "sites/SiteOperations.h"
#include "sites/SiteTools.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <array>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::SiteBulk", text);
}

constexpr std::array<const char*, 5> kActions{"enable", "disable", "ssl_renew", "cache_clear",
                                              "php"};

// sites.bulk: input {"action", "site_ids": [N, ...], "php"?, "parallel"};
// step i ran on site_ids[i]. A retry runs only the sites whose step failed.
class BulkKind final : public OperationKind
{
public:
    explicit BulkKind(SiteBulk& bulk) : m_bulk(bulk) {}
    QString type() const override { return optype::kSitesBulk; }
    Status validateInput(const QJsonObject& input) const override
    {
        if (!SiteBulk::actionFrom(input.value(QStringLiteral("action")).toString()))
            return makeError(QStringLiteral("invalid_input"),
                             tr("\"action\" must be one of: %1.")
                                 .arg(SiteBulk::actionNames().join(QStringLiteral(", "))));
        return requireIds(input, QStringLiteral("site_ids"), QStringLiteral("site"));
    }
    Result<Id> retry(const Operation& op, const QJsonObject& input,
                     const QVector<Operation>& steps) override
    {
        SiteBulk::Request r;
        r.action = *SiteBulk::actionFrom(input.value(QStringLiteral("action")).toString());
        r.php = input.value(QStringLiteral("php")).toString();
        r.parallel = input.value(QStringLiteral("parallel")).toInt(8);
        r.siteIds = notCompleted(input.value(QStringLiteral("site_ids")).toArray(), steps);
        if (r.siteIds.isEmpty())
            return makeError(
                QStringLiteral("not_retryable"),
                tr("Every site of operation #%1 completed; nothing to retry.").arg(op.id));
        return m_bulk.start(r);
    }

private:
    SiteBulk& m_bulk;
};

} // namespace

QString SiteBulk::toString(Action a)
{
    return QString::fromLatin1(kActions.at(static_cast<size_t>(a)));
}

std::optional<SiteBulk::Action> SiteBulk::actionFrom(const QString& name)
{
    for (size_t i = 0; i < kActions.size(); ++i)
        if (name == QLatin1String(kActions.at(i)))
            return static_cast<Action>(i);
    return std::nullopt;
}

QStringList SiteBulk::actionNames()
{
    QStringList out;
    for (const char* a : kActions)
        out << QString::fromLatin1(a);
    return out;
}

Status SiteBulk::check(const Request& request, QVector<Site>* sites) const
{
    if (request.siteIds.isEmpty())
        return makeError(QStringLiteral("invalid_input"), tr("No site is selected."));
    if (request.action == Action::Php && request.php.isEmpty())
        return makeError(QStringLiteral("invalid_input"), tr("Choose the PHP version."));
    for (Id id : request.siteIds) {
        auto s = m_sites.site(id);
        if (!s)
            return s.error();
        if (auto v = m_sites.hostOf(s.value()); !v)
            return v.error();
        if (request.action == Action::Php && s.value().type == SiteType::Html)
            return makeError(QStringLiteral("no_php"),
                             tr("%1 is a static html site; it runs no PHP. Leave it out of the "
                                "selection.")
                                 .arg(s.value().domain));
        *sites << s.value();
    }
    return okStatus();
}

Result<Id> SiteBulk::start(const Request& request)
{
    QVector<Site> sites;
    if (auto st = check(request, &sites); !st)
        return st.error();
    Recipe r;
    r.type = optype::kSitesBulk;
    r.targetType = QStringLiteral("fleet");
    r.mode = Recipe::Mode::Parallel;
    r.parallelLimit = qBound(1, request.parallel, 64);
    r.policy = Recipe::Policy::ContinueAndReport;
    QJsonArray ids;
    for (const Site& s : sites) {
        ids.append(s.id);
        Step step = request.action == Action::Enable    ? m_sites.switchStep(s.id, true)
                    : request.action == Action::Disable ? m_sites.switchStep(s.id, false)
                    : request.action == Action::Php     ? m_tools.phpStep(s.id, request.php)
                    : request.action == Action::SslRenew
                        ? m_tools.step(s.id, SiteTools::Tool::SslRenew)
                        : m_tools.step(s.id, SiteTools::Tool::CacheClear);
        step.name = s.domain; // one result row per site
        r.steps << std::move(step);
    }
    QJsonObject input{{QStringLiteral("action"), toString(request.action)},
                      {QStringLiteral("site_ids"), ids},
                      {QStringLiteral("parallel"), r.parallelLimit}};
    if (request.action == Action::Php)
        input.insert(QStringLiteral("php"), request.php);
    r.inputJson = compactJson(input);
    return m_sites.fleet().runner().start(std::move(r));
}

std::unique_ptr<OperationKind> SiteBulk::kind()
{
    return std::make_unique<BulkKind>(*this);
}

} // namespace chom
