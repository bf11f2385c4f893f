#pragma once

#include "fleet/FleetService.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <functional>

class QComboBox;
class QPushButton;
class QWidget;

namespace chom {

class AppContext;
class ConnectionResultPanel;
class FleetHealthModel;
class SshKeyButton;
class SweepPanel;

// The VPS Fleet page's fleet actions: test connection, bootstrap, sweeps
// (now, retry the failed hosts, on an interval) and host-key trust, with
// their buttons. The page supplies its selection and its header row; every
// action is a no-op without a FleetService.
class FleetActions : public QObject
{
    Q_OBJECT
public:
    struct Host
    {
        std::function<Id()> selectedId;
        std::function<QPushButton*(const QString& text, const QString& objectName)> addButton;
        std::function<void(QWidget*)> addWidget;
    };
    FleetActions(AppContext& ctx, Host host, FleetHealthModel* health,
                 ConnectionResultPanel* results, SweepPanel* sweep, QObject* parent = nullptr);

    void testConnection(); // the selected VPS, or every VPS when none is selected
    void bootstrapSelected();
    void sweepNow();
    void retryFailed();
    void trustHostKey();
    void setSweepInterval(int minutes);   // 0 = off; saved
    void applySweepInterval(int minutes); // the timer only
    void update();                        // the buttons' enabled state

Q_SIGNALS:
    void message(const QString& text, bool isError);

private:
    void onConnectionTested(const ConnectionTest& result);
    void onOperationFinished(Id opId, const QString& status, const QString& error);
    void info(const QString& text);
    void error(const QString& text);

    AppContext& m_ctx;
    std::function<Id()> m_selectedId;
    std::function<QPushButton*(const QString&, const QString&)> m_addButton;
    std::function<void(QWidget*)> m_addWidget;
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
    QHash<Id, Id> m_bootstraps;   // operation → VPS
    int m_bootstrapsStarting = 0; // requests not yet answered by the store thread
    QHash<Id, QPair<QString, QString>> m_finishedEarly; // op → status, error
    QHash<Id, QString> m_lastCategory;
};

} // namespace chom
