#pragma once

#include "ui/widgets/TablePage.h"

#include <QTimer>

class QMenu;
class QPushButton;

namespace chom {

class ConnectionResultPanel;
class FleetActions;
class FleetHealthModel;
class SshKeyButton;
class SweepPanel;

// The VPS fleet: add, edit, delete (refused while a server hosts sites) and
// lifecycle status changes (provisioning → active → maintenance, ...).
class VpsPage : public TablePage
{
    Q_OBJECT
public:
    explicit VpsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("VPS Fleet"); }
    void refresh() override;
    void createNew() override;
    void deleteSelected() override;
    void editSelected();
    void setSelectedStatus(VpsStatus status);

    // Fleet actions (FleetActions); no-ops without a FleetService.
    FleetActions* fleetActions() const { return m_actions; }
    void testConnection();
    void bootstrapSelected();
    void sweepNow();
    void retryFailed();
    void trustHostKey();
    void setSweepInterval(int minutes); // 0 = off
    FleetHealthModel* healthModel() const { return m_health; }
    SweepPanel* sweepPanel() const { return m_sweep; }
    ConnectionResultPanel* connectionResults() const { return m_results; }

    // Prometheus CPU/memory/disk/load for every host: one round of four
    // queries (not one per row) every 30 s while the page is visible.
    void refreshPrometheusColumns();

protected:
    void load() override;
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    void onSelectionChanged() override;

private:
    void showContextMenu(const QPoint& pos);
    void fillStatusMenu(QMenu* menu);

    QPushButton* m_edit;
    QPushButton* m_status;
    QPushButton* m_delete;
    QMenu* m_statusMenu;
    FleetHealthModel* m_health;
    ConnectionResultPanel* m_results;
    SweepPanel* m_sweep;
    FleetActions* m_actions;
    QTimer m_promTimer;
};

} // namespace chom
