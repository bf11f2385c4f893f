#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace chom::metrics {

enum class Unit
{
    Percent,
    BytesPerSecond,
    Load,
    PerSecond,
    Bytes
};

// One chart of the Metrics page: a title, a unit and the PromQL it draws
// (one query per line on the chart's legend). `{rate}` is replaced by the
// rate window that suits the step. Queries are written unscoped: the scope
// (VPS, tenant, site) is added structurally by scopeQuery().
struct PanelSpec
{
    QString id;
    QString title;
    Unit unit = Unit::Percent;
    struct Query
    {
        QString legend; // label whose value names each series ("instance")
        QString promql;
        QString prefix = {}; // fixed text before it when a panel has several queries ("in")
    };
    QVector<Query> queries;
    QString emptyMessage; // shown when every query returns no series
    bool perSite = false; // its metric carries a per-site `domain` label
};

// The standard panels (CPU, memory, disk, network in/out, load, HTTP by status).
const QVector<PanelSpec>& standardPanels();

// Formats a value for axes and tooltips: "42.0 %", "1.5 MiB/s", "0.73", "12.0/s".
QString formatValue(double value, Unit unit);

} // namespace chom::metrics
