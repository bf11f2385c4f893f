#pragma once

#include "Domain.h"
#include "sites/RenewalPolicy.h"

#include <QHash>
#include <QVector>

namespace chom {

// One pass of the renewal scheduler, decided before anything runs: every
// SSL site with its verdict, the due ones first (soonest expiry first) up to
// the pass's limit; the rest of the due ones wait for the next pass. A
// failing site never blocks the others: each is decided on its own history.
struct RenewalRow
{
    Site site;
    RenewalDecision decision;
    bool startNow = false;
};

class RenewalPlan
{
public:
    // history: a site's recent ssl_renew/ssl_issue operations, newest first.
    static RenewalHistory historyFrom(const QVector<Operation>& recent);
    static QVector<RenewalRow> plan(const QVector<Site>& sites, const QHash<Id, bool>& tenantActive,
                                    const QHash<Id, RenewalHistory>& history, qint64 now,
                                    int limit);
};

} // namespace chom
