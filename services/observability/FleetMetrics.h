#pragma once

#include "observability/MetricsTypes.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace chom::metrics {

class PrometheusClient;

// Latest node_exporter readings of one host, NaN where missing.
struct HostMetrics
{
    double cpuPercent = qQNaN();
    double memoryPercent = qQNaN();
    double diskPercent = qQNaN();
    double load1 = qQNaN();
    qint64 atMs = 0;
};

// The VPS Fleet page's Prometheus columns: four instant queries in parallel,
// each answering for EVERY host at once (never one query per row). Keyed by
// the host part of node_exporter's `instance` label ("10.0.0.5:9100" ->
// "10.0.0.5"), which the page matches against each VPS's address.
class FleetMetrics
{
public:
    using Done = std::function<void(const QHash<QString, HostMetrics>&, const MetricsError&)>;
    static void fetch(PrometheusClient& client, Done done);
    static QStringList queries(); // cpu, memory, disk, load (for tests and docs)
    static QString hostOf(const QString& instance);
    // node_exporter's instance for a VPS address: "10.0.0.5:9100",
    // "[fd00::5]:9100" (the inverse of hostOf).
    static QString instanceOf(const QString& address, int port = 9100);
};

} // namespace chom::metrics
