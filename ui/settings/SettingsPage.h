#pragma once

#include "observability/MetricsTypes.h"
#include "ui/widgets/Page.h"

#include <QVector>

class QNetworkAccessManager;

namespace chom {

class EndpointSection;
class ObservabilityHealthPanel;

// Settings: the observability health panel on top, then one section per
// endpoint (Prometheus, Loki, Grafana, Alertmanager). Ctrl+S saves the
// section holding the keyboard focus. All probes share one
// QNetworkAccessManager; secrets are read and written on workers only.
class SettingsPage : public Page
{
    Q_OBJECT
public:
    explicit SettingsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Settings"); }
    void refresh() override; // F5: reload the sections from QSettings

    EndpointSection* section(metrics::EndpointConfig::Kind kind) const;
    ObservabilityHealthPanel* healthPanel() const { return m_panel; }
    // The section containing the focus widget, or null.
    EndpointSection* focusedSection() const;
    void saveFocusedSection(); // Ctrl+S

private:
    QNetworkAccessManager* m_nam;
    ObservabilityHealthPanel* m_panel;
    QVector<EndpointSection*> m_sections;
};

} // namespace chom
