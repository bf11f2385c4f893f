#include "sites/SiteCoherency.h"

#include "base/Json.h"

#include "fleet/AgentProtocol.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "ops/OperationKind.h"
#include "ops/OperationRunner.h"
#include "sites/SiteTools.h"
#include "store/OperationJournal.h"
#include "store/SiteRepository.h"
#include "store/VpsRepository.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::SiteCoherency", text);
}

// sites.coherency: input {"vps_ids": [N, ...]}; step i checked vps_ids[i].
// A retry checks again only the hosts whose step did not complete.
class CoherencyKind final : public OperationKind
{
public:
    explicit CoherencyKind(SiteCoherency& check) : m_check(check) {}
    QString type() const override { return optype::kSitesCoherency; }
    Status validateInput(const QJsonObject& input) const override
    {
        return requireIds(input, QStringLiteral("vps_ids"), QStringLiteral("VPS"));
    }
    Result<Id> retry(const Operation& op, const QJsonObject& input,
                     const QVector<Operation>& steps) override
    {
        const QVector<Id> again =
            notCompleted(input.value(QStringLiteral("vps_ids")).toArray(), steps);
        if (again.isEmpty())
            return makeError(QStringLiteral("not_retryable"),
                             tr("Every host of operation #%1 was checked; run a new check "
                                "instead.")
                                 .arg(op.id));
        return m_check.startCheck(again);
    }

private:
    SiteCoherency& m_check;
};

} // namespace

Result<Id> SiteCoherency::startCheck(const QVector<Id>& vpsIds)
{
    auto all = VpsRepository(m_fleet.core().store()).list();
    if (!all)
        return all.error();
    QVector<Vps> targets;
    for (const Vps& v : all.value())
        if (vpsIds.isEmpty() ? v.status == VpsStatus::Active : vpsIds.contains(v.id))
            targets << v;
    if (targets.isEmpty())
        return makeError(QStringLiteral("no_targets"), tr("No VPS to check (none is active)."));
    Recipe r;
    r.type = optype::kSitesCoherency;
    r.targetType = QStringLiteral("fleet");
    r.mode = Recipe::Mode::Parallel;
    r.parallelLimit = 8;
    r.policy = Recipe::Policy::ContinueAndReport;
    // The store's side read once, when the check starts, for every host.
    auto sites = SiteRepository(m_fleet.core().store()).list();
    if (!sites)
        return sites.error();
    QHash<Id, QVector<Site>> byVps;
    auto placed = std::make_shared<QHash<QString, Id>>(); // domain -> its VPS
    for (const Site& s : sites.value()) {
        byVps[s.vpsId] << s;
        placed->insert(s.domain, s.vpsId);
    }
    QJsonArray ids;
    for (const Vps& v : targets) {
        ids.append(v.id);
        r.steps << hostStep(v, byVps.value(v.id), placed);
    }
    r.inputJson = compactJson({{QStringLiteral("vps_ids"), ids}});
    return m_fleet.runner().start(std::move(r));
}

Step SiteCoherency::hostStep(const Vps& vps, const QVector<Site>& here,
                             const std::shared_ptr<const QHash<QString, Id>>& placed)
{
    return {vps.hostname, [this, vps, here, placed](StepContext&) {
                const AgentReply a = m_fleet.callAgent(vps, QStringLiteral("site:audit"));
                if (!a.ok())
                    return StepOutcome::failure(QStringLiteral("%1: %2").arg(a.code, a.message));
                const auto found = CoherencyCheck::compare(vps, here, *placed, a.data,
                                                           QDateTime::currentSecsSinceEpoch());
                QJsonArray rows;
                for (const CoherencyFinding& f : found)
                    rows.append(chom::toJson(f));
                return StepOutcome::success(compactJson({{QStringLiteral("vps_id"), vps.id},
                                                         {QStringLiteral("hostname"), vps.hostname},
                                                         {QStringLiteral("sites"), here.size()},
                                                         {QStringLiteral("findings"), rows}}));
            }};
}

Result<QVector<Id>> SiteCoherency::startHeal(const QVector<Id>& siteIds)
{
    QVector<Id> started;
    for (Id id : siteIds) {
        auto op = m_tools.start(id, SiteTools::Tool::Render);
        if (!op)
            return op.error();
        started << op.value();
    }
    return started;
}

std::unique_ptr<OperationKind> SiteCoherency::kind()
{
    return std::make_unique<CoherencyKind>(*this);
}

Result<CoherencyReport> SiteCoherency::latest(Store& store)
{
    auto ops = OperationJournal(store).ofType(optype::kSitesCoherency, 1);
    if (!ops)
        return ops.error();
    if (ops.value().isEmpty())
        return CoherencyReport{};
    return report(store, ops.value().first().id);
}

Result<CoherencyReport> SiteCoherency::report(Store& store, Id operationId)
{
    OperationJournal journal(store);
    auto op = journal.get(operationId);
    if (!op)
        return op.error();
    auto steps = journal.steps(operationId);
    if (!steps)
        return steps.error();
    CoherencyReport r;
    r.operationId = operationId;
    r.status = op.value().status;
    r.startedAt = op.value().startedAt;
    r.completedAt = op.value().completedAt;
    for (const Operation& s : steps.value()) {
        const QString host = s.type.section(QLatin1Char('/'), 1);
        if (s.status != OperationStatus::Completed) {
            r.failures << QStringLiteral("%1: %2").arg(host, s.error.isEmpty() ? toString(s.status)
                                                                               : s.error);
            continue;
        }
        ++r.hostsChecked;
        for (const QJsonValue& f :
             jsonObjectFrom(s.outputJson).value(QStringLiteral("findings")).toArray())
            r.findings << coherencyFindingFrom(f.toObject());
    }
    return r;
}

QJsonObject SiteCoherency::toJson(const CoherencyReport& r)
{
    QJsonArray findings;
    for (const CoherencyFinding& f : r.findings)
        findings.append(chom::toJson(f));
    return {{QStringLiteral("operation_id"), r.operationId},
            {QStringLiteral("status"), chom::toString(r.status)},
            {QStringLiteral("started_at"), r.startedAt},
            {QStringLiteral("completed_at"), r.completedAt},
            {QStringLiteral("hosts_checked"), r.hostsChecked},
            {QStringLiteral("findings"), findings},
            {QStringLiteral("failures"), QJsonArray::fromStringList(r.failures)}};
}

} // namespace chom
