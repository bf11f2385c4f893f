#pragma once

#include "ui/widgets/TablePage.h"

#include <QElapsedTimer>
#include <QTimer>

class QPushButton;

namespace chom {

class TenantUsageModel;

// Tenants with their tier and quota use ("n / max"): create, edit, suspend,
// activate, delete (the service refuses while a tenant has sites). With
// Prometheus configured, three more columns (30-day bandwidth, disk used,
// firing alerts) come from TenantMetrics: fetched when shown and every 60 s
// while visible, never overlapping, never while hidden.
class TenantsPage : public TablePage
{
    Q_OBJECT
public:
    explicit TenantsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Tenants"); }
    void refresh() override;
    void createNew() override;
    void deleteSelected() override;
    void editSelected();
    void setSelectedStatus(TenantStatus status);

    TenantUsageModel* usageModel() const { return m_usage; }
    void setUsageIntervalMs(int ms); // 60 s by default (tests shorten it)
    bool usageFetchInFlight() const { return m_usageInFlight; }

protected:
    void load() override;
    void onSelectionChanged() override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void showContextMenu(const QPoint& pos);
    void changeStatus(const Tenant& t, TenantStatus status);
    bool prometheusConfigured();
    void fetchUsage();

    TenantUsageModel* m_usage;
    QTimer m_usageTimer;
    bool m_usageInFlight = false;
    quint64 m_usageGeneration = 0; // answers of abandoned fetches are dropped
    QElapsedTimer m_usageStarted;

    QPushButton* m_edit;
    QPushButton* m_suspend;
    QPushButton* m_activate;
    QPushButton* m_delete;
};

} // namespace chom
