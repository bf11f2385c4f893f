#include "ui/observability/MetricsChart.h"
#include "PlainText.h"
#include "ui/observability/ChartTicks.h"
#include "ui/widgets/PlainLabel.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTime>
#include <QGraphicsTextItem>
#include <QLabel>
#include <QLineSeries>
#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace chom {

using metrics::QueryResult;

// Min/max decimation to `width` columns when a series has more than two
// points per pixel (a 10,000-point series on an 800 px chart becomes 1,600).
QList<QPointF> MetricsChart::decimate(const QVector<QPointF>& pts, int width)
{
    if (width <= 0 || pts.size() <= 2 * width)
        return QList<QPointF>(pts.begin(), pts.end());
    QList<QPointF> out;
    out.reserve(2 * width + 2);
    const double x0 = pts.first().x(), span = qMax(1.0, pts.last().x() - x0);
    int i = 0;
    const int n = int(pts.size());
    for (int col = 0; col < width && i < n; ++col) {
        const double colEnd = x0 + span * (col + 1) / width;
        int lo = -1, hi = -1;
        for (; i < n && (pts[i].x() <= colEnd || col == width - 1); ++i) {
            if (std::isnan(pts[i].y()))
                continue;
            if (lo < 0 || pts[i].y() < pts[lo].y())
                lo = i;
            if (hi < 0 || pts[i].y() > pts[hi].y())
                hi = i;
        }
        if (lo < 0)
            continue;
        out << pts[qMin(lo, hi)];
        if (lo != hi)
            out << pts[qMax(lo, hi)];
    }
    return out;
}

MetricsChart::MetricsChart(const metrics::PanelSpec& spec, QWidget* parent)
    : QFrame(parent), m_spec(spec), m_title(plainLabel(spec.title)), m_stamp(plainLabel()),
      m_message(plainLabel()), m_chart(new QChart), m_x(new QCategoryAxis), m_y(new QCategoryAxis)
{
    setObjectName(QStringLiteral("metricsChart_%1").arg(spec.id));
    setFrameShape(QFrame::StyledPanel);
    m_title->setStyleSheet(QStringLiteral("font-weight: 600;"));
    m_stamp->setObjectName(QStringLiteral("stamp"));
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setWordWrap(true);
    m_message->hide();
    m_chart->legend()->setAlignment(Qt::AlignTop); // the time labels keep the bottom
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    // Short labels drawn whole: a chart never shows "…" for a value or time.
    m_x->setTruncateLabels(false);
    m_y->setTruncateLabels(false);
    charticks::apply(m_y, 0, spec.unit);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_view = new QChartView(m_chart);
    m_view->setRenderHint(QPainter::Antialiasing, false); // 10k points stay cheap
    m_view->setMinimumHeight(200); // legend, plot and the time labels below it
    auto* top = new QHBoxLayout;
    top->addWidget(m_title);
    top->addStretch(1);
    top->addWidget(m_stamp);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(6, 6, 6, 6);
    col->addLayout(top);
    col->addWidget(m_message);
    col->addWidget(m_view, 1);
}

QStringList MetricsChart::axisLabels() const
{
    QStringList out;
    for (QGraphicsItem* item : m_view->scene()->items()) {
        if (auto* t = dynamic_cast<QGraphicsTextItem*>(item); t && t->isVisible())
            out << t->toPlainText();
    }
    return out;
}

QPair<qint64, qint64> MetricsChart::xRangeMs() const
{
    return {qint64(m_x->min()), qint64(m_x->max())};
}

int MetricsChart::plotWidth() const
{
    const int w = int(m_chart->plotArea().width());
    return w > 50 ? w : qMax(200, width() - 80);
}

QString MetricsChart::seriesName(int index, const metrics::Series& s) const
{
    const auto& q = m_spec.queries.at(index);
    const QString v = s.labels.value(q.legend);
    if (!q.prefix.isEmpty()) // several queries: "in host:9100", "out host:9100"
        return v.isEmpty() ? q.prefix : QStringLiteral("%1 %2").arg(q.prefix, v);
    return v.isEmpty() ? m_spec.title : v;
}

// Two series must never share a line (each replace() would overwrite the
// other and redraw every refresh): the legend label alone may not tell them
// apart, so the other labels, then a counter, do.
QString MetricsChart::uniqueName(int index, const metrics::Series& s,
                                 const QSet<QString>& seen) const
{
    const QString base = seriesName(index, s);
    const auto free = [&](const QString& n) {
        return !seen.contains(n) && m_seriesQuery.value(n, index) == index;
    };
    if (free(base))
        return base;
    QStringList parts;
    for (auto it = s.labels.cbegin(); it != s.labels.cend(); ++it)
        if (it.key() != m_spec.queries.at(index).legend && it.key() != QLatin1String("__name__"))
            parts << QStringLiteral("%1=%2").arg(it.key(), it.value());
    const QString labelled =
        parts.isEmpty() ? base : base + QStringLiteral(" {%1}").arg(parts.join(QLatin1Char(',')));
    QString name = labelled;
    for (int n = 2; !free(name); ++n)
        name = QStringLiteral("%1 #%2").arg(labelled).arg(n);
    return name;
}

