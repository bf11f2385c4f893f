#pragma once

#include "SiteFilterProxy.h"
#include "SiteTableModel.h"
#include "base/Async.h"
#include "base/ChangeNotifier.h"
#include "base/Result.h"
#include "ui/widgets/Page.h"

#include <optional>

class QLabel;
class QProgressBar;
class QStackedWidget;
class QTableView;

namespace chom {

class SiteFilterBar;
class SiteBulkActions;
class SiteWindows;
class VisibleSslProbe;

// Every site across tenants: search, filters, sort, context actions. Rows
// load once, lazily, then follow committed changes row by row.
class SitesPage : public Page
{
    Q_OBJECT
public:
    explicit SitesPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Sites"); }
    void refresh() override { reloadAll(); }
    void createNew() override;
    void deleteSelected() override;
    void editSelected();
    void showSelectedDetails(); // Enter or double-click on a row
    void focusSearch();
    void showSelectedMetrics(); // Ctrl+M: asks the window for this site's charts

    SiteTableModel* model() { return &m_model; }
    SiteFilterProxy* proxy() { return &m_proxy; }
    QTableView* view() { return m_view; }
    VisibleSslProbe* sslProbe() { return m_sslProbe; }
    bool isLoaded() const { return m_loaded; }

Q_SIGNALS:
    void rowsLoaded();
    void metricsRequested(const QString& domain, chom::Id vpsId);

protected:
    void load() override;

private:
    void reloadAll();
    void applyChange(const QVector<Id>& ids);
    void updateNames();
    void updateCount();
    void updateStack();
    void showContextMenu(const QPoint& pos);
    void setSiteStatus(const Site& s, SiteStatus status);
    // On the site's VPS, as journaled operations (Operations page).
    void provisionOnVps(const Site& s);
    void setEnabledOnVps(const Site& s, bool enabled);
    void deleteFromVps(const Site& s);
    void started(const QString& what, const Result<Id>& op);
    std::optional<Site> selectedSite() const;

    SiteTableModel m_model;
    SiteFilterProxy m_proxy;
    SiteFilterBar* m_filters;
    QStackedWidget* m_stack;
    QTableView* m_view;
    QLabel* m_loadingLabel;
    QLabel* m_countLabel;
    QHash<Id, QString> m_tenantNames;
    QHash<Id, QString> m_vpsNames;
    SiteWindows* m_windows;
    SiteBulkActions* m_bulk;
    VisibleSslProbe* m_sslProbe; // the SSL column from the served certificates
    bool m_loaded = false;
    async::SingleFlight m_loading; // the full reload
};

} // namespace chom
