#include "observability/TenantMetrics.h"

#include "base/Async.h"

#include "observability/PromQlScoper.h"
#include "observability/PrometheusClient.h"

#include <QDateTime>

#include <memory>

namespace chom::metrics {

QStringList TenantMetrics::queries()
{
    // `tenant_id!=""` keeps unlabelled hosts out of an empty-named group.
    return {QStringLiteral("sum by (tenant_id) (increase(node_network_transmit_bytes_total"
                           "{tenant_id!=\"\",device!=\"lo\"}[30d]))"),
            QStringLiteral("sum by (tenant_id) ("
                           "node_filesystem_size_bytes{tenant_id!=\"\",mountpoint=\"/\"} - "
                           "node_filesystem_avail_bytes{tenant_id!=\"\",mountpoint=\"/\"})")};
}

void TenantMetrics::addAlerts(const QVector<Alert>& alerts, QHash<QString, TenantUsage>* usage)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const Alert& a : alerts) {
        const QString tenant = a.labels.value(tenantLabel());
        if (a.state != QLatin1String("firing") || tenant.isEmpty())
            continue; // pending alerts and fleet-wide ones are not a tenant's
        TenantUsage& u = (*usage)[tenant];
        ++u.firingAlerts;
        const QString name = a.labels.value(QStringLiteral("alertname"));
        if (!name.isEmpty() && !u.alertNames.contains(name)) {
            u.alertNames << name;
            u.alertNames.sort();
        }
        u.atMs = qMax(u.atMs, now);
    }
}

void TenantMetrics::fetch(PrometheusClient& client, Done done)
{
    struct State
    {
        QHash<QString, TenantUsage> tenants;
        MetricsError error;
        void noteError(const MetricsError& e)
        {
            if (e && !error)
                error = e;
        }
    };
    const QStringList qs = queries();
    async::Join<State> join(int(qs.size()) + 1, [done](State& st) { done(st.tenants, st.error); });
    for (int i = 0; i < qs.size(); ++i) {
        client.query(qs.at(i), 0, join.arrive([i](State& st, const QueryResult& r) {
            st.noteError(r.error);
            for (const Series& s : r.series) {
                const QString tenant = s.labels.value(tenantLabel());
                if (s.points.isEmpty() || tenant.isEmpty())
                    continue;
                TenantUsage& u = st.tenants[tenant];
                const QPointF p = s.points.last();
                u.atMs = qMax(u.atMs, qint64(p.x()));
                (i == 0 ? u.bandwidth30dBytes : u.diskUsedBytes) = p.y();
            }
        }));
    }
    client.alerts(join.arrive([](State& st, const QVector<Alert>& alerts, const MetricsError& e) {
        st.noteError(e);
        addAlerts(alerts, &st.tenants);
    }));
}

} // namespace chom::metrics
