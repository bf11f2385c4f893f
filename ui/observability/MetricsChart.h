#pragma once

#include "observability/MetricsPanels.h"
#include "observability/MetricsTypes.h"

#include <QFrame>
#include <QHash>
#include <QPointF>
#include <QSet>

#include <limits>

class QLabel;
class QChart;
class QChartView;
class QLineSeries;
class QCategoryAxis;

namespace chom {

// One panel of the Metrics page: a live line chart (time axis in local
// time, unit-formatted value axis, legend, hover tooltip) fed whole buffers
// with QXYSeries::replace(). Keeps the last data when a refresh fails and
// marks it stale with an "as of" stamp.
class MetricsChart : public QFrame
{
    Q_OBJECT
public:
    MetricsChart(const metrics::PanelSpec& spec, QWidget* parent = nullptr);

    const metrics::PanelSpec& spec() const { return m_spec; }
    // Results of query `index` of the spec; replaces that query's series.
    void setResult(int index, const metrics::QueryResult& result);
    int plotWidth() const; // pixels, for the step
    // The time window asked for: the X axis spans it whatever the data
    // covers (a gap stays a gap, one minute of data stays one minute wide).
    void setWindow(qint64 fromMs, qint64 toMs);
    // For tests: total points per series name currently drawn.
    QHash<QString, int> pointCounts() const;
    QString stampText() const;
    int replacedBuffers() const { return m_replaced; } // replace() calls so far
    QString messageText() const;
    // For tests: the axis labels the chart's scene shows now.
    QStringList axisLabels() const;
    QPair<qint64, qint64> xRangeMs() const;
    static QList<QPointF> decimate(const QVector<QPointF>& points, int width);

private:
    QString seriesName(int index, const metrics::Series& s) const;
    QString uniqueName(int index, const metrics::Series& s, const QSet<QString>& seen) const;
    void updateAxes();
    void updateStamp(const metrics::QueryResult& result);

    metrics::PanelSpec m_spec;
    QLabel* m_title;
    QLabel* m_stamp;
    QLabel* m_message;
    QChart* m_chart;
    QChartView* m_view;
    QCategoryAxis* m_x; // time, in ms since the epoch (ChartTicks::applyTime)
    QCategoryAxis* m_y; // ticks placed and labelled with their unit (ChartTicks)
    qint64 m_windowFromMs = 0;
    qint64 m_windowToMs = 0;
    QHash<QString, QLineSeries*> m_series; // name -> series
    QHash<QString, int> m_seriesQuery;     // name -> query index
    QHash<int, bool> m_empty;              // query index -> returned no series
    qint64 m_lastFetchedMs = 0;            // last good answer, for "as of"
    bool m_stampWarns = false;
    int m_replaced = 0;
    struct Bounds
    {
        double x0 = std::numeric_limits<double>::max();
        double x1 = 0;
        double y1 = 0;
    };
    QHash<QString, Bounds> m_bounds; // per series, kept at replace() time
    struct Drawn
    {
        qint64 fetchedAtMs = 0;
        int count = 0;
        QPointF last;
        bool operator==(const Drawn& o) const
        {
            return fetchedAtMs == o.fetchedAtMs && count == o.count && last == o.last;
        }
    };
    QHash<QString, Drawn> m_drawn; // what each series shows now
};

} // namespace chom
