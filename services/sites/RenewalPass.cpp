#include "sites/RenewalPass.h"

#include "ops/OperationKind.h"
#include "sites/SiteTools.h"
#include "store/OperationJournal.h"
#include "store/SiteRepository.h"
#include "store/TenantRepository.h"

#include <algorithm>

namespace chom {

int RenewalPassResult::count(RenewalDecision::Verdict v) const
{
    return int(std::count_if(rows.begin(), rows.end(),
                             [v](const RenewalRow& r) { return r.decision.verdict == v; }));
}

Result<QVector<RenewalRow>> RenewalPass::plan(Store& store, qint64 now, int limit)
{
    auto sites = SiteRepository(store).list();
    if (!sites)
        return sites.error();
    auto tenants = TenantRepository(store).list();
    if (!tenants)
        return tenants.error();
    QHash<Id, bool> active;
    for (const Tenant& t : tenants.value())
        active.insert(t.id, t.status == TenantStatus::Active);
    OperationJournal journal(store);
    QHash<Id, RenewalHistory> history;
    for (const Site& s : sites.value()) {
        if (!s.sslEnabled)
            continue;
        auto ops = journal.forTarget(QStringLiteral("site"), s.id, kHistory);
        if (!ops)
            return ops.error();
        QVector<Operation> ssl;
        for (const Operation& op : ops.value())
            if (op.type == optype::kSiteSslRenew || op.type == optype::kSiteSslIssue)
                ssl << op;
        history.insert(s.id, RenewalPlan::historyFrom(ssl));
    }
    return RenewalPlan::plan(sites.value(), active, history, now, limit);
}

Result<RenewalPassResult> RenewalPass::run(Store& store, SiteTools& tools, qint64 now, int limit)
{
    auto rows = plan(store, now, limit);
    if (!rows)
        return rows.error();
    RenewalPassResult out;
    out.rows = std::move(rows).value();
    for (const RenewalRow& r : out.rows) {
        if (!r.startNow)
            continue;
        auto op = tools.start(r.site.id, SiteTools::Tool::SslRenew);
        if (op)
            out.operations << op.value();
        else
            out.notStarted << QStringLiteral("%1: %2").arg(r.site.domain, op.errorMessage());
    }
    return out;
}

} // namespace chom
