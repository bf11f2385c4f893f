#pragma once

#include "fleet/FleetService.h"

#include <QFrame>
#include <QHash>
#include <QSet>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace chom {

class AppContext;

// A health sweep in progress and its results: "k / n hosts", Cancel, and one
// row per host (host, health, load, mem, disk, error) filled live from
// FleetService::healthReported. Remembers the failed hosts for "Retry failed".
class SweepPanel : public QFrame
{
    Q_OBJECT
public:
    explicit SweepPanel(AppContext& ctx, QWidget* parent = nullptr);

    // Starts a sweep of `ids` (empty = all active); the operation is created
    // on the store thread, so this returns at once. False if one is running
    // or starting.
    bool start(const QVector<Id>& ids, int expectedHosts);
    bool isRunning() const { return m_starting || m_opId != 0; }
    Id operationId() const { return m_opId; }
    QVector<Id> failedIds() const { return QVector<Id>(m_failed.begin(), m_failed.end()); }
    QTableWidget* results() const { return m_table; }

Q_SIGNALS:
    void finished(bool anyFailed);
    void message(const QString& text, bool isError);

private:
    void onReport(const HealthReport& r);
    void onStarted(const Result<Id>& r);
    void onFinished(Id opId, const QString& status, const QString& error);
    int rowFor(Id vpsId, const QString& hostname);

    AppContext& m_ctx;
    QLabel* m_title;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QTableWidget* m_table;
    Id m_opId = 0;
    bool m_starting = false;
    // Operations that finished before their id reached us (id -> status, error).
    QHash<Id, QPair<QString, QString>> m_finishedEarly;
    QSet<Id> m_expected; // empty = any host
    QSet<Id> m_done;
    QSet<Id> m_failed;
    int m_total = 0;
};

} // namespace chom
