#include "ui/shell/MainWindow.h"
#include "ui/widgets/PlainLabel.h"

#include "inventory/Core.h"
#include "ui/fleet/VpsPage.h"
#include "ui/inventory/BackupsPage.h"
#include "ui/inventory/DashboardPage.h"
#include "ui/inventory/SitesPage.h"
#include "ui/inventory/TenantsPage.h"
#include "ui/observability/MetricsPage.h"
#include "ui/ops/OperationsPage.h"
#include "ui/settings/SettingsPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/sites/CoherencyPage.h"
#include "ui/widgets/NoticeBar.h"
#include "ui/widgets/PlaceholderPage.h"
#include "ui/widgets/Theme.h"

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QShortcut>
#include <QStackedWidget>
#include <QStatusBar>
#include <QVBoxLayout>

namespace chom {

MainWindow::MainWindow(AppContext& ctx, QWidget* parent)
    : QMainWindow(parent), m_ctx(ctx), m_sidebar(new QListWidget), m_stack(new QStackedWidget),
      m_notices(new NoticeBar)
{
    setObjectName(QStringLiteral("mainWindow"));
    m_stack->setObjectName(QStringLiteral("pageStack"));
    addPage(tr("Dashboard"), [&ctx] { return new DashboardPage(ctx); });
    addPage(tr("Sites"), [&ctx] { return new SitesPage(ctx); });
    addPage(tr("VPS Fleet"), [&ctx] { return new VpsPage(ctx); });
    addPage(tr("Coherency"), [&ctx] { return new CoherencyPage(ctx); });
    addPage(tr("Backups"), [&ctx] { return new BackupsPage(ctx); });
    addPage(tr("Metrics"), [&ctx] { return new MetricsPage(ctx); });
    addPage(tr("Logs"), [&ctx] {
        return new PlaceholderPage(
            ctx, tr("Logs"),
            tr("This page will search your sites' and servers' logs in Loki and follow them live. "
               "Until then, open Grafana from the Metrics page."));
    });
    addPage(tr("Operations"), [&ctx] { return new OperationsPage(ctx); });
    addPage(tr("Tenants"), [&ctx] { return new TenantsPage(ctx); });
    addPage(tr("Settings"), [&ctx] { return new SettingsPage(ctx); });

    auto* content = new QWidget;
    auto* contentCol = new QVBoxLayout(content);
    contentCol->setContentsMargins(0, 0, 0, 0);
    contentCol->setSpacing(0);
    contentCol->addWidget(m_notices);
    contentCol->addWidget(m_stack, 1);
    auto* central = new QWidget;
    auto* row = new QHBoxLayout(central);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(0);
    row->addWidget(buildSidebar());
    row->addWidget(content, 1);
    setCentralWidget(central);

    auto* storeLabel = plainLabel(tr("Store: %1").arg(ctx.storeName()));
    storeLabel->setObjectName(QStringLiteral("storeLabel"));
    storeLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(storeLabel, 1);
    statusBar()->addPermanentWidget(
        plainLabel(tr("CHOM Console %1").arg(QStringLiteral(CHOM_VERSION))));
    statusBar()->setSizeGripEnabled(false);

    connect(m_sidebar, &QListWidget::currentRowChanged, this, &MainWindow::onPageSelected);
    connect(&ctx.inventory(), &Inventory::loadFailed, m_notices, &NoticeBar::showError);
    installShortcuts();
    m_sidebar->setCurrentRow(Dashboard);
    setWindowTitle(tr("CHOM Console — %1").arg(ctx.storeName()));
    resize(1400, 860);
    setMinimumSize(960, 600);
    refreshTitle();
}

QWidget* MainWindow::buildSidebar()
{
    auto* side = new QWidget;
    side->setObjectName(QStringLiteral("brand"));
    side->setAttribute(Qt::WA_StyledBackground);
    side->setFixedWidth(208);
    auto* col = new QVBoxLayout(side);
    col->setContentsMargins(0, 0, 0, 0);
    col->setSpacing(0);

    auto* brand = new QWidget;
    auto* brandRow = new QHBoxLayout(brand);
    brandRow->setContentsMargins(16, 16, 12, 14);
    brandRow->setSpacing(10);
    auto* logo = plainLabel();
    logo->setPixmap(theme::appIcon().pixmap(32, 32));
    brandRow->addWidget(logo);
    auto* names = new QVBoxLayout;
    names->setSpacing(0);
    auto* title = plainLabel(tr("CHOM Console"));
    title->setObjectName(QStringLiteral("brandTitle"));
    auto* subtitle = plainLabel(tr("Hosting operations"));
    subtitle->setObjectName(QStringLiteral("brandSubtitle"));
    names->addWidget(title);
    names->addWidget(subtitle);
    brandRow->addLayout(names, 1);
    col->addWidget(brand);

    m_sidebar->setObjectName(QStringLiteral("sidebar"));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_sidebar->setFocusPolicy(Qt::NoFocus);
    col->addWidget(m_sidebar, 1);
    return side;
}

void MainWindow::addPage(const QString& label, std::function<Page*()> factory)
{
    const int index = m_pages.size();
    m_pages.append(nullptr);
    m_factories.append(std::move(factory));
    m_stack->addWidget(new QWidget); // stand-in until the page is first needed
    auto* item = new QListWidgetItem(label, m_sidebar);
    item->setToolTip(tr("%1 (Ctrl+%2)").arg(label).arg((index + 1) % 10));
    item->setSizeHint(QSize(0, 38));
}

Page* MainWindow::page(int index)
{
    if (index < 0 || index >= m_pages.size())
        return nullptr;
    if (Page* p = m_pages[index])
        return p;
    Page* p = m_factories[index]();
    m_pages[index] = p;
    QWidget* standIn = m_stack->widget(index);
    const bool current = m_stack->currentIndex() == index;
    m_stack->insertWidget(index, p);
    m_stack->removeWidget(standIn);
    standIn->deleteLater();
    if (current)
        m_stack->setCurrentIndex(index);
    if (auto* sites = qobject_cast<SitesPage*>(p))
        connect(sites, &SitesPage::metricsRequested, this, [this](const QString& domain, Id vps) {
            showPage(Metrics);
            if (auto* m = qobject_cast<MetricsPage*>(page(Metrics)))
                m->showSite(domain, vps);
        });
    connect(p, &Page::operationRequested, this, [this](Id id) {
        showPage(Operations);
        if (auto* ops = qobject_cast<OperationsPage*>(page(Operations)))
            ops->revealOperation(id);
    });
    connect(p, &Page::notice, this, [this](const QString& text, Page::Notice kind) {
        if (kind == Page::Notice::Error)
            m_notices->showError(text);
        else
            m_notices->showInfo(text);
    });
    return p;
}

void MainWindow::onPageSelected(int index)
{
    if (page(index))
        m_stack->setCurrentIndex(index);
}

QString MainWindow::pageLabel(int index) const
{
    const QListWidgetItem* item = m_sidebar->item(index);
    return item ? item->text() : QString();
}

void MainWindow::installShortcuts()
{
    for (int i = 0; i < m_pages.size() && i < 10; ++i) { // Ctrl+1..9, then Ctrl+0
        auto* s = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key(i < 9 ? Qt::Key_1 + i : Qt::Key_0)),
                                this);
        connect(s, &QShortcut::activated, this, [this, i] { showPage(i); });
    }
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_F), this), &QShortcut::activated, this,
            [this] {
                showPage(Sites);
                sitesPage()->focusSearch();
            });
    connect(new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_N), this), &QShortcut::activated, this,
            [this] {
                // The dashboard has nothing of its own to create: "new" means a new site.
                if (currentPageIndex() == Dashboard)
                    showPage(Sites);
                currentPage()->createNew();
            });
    connect(new QShortcut(QKeySequence(Qt::Key_F5), this), &QShortcut::activated, this,
            [this] { currentPage()->refresh(); });
    // Text fields claim Delete for editing first (ShortcutOverride), so this
    // fires only when a table or button has focus.
    connect(new QShortcut(QKeySequence(Qt::Key_Delete), this), &QShortcut::activated, this,
            [this] { currentPage()->deleteSelected(); });
}

void MainWindow::showPage(int index)
{
    if (index >= 0 && index < m_pages.size())
        m_sidebar->setCurrentRow(index);
}

int MainWindow::currentPageIndex() const
{
    return m_stack->currentIndex();
}

DashboardPage* MainWindow::dashboardPage()
{
    return static_cast<DashboardPage*>(page(Dashboard));
}

SitesPage* MainWindow::sitesPage()
{
    return static_cast<SitesPage*>(page(Sites));
}

void MainWindow::refreshTitle()
{
    m_ctx.run<bool>(
        this, [](Core& c) { return c.isDemo(); },
        [this](bool demo) {
            const QString dir = m_ctx.storeName();
            setWindowTitle(demo ? tr("CHOM Console — demo — %1").arg(dir)
                                : tr("CHOM Console — %1").arg(dir));
        });
}

} // namespace chom
