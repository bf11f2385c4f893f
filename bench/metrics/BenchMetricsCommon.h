#pragma once

// Helpers shared by bench_metrics (no widgets) and bench_metrics_gui.

#include "observability/MetricsTypes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QStringList>
#include <QTimer>
#include <QVector>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace chom::benchmetrics {

inline void note(const QString& s)
{
    std::fprintf(stderr, "bench-metrics: %s\n", qPrintable(s));
}

inline void out(const QString& s)
{
    std::printf("%s\n", qPrintable(s));
    std::fflush(stdout);
}

[[noreturn]] inline void die(const QString& s)
{
    note(QStringLiteral("error: ") + s);
    std::exit(1);
}

inline double percentile(QVector<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.at(qMin(int(v.size()) - 1, int(p * v.size())));
}

inline double median(const QVector<double>& v)
{
    return percentile(v, 0.5);
}

inline QString list(const QVector<double>& v, int decimals = 0)
{
    QStringList s;
    for (double d : v)
        s << QString::number(d, 'f', decimals);
    return QLatin1Char('[') + s.join(QStringLiteral(", ")) + QLatin1Char(']');
}

inline QString fmt(double v, int decimals = 1)
{
    return QString::number(v, 'f', decimals);
}

inline QString verdict(bool met)
{
    return met ? QStringLiteral("**met**") : QStringLiteral("**missed**");
}

// Runs the event loop (sleeping between events) until cond() holds or ms pass.
inline bool waitFor(const std::function<bool()>& cond, int ms)
{
    if (cond())
        return true;
    QEventLoop loop;
    QTimer poll, limit;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (cond())
            loop.quit();
    });
    QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);
    poll.start(1);
    limit.setSingleShot(true);
    limit.start(ms);
    loop.exec();
    return cond();
}

inline int points(const metrics::QueryResult& r)
{
    int n = 0;
    for (const auto& s : r.series)
        n += int(s.points.size());
    return n;
}

} // namespace chom::benchmetrics
