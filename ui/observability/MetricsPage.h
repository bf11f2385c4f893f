#pragma once

#include "Domain.h"
#include "observability/MetricsService.h"
#include "ui/widgets/Page.h"

#include <QTimer>
#include <QVector>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;

namespace chom {

class MetricsChart;
class AlertsPanel;
class GrafanaPanel;
namespace metrics {
class AlertWatcher;
class GrafanaClient;
} // namespace metrics

// Charts of the fleet, one VPS, one tenant or one site from Prometheus: all panel
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
    // Scope the charts to one site: its VPS for the host panels, its domain
    // for HTTP. Kept in the scope list (the last few) for switching back.
    void showSite(const QString& domain, Id vpsId);

    MetricsChart* chart(const QString& panelId) const;
    QVector<MetricsChart*> charts() const { return m_charts; }
    QComboBox* scopeBox() const { return m_scope; }
    QComboBox* rangeBox() const { return m_range; }
    QComboBox* autoRefreshBox() const { return m_auto; }
    QString bannerText() const;
    int refreshesStarted() const { return m_refreshes; }
    bool autoRefreshActive() const { return m_autoTimer.isActive(); }
    // Alerts and Grafana tabs under the charts; the watcher polls only while
    // the page is visible.
    AlertsPanel* alertsPanel() const { return m_alertsPanel; }
    GrafanaPanel* grafanaPanel() const { return m_grafanaPanel; }
    metrics::AlertWatcher& alertWatcher() const { return *m_alertWatcher; }
    metrics::GrafanaClient& grafanaClient() const { return *m_grafana; }

protected:
    void load() override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void fillScopes();
    metrics::MetricsScope currentScope() const;
    qint64 currentRangeS() const;
    void askCustomRange();
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
    bool m_endpointChanged = false; // re-query when next shown
    QStringList m_sites;            // "domain|instance", most recent first
    metrics::AlertWatcher* m_alertWatcher;
    metrics::GrafanaClient* m_grafana;
    AlertsPanel* m_alertsPanel;
    GrafanaPanel* m_grafanaPanel;
    QTabWidget* m_tabs;
};

} // namespace chom
