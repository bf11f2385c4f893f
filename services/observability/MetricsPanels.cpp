#include "observability/MetricsPanels.h"

#include "ByteFormat.h"

#include <QtMath>

namespace chom::metrics {

const QVector<PanelSpec>& standardPanels()
{
    static const QVector<PanelSpec> panels = [] {
        QVector<PanelSpec> p;
        p << PanelSpec{QStringLiteral("cpu"),
                       QStringLiteral("CPU"),
                       Unit::Percent,
                       {{QStringLiteral("instance"),
                         QStringLiteral("100 * (1 - avg by (instance) "
                                        "(rate(node_cpu_seconds_total{mode=\"idle\"}[{rate}])))")}},
                       QStringLiteral("No node_exporter CPU metrics for this scope.")};
        p << PanelSpec{QStringLiteral("memory"),
                       QStringLiteral("Memory"),
                       Unit::Percent,
                       {{QStringLiteral("instance"),
                         QStringLiteral("100 * (1 - node_memory_MemAvailable_bytes / "
                                        "node_memory_MemTotal_bytes)")}},
                       QStringLiteral("No node_exporter memory metrics for this scope.")};
        p << PanelSpec{
            QStringLiteral("disk"),
            QStringLiteral("Disk (/)"),
            Unit::Percent,
            {{QStringLiteral("instance"),
              QStringLiteral("100 * (1 - node_filesystem_avail_bytes{mountpoint=\"/\"} / "
                             "node_filesystem_size_bytes{mountpoint=\"/\"})")}},
            QStringLiteral("No filesystem metrics for / in this scope.")};
        p << PanelSpec{
            QStringLiteral("network"),
            QStringLiteral("Network"),
            Unit::BytesPerSecond,
            {{QStringLiteral("instance"),
              QStringLiteral("sum by (instance) "
                             "(rate(node_network_receive_bytes_total{device!=\"lo\"}[{rate}]))"),
              QStringLiteral("in")},
             {QStringLiteral("instance"),
              QStringLiteral("sum by (instance) "
                             "(rate(node_network_transmit_bytes_total{device!=\"lo\"}[{rate}]))"),
              QStringLiteral("out")}},
            QStringLiteral("No network metrics for this scope.")};
        p << PanelSpec{QStringLiteral("load"),
                       QStringLiteral("Load (1 min)"),
                       Unit::Load,
                       {{QStringLiteral("instance"), QStringLiteral("node_load1")}},
                       QStringLiteral("No load metrics for this scope.")};
        p << PanelSpec{
            QStringLiteral("http"),
            QStringLiteral("HTTP requests by status"),
            Unit::PerSecond,
            {{QStringLiteral("status"),
              QStringLiteral("sum by (status) (rate(nginx_http_requests_total[{rate}]))")}},
            QStringLiteral("No nginx metrics on this target (nginx_http_requests_total "
                           "is not exported)."),
            true};
        return p;
    }();
    return panels;
}

QString formatValue(double value, Unit unit)
{
    if (qIsNaN(value))
        return QStringLiteral("—");
    switch (unit) {
    case Unit::Percent:
        return QStringLiteral("%1 %").arg(value, 0, 'f', 1);
    case Unit::Load:
        return QString::number(value, 'f', 2);
    case Unit::PerSecond:
        return QStringLiteral("%1/s").arg(value, 0, 'f', value < 10 ? 2 : 1);
    case Unit::Bytes:
        return formatBytes(value); // the one byte formatter: "12.3 GiB"
    case Unit::BytesPerSecond:
        return formatBytes(value) + QStringLiteral("/s");
    }
    return QString::number(value);
}

} // namespace chom::metrics
