#include "sites/TenantSites.h"

#include "base/Json.h"

#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "inventory/TenantService.h"
#include "ops/OperationKind.h"
#include "ops/OperationRunner.h"
#include "store/VpsRepository.h"

#include <QCoreApplication>

namespace chom {

Result<Id> TenantSites::setTenantStatus(Id tenantId, TenantStatus status)
{
    if (auto st = m_fleet.core().tenants().setStatus(tenantId, status); !st)
        return st.error();
    return startSync(tenantId);
}

Result<Id> TenantSites::startSync(Id tenantId)
{
    auto sites = m_fleet.core().sites().list(tenantId);
    if (!sites)
        return sites.error();
    Recipe r;
    r.type = optype::kTenantSites;
    r.targetType = QStringLiteral("tenant");
    r.targetId = tenantId;
    r.tenantId = tenantId;
    r.mode = Recipe::Mode::Parallel;
    r.parallelLimit = 8;
    r.policy = Recipe::Policy::ContinueAndReport;
    r.inputJson = compactJson({{QStringLiteral("tenant_id"), tenantId}});
    for (const Site& s : sites.value()) {
        const bool on = s.status == SiteStatus::Active;
        if (!s.vpsId || (!on && s.status != SiteStatus::Disabled))
            continue; // not on a server, or in the middle of something else
        const QString command = on ? QStringLiteral("site:enable") : QStringLiteral("site:disable");
        r.steps << Step{QStringLiteral("%1 %2").arg(command, s.domain),
                        [this, s, command](StepContext&) {
                            auto v = VpsRepository(m_fleet.core().store()).get(s.vpsId);
                            if (!v)
                                return StepOutcome::failure(v.errorMessage());
                            const AgentReply a = m_fleet.callAgent(v.value(), command, {s.domain});
                            if (!a.ok())
                                return StepOutcome::failure(
                                    QStringLiteral("%1: %2: %3").arg(s.domain, a.code, a.message));
                            return StepOutcome::success();
                        }};
    }
    if (r.steps.isEmpty())
        return Id(0);
    return m_fleet.runner().start(std::move(r));
}

std::unique_ptr<OperationKind> TenantSites::kind()
{
    // Retry: the tenant's sites brought in line with the store again.
    class TenantKind final : public OperationKind
    {
    public:
        explicit TenantKind(TenantSites& ops) : m_ops(ops) {}
        QString type() const override { return optype::kTenantSites; }
        Status validateInput(const QJsonObject& input) const override
        {
            if (input.value(QStringLiteral("tenant_id")).toInteger(0) <= 0)
                return makeError(
                    QStringLiteral("invalid_input"),
                    QCoreApplication::translate("chom::TenantSites",
                                                "\"tenant_id\" must be a positive integer."));
            return okStatus();
        }
        Result<Id> retry(const Operation&, const QJsonObject& input,
                         const QVector<Operation>&) override
        {
            return m_ops.startSync(input.value(QStringLiteral("tenant_id")).toInteger());
        }

    private:
        TenantSites& m_ops;
    };
    return std::make_unique<TenantKind>(*this);
}

} // namespace chom
