#pragma once

#include "observability/MetricsTypes.h"

#include <QHash>
#include <QStringList>

#include <functional>

namespace chom::metrics {

class PrometheusClient;

// One tenant's Prometheus figures, NaN where Prometheus has no series.
struct TenantUsage
{
    double bandwidth30dBytes = qQNaN(); // bytes sent over 30 days, loopback excluded
    double diskUsedBytes = qQNaN();     // size - avail of "/"
    int firingAlerts = 0;
    QStringList alertNames; // distinct alertname of the firing alerts, sorted
    qint64 atMs = 0;        // newest sample / answer behind these figures
};

// The Tenants page's Prometheus columns: two instant queries grouped
// `sum by (tenant_id)` plus one /api/v1/alerts call, all in parallel, each
// answering for EVERY tenant at once (never one query per tenant). Keyed by
// the tenant_id label, which is the console's numeric Tenant::id as text.
class TenantMetrics
{
public:
    using Done = std::function<void(const QHash<QString, TenantUsage>&, const MetricsError&)>;
    // `done` runs once, after all three answers, with the first error seen.
    static void fetch(PrometheusClient& client, Done done);
    static QStringList queries(); // bandwidth 30 d, disk used (for tests and docs)
    // Counts the firing alerts that carry a tenant_id into `usage`.
    static void addAlerts(const QVector<Alert>& alerts, QHash<QString, TenantUsage>* usage);
};

} // namespace chom::metrics
