#include "sites/RenewalPlan.h"

#include <algorithm>

namespace chom {

RenewalHistory RenewalPlan::historyFrom(const QVector<Operation>& recent)
{
    RenewalHistory h;
    for (const Operation& op : recent) {
        if (op.status == OperationStatus::Completed)
            break; // failures before a success no longer count
        if (op.status != OperationStatus::Failed)
            continue; // running, cancelled or interrupted: not the certificate's fault
        if (h.failures++ == 0) {
            h.lastFailureAt = op.completedAt ? op.completedAt : op.createdAt;
            h.lastError = op.error;
        }
    }
    return h;
}

QVector<RenewalRow> RenewalPlan::plan(const QVector<Site>& sites,
                                      const QHash<Id, bool>& tenantActive,
                                      const QHash<Id, RenewalHistory>& history, qint64 now,
                                      int limit)
{
    QVector<RenewalRow> rows;
    for (const Site& s : sites) {
        if (!s.sslEnabled)
            continue;
        rows.push_back({s,
                        RenewalPolicy::decide(s, tenantActive.value(s.tenantId, true),
                                              history.value(s.id), now),
                        false});
    }
    const auto rank = [](const RenewalRow& r) {
        return r.decision.verdict == RenewalDecision::Verdict::Due ? 0 : 1;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const RenewalRow& a, const RenewalRow& b) {
        if (rank(a) != rank(b))
            return rank(a) < rank(b);
        return a.site.sslExpiresAt < b.site.sslExpiresAt;
    });
    int started = 0;
    for (RenewalRow& r : rows)
        if (r.decision.verdict == RenewalDecision::Verdict::Due && started < limit) {
            r.startNow = true;
            ++started;
        }
    return rows;
}

} // namespace chom
