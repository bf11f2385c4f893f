#pragma once

#include "observability/ObservabilityHealth.h"

#include <QGroupBox>
#include <QMap>

class QLabel;
class QNetworkAccessManager;
class QPushButton;

namespace chom {

class AppContext;

// "Observability health": one row per endpoint (state, response time or the
// error) and the overall healthy / degraded / partial / unconfigured. "Check
// all" loads the saved endpoints (secrets on a worker, only when one is
// stored) and probes them in parallel; nothing blocks the window.
class ObservabilityHealthPanel : public QGroupBox
{
    Q_OBJECT
public:
    ObservabilityHealthPanel(AppContext& ctx, QNetworkAccessManager* nam,
                             QWidget* parent = nullptr);

    void checkAll();
    bool isChecking() const { return m_checking; }
    metrics::ObservabilityHealth& health() { return *m_health; }

Q_SIGNALS:
    void checked(metrics::OverallHealth overall);
    void message(const QString& text, bool isError);

private:
    void probe(const QVector<metrics::EndpointConfig>& configs);
    void show(const QVector<metrics::EndpointHealth>& results, metrics::OverallHealth overall);

    AppContext& m_ctx;
    metrics::ObservabilityHealth* m_health;
    QPushButton* m_checkAll;
    QLabel* m_overall;
    QMap<int, QLabel*> m_status; // by Kind
    QMap<int, QLabel*> m_time;
    bool m_checking = false;
};

} // namespace chom
