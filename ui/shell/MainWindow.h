#pragma once

#include <QMainWindow>
#include <QVector>

#include <functional>

class QListWidget;
class QStackedWidget;

namespace chom {

class AppContext;
class DashboardPage;
class NoticeBar;
class Page;
class SitesPage;

// Composes the pages behind a sidebar and owns the window-wide shortcuts:
// Ctrl+1..9 and Ctrl+0 pages, Ctrl+F site search, Ctrl+N new, F5 refresh, Delete.
// Pages other than the dashboard are built on first use: startup only pays
// for what the operator sees.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum PageIndex
    {
        Dashboard,
        Sites,
        VpsFleet,
        Coherency,
        Backups,
        Metrics,
        Logs,
        Operations,
        Tenants,
        Settings,
        PageCount
    };

    explicit MainWindow(AppContext& ctx, QWidget* parent = nullptr);

    void showPage(int index);
    int currentPageIndex() const;
    Page* page(int index); // builds the page if needed
    Page* currentPage() { return page(currentPageIndex()); }
    DashboardPage* dashboardPage();
    SitesPage* sitesPage();
    QString pageLabel(int index) const;
    NoticeBar* notices() const { return m_notices; }

    void refreshTitle(); // re-reads the demo flag (off the GUI thread)

private:
    QWidget* buildSidebar();
    void addPage(const QString& label, std::function<Page*()> factory);
    void onPageSelected(int index);
    void installShortcuts();

    AppContext& m_ctx;
    QListWidget* m_sidebar;
    QStackedWidget* m_stack;
    NoticeBar* m_notices;
    QVector<Page*> m_pages; // nullptr until built
    QVector<std::function<Page*()>> m_factories;
};

} // namespace chom
