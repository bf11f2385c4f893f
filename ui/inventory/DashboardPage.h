#pragma once

#include "Domain.h"
#include "InventoryModels.h"
#include "base/Async.h"
#include "base/ChangeNotifier.h"
#include "ui/widgets/Page.h"

#include <QTimer>

class QComboBox;
class QLabel;
class QTableView;

namespace chom {

class BarList;
class StatCard;

// Fleet overview from DashboardService::stats (one cached aggregate query),
// for all tenants or one. Refreshes on committed changes, which the change
// feed has already coalesced to one refresh per 100 ms.
class DashboardPage : public Page
{
    Q_OBJECT
public:
    explicit DashboardPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Dashboard"); }
    void refresh() override { requestStats(); }

    bool hasStats() const { return m_hasStats; }
    const DashboardStats& stats() const { return m_stats; }
    Id scope() const;

Q_SIGNALS:
    void statsShown();
    // Once per page: real figures have reached the screen (startup benchmark).
    void firstPaintWithStats();

protected:
    void load() override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* buildPanel(const QString& title, QWidget* body);
    void requestStats();
    void apply(const DashboardStats& s);
    void rebuildScope();
    void onChanged(ChangeNotifier::Entity what);

    QComboBox* m_scope;
    QLabel* m_updated;
    StatCard* m_total;
    StatCard* m_active;
    StatCard* m_storage;
    StatCard* m_ssl;
    BarList* m_statusBars;
    BarList* m_healthBars;
    OperationTableModel m_ops;
    QTableView* m_opsView;
    QTimer m_sslWindow; // the 14-day window moves with time alone
    DashboardStats m_stats;
    QVector<QPair<Id, QString>> m_scopeItems;
    bool m_hasStats = false;
    bool m_paintReported = false;
    async::SingleFlight m_request;
};

} // namespace chom
