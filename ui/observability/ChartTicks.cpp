#include "ui/observability/ChartTicks.h"

#include "ByteFormat.h"

#include <QCategoryAxis>
#include <QDateTime>

#include <iterator>

#include <cmath>

namespace chom::charticks {
namespace {

bool isBytes(metrics::Unit unit)
{
    return unit == metrics::Unit::Bytes || unit == metrics::Unit::BytesPerSecond;
}

// 1, 2, 2.5 or 5 × base^n: the smallest such step giving at most `wanted` steps.
double niceStep(double max, int wanted, double base)
{
    const double raw = max / qMax(1, wanted);
    double scale = 1;
    while (scale * base <= raw)
        scale *= base;
    while (scale > raw && scale > 1e-9)
        scale /= base;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0}) {
        if (m * scale >= raw)
            return m * scale;
    }
    return scale * base;
}

QString trimmed(double v, int decimals)
{
    QString s = QString::number(v, 'f', decimals);
    if (s.contains(QLatin1Char('.'))) {
        while (s.endsWith(QLatin1Char('0')))
            s.chop(1);
        if (s.endsWith(QLatin1Char('.')))
            s.chop(1);
    }
    return s;
}

} // namespace

QVector<double> ticks(double max, metrics::Unit unit, int wanted)
{
    if (unit == metrics::Unit::Percent)
        return {0, 25, 50, 75, 100};
    if (!(max > 0))
        max = 1;
    const double step = niceStep(max, wanted, isBytes(unit) && max >= 1024 ? 1024 : 10);
    QVector<double> out;
    for (int i = 0; out.isEmpty() || out.last() < max; ++i)
        out << i * step;
    return out;
}

QString label(double value, metrics::Unit unit)
{
    switch (unit) {
    case metrics::Unit::Percent:
        return QStringLiteral("%1 %").arg(trimmed(value, 0));
    case metrics::Unit::Load:
        return trimmed(value, 2);
    case metrics::Unit::PerSecond:
        return QStringLiteral("%1/s").arg(trimmed(value, 2));
    case metrics::Unit::Bytes:
        return formatBytes(value);
    case metrics::Unit::BytesPerSecond:
        return formatBytes(value) + QStringLiteral("/s");
    }
    return trimmed(value, 2);
}

void apply(QCategoryAxis* axis, double max, metrics::Unit unit)
{
    const QVector<double> t = ticks(max, unit);
    for (const QString& l : axis->categoriesLabels())
        axis->remove(l);
    axis->setStartValue(0);
    for (double v : t)
        axis->append(label(v, unit), v);
    axis->setRange(0, t.last());
}

void applyTime(QCategoryAxis* axis, qint64 fromMs, qint64 toMs, int wanted)
{
    for (const QString& l : axis->categoriesLabels())
        axis->remove(l);
    if (toMs <= fromMs)
        return;
    static const qint64 steps[] = {60,   120,   300,   600,   900,   1800,   3600,
                                   7200, 10800, 21600, 43200, 86400, 172800, 604800};
    const qint64 span = (toMs - fromMs) / 1000;
    qint64 step = steps[std::size(steps) - 1];
    for (qint64 s : steps) {
        if (span / s <= wanted) {
            step = s;
            break;
        }
    }
    const bool dated = span > 2 * 86400;
    const qint64 offset = QDateTime::fromMSecsSinceEpoch(fromMs).offsetFromUtc(); // local
    qint64 t = ((fromMs / 1000 + offset + step - 1) / step) * step - offset;
    axis->setStartValue(double(fromMs));
    for (; t * 1000 <= toMs; t += step) {
        const QDateTime at = QDateTime::fromSecsSinceEpoch(t);
        axis->append(at.toString(dated ? QStringLiteral("MM-dd HH:mm") : QStringLiteral("HH:mm")),
                     double(t) * 1000);
    }
    axis->setRange(double(fromMs), double(toMs));
}

} // namespace chom::charticks
