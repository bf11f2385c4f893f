#pragma once

#include "Page.h"
#include "metrics/MetricsService.h"

#include <QTimer>
#include <QVector>

class QComboBox;
class QLabel;
class QPushButton;

namespace chom {

class MetricsChart;

// Charts of the fleet, one VPS or one tenant from Prometheus: all panel
// queries go out at once through the cache; scope and range changes are
// debounced; auto-refresh runs only while the page is visible, and hidden
// panels are not queried.
class MetricsPage : public Page
{
    Q_OBJECT
public:
    explicit MetricsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Metrics"); }
    void refresh() override;

    MetricsChart* chart(const QString& panelId) const;
    QVector<MetricsChart*> charts() const { return m_charts; }
    QComboBox* scopeBox() const { return m_scope; }
    QComboBox* rangeBox() const { return m_range; }
    QComboBox* autoRefreshBox() const { return m_auto; }
    QString bannerText() const;
    int refreshesStarted() const { return m_refreshes; }
    bool autoRefreshActive() const { return m_autoTimer.isActive(); }

protected:
    void load() override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void fillScopes();
    metrics::MetricsScope currentScope() const;
    qint64 currentRangeS() const;
    void scheduleRefresh(); // debounced
    void onPanel(const QString& panelId, int index, const metrics::QueryResult& result);
    void applyAutoRefresh();

    QComboBox* m_scope;
    QComboBox* m_range;
    QComboBox* m_auto;
    QPushButton* m_refreshButton;
    QLabel* m_banner;
    QVector<MetricsChart*> m_charts;
    QTimer m_debounce;
    QTimer m_autoTimer;
    qint64 m_customRangeS = 0;
    int m_refreshes = 0;
};

} // namespace chom
