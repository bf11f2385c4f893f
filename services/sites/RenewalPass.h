#pragma once

#include "Domain.h"
#include "base/Result.h"
#include "sites/RenewalPlan.h"

namespace chom {

class SiteTools;
class Store;

// What one pass of the renewal scheduler did: each due site's renewal is
// its own site.ssl_renew operation (a failure, with certbot's message, is
// journaled on that site and never stops the others).
struct RenewalPassResult
{
    QVector<RenewalRow> rows; // every SSL site with its verdict
    QVector<Id> operations;   // the renewals started
    QStringList notStarted;   // "domain: why" when a due renewal could not start
    int count(RenewalDecision::Verdict v) const;
};

// One pass over the store: the SSL sites, their tenants' status and each
// site's renewal history from the journal, decided by RenewalPlan, then the
// due ones started (up to `limit`; the rest wait for the next pass). On the
// store thread, or any thread that may use the store.
class RenewalPass
{
public:
    static constexpr int kHistory = 10; // recent ssl operations read per site

    [[nodiscard]] static Result<QVector<RenewalRow>> plan(Store& store, qint64 now, int limit);
    [[nodiscard]] static Result<RenewalPassResult> run(Store& store, SiteTools& tools, qint64 now,
                                                       int limit);
};

} // namespace chom
