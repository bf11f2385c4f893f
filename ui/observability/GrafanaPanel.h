#pragma once

#include "observability/GrafanaClient.h"

#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace chom {

class Runtime;

// Grafana dashboards (cached list from GrafanaClient) with a filter box;
// "Open" opens the selected one in the system browser with the current tenant
// variable and kiosk mode. Quick links to Prometheus, Grafana and
// Alertmanager. Tests replace the browser with setOpener().
class GrafanaPanel : public QWidget
{
    Q_OBJECT
public:
    using Opener = std::function<bool(const QUrl&)>;

    explicit GrafanaPanel(metrics::GrafanaClient& client, QWidget* parent = nullptr);

    void setOpener(Opener opener) { m_opener = std::move(opener); }
    void setTenantId(const QString& tenantId) { m_tenantId = tenantId; }
    // Endpoints for the quick links (their public parts suffice).
    void setEndpoints(const metrics::EndpointConfig& prometheus,
                      const metrics::EndpointConfig& grafana,
                      const metrics::EndpointConfig& alertmanager);
    // Reads the three endpoints from the settings; the Grafana secret (when
    // one is stored) from the SecretStore on a worker thread. Then lists.
    void loadFromSettings(Runtime& runtime);

    void reload(bool force = false); // list dashboards (cache unless forced)
    void openSelected();

    QLineEdit* filterBox() const { return m_filter; }
    QListWidget* list() const { return m_list; }
    QPushButton* openButton() const { return m_open; }
    QPushButton* quickLink(const QString& kind) const; // prometheus | grafana | alertmanager
    QString statusText() const;

private:
    void showDashboards(const QVector<metrics::GrafanaDashboard>& list);
    void applyFilter();
    void open(const QUrl& url);

    metrics::GrafanaClient& m_client;
    QLineEdit* m_filter;
    QListWidget* m_list;
    QPushButton* m_open;
    QPushButton* m_refresh;
    QPushButton* m_prometheus;
    QPushButton* m_grafana;
    QPushButton* m_alertmanager;
    QLabel* m_status;
    QVector<metrics::GrafanaDashboard> m_dashboards;
    QString m_tenantId;
    Opener m_opener;
};

} // namespace chom
