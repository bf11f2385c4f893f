#pragma once

#include "observability/MetricsPanels.h"

#include <QString>
#include <QVector>

class QCategoryAxis;

namespace chom {

// Value-axis ticks a reader can use: round steps (1, 2, 2.5, 5 × 10ⁿ, or
// powers of 1024 for bytes) from 0 to just above the largest value, each
// labelled with its unit ("50 %", "1.5 GiB", "3 MiB/s"), short enough never
// to be elided.
namespace charticks {

QVector<double> ticks(double max, metrics::Unit unit, int wanted = 4);
QString label(double value, metrics::Unit unit);
// Replaces the axis' categories with labelled ticks for [0, max].
void apply(QCategoryAxis* axis, double max, metrics::Unit unit);
// Time ticks on round minutes, hours or days inside [fromMs, toMs], labelled
// in local time ("HH:mm", with the date past two days).
void applyTime(QCategoryAxis* axis, qint64 fromMs, qint64 toMs, int wanted = 5);

} // namespace charticks
} // namespace chom
