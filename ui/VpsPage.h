#pragma once

#include "TablePage.h"

#include "fleet/FleetService.h"

#include <QHash>
#include <QSet>
#include <QTimer>

class QComboBox;
class QMenu;
class QPushButton;

namespace chom {

class ConnectionResultPanel;
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

    // Fleet actions (VpsPageFleet.cpp); no-ops without a FleetService.
    void testConnection(); // the selected VPS, or every VPS when none is selected
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
    void buildFleetActions();
    void updateFleetActions();
    void onConnectionTested(const ConnectionTest& result);
    void onOperationFinished(Id opId, const QString& status, const QString& error);

    QPushButton* m_edit;
    QPushButton* m_status;
    QPushButton* m_delete;
    QMenu* m_statusMenu;
    FleetHealthModel* m_health;
    ConnectionResultPanel* m_results;
    SweepPanel* m_sweep;
    QPushButton* m_test = nullptr;
    QPushButton* m_bootstrap = nullptr;
    QPushButton* m_sweepNow = nullptr;
    QPushButton* m_retryFailed = nullptr;
    QPushButton* m_trust = nullptr;
    SshKeyButton* m_key = nullptr;
    QComboBox* m_interval = nullptr;
    QTimer m_sweepTimer;
    QTimer m_promTimer;
    QHash<Id, Id> m_bootstraps;   // operation → VPS
    int m_bootstrapsStarting = 0; // requests not yet answered by the store thread
    QHash<Id, QPair<QString, QString>> m_finishedEarly; // op → status, error
    QHash<Id, QString> m_lastCategory;
};

} // namespace chom
