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
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

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
    // For tests: total points per series name currently drawn.
    QHash<QString, int> pointCounts() const;
    QString stampText() const;
    int replacedBuffers() const { return m_replaced; } // replace() calls so far
    QString messageText() const;
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
    QDateTimeAxis* m_x;
    QValueAxis* m_y;
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
