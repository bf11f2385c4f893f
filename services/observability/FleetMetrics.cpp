#include "observability/FleetMetrics.h"

#include "observability/PrometheusClient.h"

#include "base/Async.h"

#include <QDateTime>

#include <memory>

namespace chom::metrics {

QStringList FleetMetrics::queries()
{
    return {
        QStringLiteral(
            "100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m])))"),
        QStringLiteral("100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)"),
        QStringLiteral("100 * (1 - node_filesystem_avail_bytes{mountpoint=\"/\"} / "
                       "node_filesystem_size_bytes{mountpoint=\"/\"})"),
        QStringLiteral("node_load1")};
}

QString FleetMetrics::hostOf(const QString& instance)
{
    if (instance.startsWith(QLatin1Char('['))) // [v6]:port
        return instance.mid(1, instance.indexOf(QLatin1Char(']')) - 1);
    const int colon = instance.lastIndexOf(QLatin1Char(':'));
    return colon > 0 && instance.count(QLatin1Char(':')) == 1 ? instance.left(colon) : instance;
}

QString FleetMetrics::instanceOf(const QString& address, int port)
{
    const bool v6 = address.contains(QLatin1Char(':'));
    return (v6 ? QStringLiteral("[%1]:%2") : QStringLiteral("%1:%2")).arg(address).arg(port);
}

void FleetMetrics::fetch(PrometheusClient& client, Done done)
{
    struct State
    {
        QHash<QString, HostMetrics> hosts;
        MetricsError error;
    };
    const QStringList qs = queries();
    async::Join<State> join(int(qs.size()), [done](State& st) { done(st.hosts, st.error); });
    for (int i = 0; i < qs.size(); ++i) {
        client.query(qs.at(i), 0, join.arrive([i](State& st, const QueryResult& r) {
            if (r.error && !st.error)
                st.error = r.error;
            for (const Series& s : r.series) {
                if (s.points.isEmpty())
                    continue;
                HostMetrics& h = st.hosts[hostOf(s.labels.value(QStringLiteral("instance")))];
                const QPointF p = s.points.last();
                h.atMs = qMax(h.atMs, qint64(p.x()));
                double* field[] = {&h.cpuPercent, &h.memoryPercent, &h.diskPercent, &h.load1};
                *field[i] = p.y();
            }
        }));
    }
}

} // namespace chom::metrics
