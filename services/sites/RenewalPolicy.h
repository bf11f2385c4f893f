#pragma once

#include "Domain.h"

#include <QString>

namespace chom {

// When a site's certificate is renewed. Not a fixed number of days before
// expiry: certificate lifetimes shrink (90 days now, 64 and then 45 from
// 2027), so renewal starts when a third of the certificate's lifetime
// remains, as Let's Encrypt advises. Renewals are spread by a jitter of up
// to a fiftieth of the lifetime (at most a day), stable per domain so a
// restart keeps the schedule; failures back off per domain (1 h doubling to
// 24 h) and never stop the others.
struct RenewalHistory
{
    int failures = 0;         // consecutive failed renewals since the last success
    qint64 lastFailureAt = 0; // Unix seconds
    QString lastError;        // certbot's message
};

struct RenewalDecision
{
    enum class Verdict
    {
        Due,
        Waiting,
        BackingOff,
        Skipped
    };
    Verdict verdict = Verdict::Skipped;
    qint64 dueAt = 0; // when it becomes (or became) due; 0 when skipped
    QString reason;   // for the report: why waiting, backing off or skipped
};

class RenewalPolicy
{
public:
    static constexpr qint64 kAssumedLifetime = 90 * 86400; // when no issue time is recorded
    static constexpr qint64 kFirstBackoff = 3600;
    static constexpr qint64 kMaxBackoff = 86400;

    // The moment a third of the lifetime remains, plus the domain's jitter.
    static qint64 dueAt(const QString& domain, qint64 issuedAt, qint64 expiresAt);
    static qint64 backoff(int failures); // seconds after the last failure
    // tenantActive: a suspended tenant's sites are not renewed.
    static RenewalDecision decide(const Site& site, bool tenantActive,
                                  const RenewalHistory& history, qint64 now);
    static QString toString(RenewalDecision::Verdict v);
};

} // namespace chom