void MetricsChart::setResult(int index, const QueryResult& result)
{
    if (index < 0 || index >= m_spec.queries.size())
        return;
    updateStamp(result);
    if (result.error && result.series.isEmpty())
        return; // keep what is drawn; the stamp says it is stale
    QSet<QString> seen;
    bool changed = false;
    for (const metrics::Series& s : result.series) {
        const QString name = uniqueName(index, s, seen);
        seen.insert(name);
        QLineSeries* line = m_series.value(name);
        if (!line) {
            line = new QLineSeries;
            line->setName(name);
            m_chart->addSeries(line);
            line->attachAxis(m_x);
            line->attachAxis(m_y);
            m_series.insert(name, line);
            m_seriesQuery.insert(name, index);
            const metrics::Unit unit = m_spec.unit;
            connect(line, &QLineSeries::hovered, this, [name, unit](const QPointF& p, bool on) {
                if (!on)
                    return;
                QToolTip::showText(QCursor::pos(),
                                   QStringLiteral("%1\n%2\n%3")
                                       .arg(name,
                                            QDateTime::fromMSecsSinceEpoch(qint64(p.x()))
                                                .toLocalTime()
                                                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                            metrics::formatValue(p.y(), unit)));
            });
        }
        // The same answer again (a cache hit on auto-refresh): nothing to redraw.
        const Drawn drawn{result.fetchedAtMs, int(s.points.size()),
                          s.points.isEmpty() ? QPointF() : s.points.last()};
        if (m_drawn.value(name) == drawn && result.fetchedAtMs > 0)
            continue;
        changed = true;
        m_drawn.insert(name, drawn);
        // One call per buffer (no per-point signals), at most ~2 points per
        // pixel: min/max per pixel column keeps every spike visible.
        const QList<QPointF> pts = decimate(s.points, plotWidth());
        Bounds b;
        for (const QPointF& p : pts) {
            b.x0 = qMin(b.x0, p.x());
            b.x1 = qMax(b.x1, p.x());
            if (!std::isnan(p.y()))
                b.y1 = qMax(b.y1, p.y());
        }
        m_bounds.insert(name, b);
        line->replace(pts);
        ++m_replaced;
    }
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (m_seriesQuery.value(it.key()) == index && !seen.contains(it.key())) {
            changed = true;
            m_bounds.remove(it.key());
            m_drawn.remove(it.key());
            m_chart->removeSeries(it.value());
            delete it.value();
            m_seriesQuery.remove(it.key());
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }
    m_empty[index] = result.series.isEmpty();
    bool allEmpty = true;
    for (int i = 0; i < m_spec.queries.size(); ++i)
        allEmpty = allEmpty && m_empty.value(i, false);
    m_message->setText(m_spec.emptyMessage);
    m_message->setVisible(allEmpty && !result.error);
    if (changed) // a cache hit on auto-refresh leaves the axes as they are
        updateAxes();
}

void MetricsChart::updateAxes()
{
    // From bounds kept per series at replace() time: no copy of the points.
    double x0 = std::numeric_limits<double>::max(), x1 = 0, y1 = 0;
    for (const Bounds& b : std::as_const(m_bounds)) {
        x0 = qMin(x0, b.x0);
        x1 = qMax(x1, b.x1);
        y1 = qMax(y1, b.y1);
    }
    if (m_windowToMs > m_windowFromMs) { // the window asked for, not the data's extent
        x0 = double(m_windowFromMs);
        x1 = double(m_windowToMs);
    }
    if (x1 > 0 && x0 < x1)
        charticks::applyTime(m_x, qint64(x0), qint64(x1));
    charticks::apply(m_y, y1, m_spec.unit);
}

void MetricsChart::setWindow(qint64 fromMs, qint64 toMs)
{
    if (fromMs == m_windowFromMs && toMs == m_windowToMs)
        return;
    m_windowFromMs = fromMs;
    m_windowToMs = toMs;
    updateAxes();
}

void MetricsChart::updateStamp(const QueryResult& r)
{
    if (!r.error && r.fetchedAtMs > 0)
        m_lastFetchedMs = r.fetchedAtMs;
    const qint64 at = r.error ? m_lastFetchedMs : r.fetchedAtMs;
    const QString when =
        at > 0
            ? QDateTime::fromMSecsSinceEpoch(at).toLocalTime().toString(QStringLiteral("HH:mm:ss"))
            : QString();
    if (r.error)
        m_stamp->setText(when.isEmpty() ? tr("no data: %1").arg(metrics::toString(r.error.kind))
                                        : tr("as of %1 (stale)").arg(when));
    else if (r.stale)
        m_stamp->setText(tr("as of %1 (stale, refreshing)").arg(when));
    else
        m_stamp->setText(tr("as of %1").arg(when));
    m_stamp->setToolTip(plainToolTip(r.error ? r.error.message : QString()));
    // Restyling re-polishes the widget: only when the state changes.
    const bool warn = r.error || r.stale;
    if (warn != m_stampWarns) {
        m_stampWarns = warn;
        m_stamp->setStyleSheet(warn ? QStringLiteral("color: #b26a00;") : QString());
    }
}

QHash<QString, int> MetricsChart::pointCounts() const
{
    QHash<QString, int> out;
    for (auto it = m_series.begin(); it != m_series.end(); ++it)
        out.insert(it.key(), int(it.value()->count()));
    return out;
}

QString MetricsChart::stampText() const
{
    return m_stamp->text();
}

QString MetricsChart::messageText() const
{
    return m_message->isVisibleTo(this) ? m_message->text() : QString();
}

} // namespace chom
