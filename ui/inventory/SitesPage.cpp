#include "ui/inventory/SitesPage.h"

#include "sites/SiteOperations.h"
#include "ui/widgets/PlainLabel.h"

#include "base/ChangeFeed.h"
#include "inventory/Core.h"
#include "ui/inventory/SiteDialog.h"
#include "ui/inventory/SiteFilterBar.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/sites/SiteBulkActions.h"
#include "ui/sites/SiteWindows.h"
#include "ui/sites/VisibleSslProbe.h"
#include "ui/widgets/Confirm.h"
#include "ui/widgets/StateDelegate.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace chom {

SitesPage::SitesPage(AppContext& ctx, QWidget* parent)
    : Page(ctx, parent), m_filters(new SiteFilterBar(m_proxy)), m_stack(new QStackedWidget),
      m_view(new QTableView), m_loadingLabel(plainLabel()), m_countLabel(plainLabel()),
      m_windows(new SiteWindows(ctx, this)), m_bulk(new SiteBulkActions(ctx, this)),
      m_sslProbe(new VisibleSslProbe(ctx, m_view, &m_proxy, &m_model))
{
    setObjectName(QStringLiteral("sitesPage"));
    m_proxy.setSourceModel(&m_model);

    m_view->setObjectName(QStringLiteral("sitesView"));
    m_view->setModel(&m_proxy);
    // Fixed row heights: the view never measures rows, so 100k rows scroll freely.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(28);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setSectionResizeMode(SiteTableModel::Domain, QHeaderView::Stretch);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection); // bulk actions
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(SiteTableModel::Domain, Qt::AscendingOrder);
    auto* states = new StateDelegate(m_view);
    m_view->setItemDelegateForColumn(SiteTableModel::Status, states);
    m_view->setItemDelegateForColumn(SiteTableModel::Ssl, states);
    const int widths[] = {230, 150, 170, 85, 50, 95, 85, 95, 85, 95};
    for (int c = 0; c < SiteTableModel::ColumnCount; ++c)
        m_view->setColumnWidth(c, widths[c]);

    auto* loading = new QWidget;
    auto* lcol = new QVBoxLayout(loading);
    lcol->addStretch(1);
    m_loadingLabel->setObjectName(QStringLiteral("loadingLabel"));
    m_loadingLabel->setAlignment(Qt::AlignCenter);
    lcol->addWidget(m_loadingLabel);
    auto* bar = new QProgressBar;
    bar->setRange(0, 0);
    bar->setMaximumWidth(320);
    bar->setTextVisible(false);
    lcol->addWidget(bar, 0, Qt::AlignHCenter);
    lcol->addStretch(2);

    auto* empty = new QWidget;
    auto* ecol = new QVBoxLayout(empty);
    ecol->addStretch(1);
    auto* emptyText = plainLabel(tr("No sites yet.\nAdd the first one with “New site” (Ctrl+N)."));
    emptyText->setObjectName(QStringLiteral("placeholderText"));
    emptyText->setAlignment(Qt::AlignCenter);
    ecol->addWidget(emptyText);
    ecol->addStretch(2);

    m_stack->addWidget(m_view);
    m_stack->addWidget(loading);
    m_stack->addWidget(empty);
    m_stack->setCurrentIndex(1);

    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    auto* newButton = new QPushButton(tr("New site"));
    newButton->setObjectName(QStringLiteral("newSiteButton"));
    newButton->setProperty("primary", true);
    newButton->setToolTip(tr("Add a site (Ctrl+N)"));
    auto* refreshButton = new QPushButton(tr("Refresh"));
    refreshButton->setObjectName(QStringLiteral("refreshButton"));
    refreshButton->setToolTip(tr("Reload all sites from the store (F5)"));

    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(24, 20, 24, 16);
    col->setSpacing(12);
    QHBoxLayout* header = addHeader(col, tr("Sites"), tr("Every site across all tenants"));
    header->addWidget(refreshButton);
    header->addWidget(newButton);
    col->addWidget(m_filters);
    col->addWidget(m_stack, 1);
    col->addWidget(m_countLabel);

    connect(newButton, &QPushButton::clicked, this, &SitesPage::createNew);
    connect(refreshButton, &QPushButton::clicked, this, &SitesPage::reloadAll);
    connect(m_view, &QTableView::activated, this, &SitesPage::showSelectedDetails);
    connect(m_windows, &SiteWindows::notice, this, &Page::notice);
    connect(m_windows, &SiteWindows::operationRequested, this, &Page::operationRequested);
    connect(m_windows, &SiteWindows::metricsRequested, this, &SitesPage::metricsRequested);
    connect(m_bulk, &SiteBulkActions::notice, this, &Page::notice);
    connect(this, &SitesPage::rowsLoaded, m_sslProbe, &VisibleSslProbe::schedule);
    connect(m_bulk, &SiteBulkActions::operationRequested, this, &Page::operationRequested);
    connect(m_view, &QTableView::customContextMenuRequested, this, &SitesPage::showContextMenu);
    auto* metricsKey = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_M), this);
    metricsKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(metricsKey, &QShortcut::activated, this, &SitesPage::showSelectedMetrics);
    auto* editKey = new QShortcut(QKeySequence(Qt::Key_F2), this); // Enter opens the details
    editKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(editKey, &QShortcut::activated, this, &SitesPage::editSelected);
    connect(&m_proxy, &QAbstractItemModel::modelReset, this, &SitesPage::updateCount);
    connect(&m_proxy, &QAbstractItemModel::layoutChanged, this, &SitesPage::updateCount);
    connect(&m_proxy, &QAbstractItemModel::rowsInserted, this, &SitesPage::updateCount);
    connect(&m_proxy, &QAbstractItemModel::rowsRemoved, this, &SitesPage::updateCount);
    connect(&ctx.inventory(), &Inventory::tenantsChanged, this, &SitesPage::updateNames);
    connect(&ctx.inventory(), &Inventory::vpsChanged, this, &SitesPage::updateNames);
    connect(&ctx.changes(), &ChangeFeed::changed, this,
            [this](ChangeNotifier::Entity what, const QVector<Id>& ids) {
                if (what != ChangeNotifier::Entity::Sites || !loadStarted())
                    return;
                if (ids.isEmpty())
                    reloadAll();
                else
                    applyChange(ids);
            });
    updateNames();
}

void SitesPage::load()
{
    // Names first (same FIFO queue), so 100k rows are not re-laid out twice.
    ctx().inventory().ensureLoaded();
    reloadAll();
}

void SitesPage::reloadAll()
{
    if (!m_loading.begin())
        return;
    m_loadingLabel->setText(tr("Loading sites…"));
    if (!m_loaded)
        m_stack->setCurrentIndex(1);
    else
        m_countLabel->setText(tr("Refreshing…"));
    // A cheap count first so the operator knows what is coming.
    ctx().run<Result<DashboardStats>>(
        this, [](Core& c) { return c.dashboard().stats(0); },
        [this](Result<DashboardStats> r) {
            if (r && m_loading.busy())
                m_loadingLabel->setText(
                    tr("Loading %1 sites…").arg(QLocale().toString(r->totalSites)));
        });
    ctx().run<Result<QVector<Site>>>(
        this, [](Core& c) { return c.sites().listForTable(); },
        [this](Result<QVector<Site>> r) {
            const bool again = m_loading.end();
            if (!r) {
                error(tr("Could not load sites: %1").arg(r.errorMessage()));
            } else {
                m_model.setRows(std::move(r).value());
                m_loaded = true;
                updateCount();
                Q_EMIT rowsLoaded();
            }
            updateStack();
            if (again)
                reloadAll();
        });
}

void SitesPage::applyChange(const QVector<Id>& ids)
{
    ctx().run<Result<QVector<Site>>>(
        this, [ids](Core& c) { return c.sites().getMany(ids); },
        [this, ids](Result<QVector<Site>> r) {
            if (!r) {
                reloadAll();
                return;
            }
            m_model.upsert(ids, r.value());
            updateCount();
            updateStack();
        });
}

void SitesPage::updateNames()
{
    Inventory& inv = ctx().inventory();
    QHash<Id, QString> tenants = inv.tenantNames();
    QHash<Id, QString> servers = inv.vpsNames();
    // Only a real rename touches the model (a full refresh of every row).
    if (tenants != m_tenantNames) {
        m_tenantNames = tenants;
        m_model.setTenantNames(tenants);
        m_filters->setTenants(tenants);
    }
    if (servers != m_vpsNames) {
        m_vpsNames = servers;
        m_model.setVpsNames(servers);
        m_filters->setServers(servers);
    }
}

void SitesPage::updateCount()
{
    const QLocale loc;
    m_countLabel->setText(
        tr("%1 of %2 sites")
            .arg(loc.toString(m_proxy.rowCount()), loc.toString(m_model.rowCount())));
}

void SitesPage::updateStack()
{
    if (m_loading.busy() && !m_loaded)
        m_stack->setCurrentIndex(1);
    else
        m_stack->setCurrentIndex(m_loaded && m_model.rowCount() == 0 ? 2 : 0);
}

void SitesPage::focusSearch()
{
    m_filters->focusSearch();
}

std::optional<Site> SitesPage::selectedSite() const
{
    const QModelIndex idx = m_view->currentIndex();
    if (!idx.isValid() || !m_view->selectionModel()->isSelected(idx))
        return std::nullopt;
    return m_model.rowAt(m_proxy.mapToSource(idx).row());
}

void SitesPage::createNew()
{
    m_windows->createSite();
}

void SitesPage::showSelectedDetails()
{
    if (const auto s = selectedSite())
        m_windows->showDetails(s->id);
}

void SitesPage::editSelected()
{
    const auto site = selectedSite();
    if (!site)
        return;
    // Table rows carry only the listed columns: edit the full stored row.
    ctx().run<Result<Site>>(
        this, [id = site->id](Core& c) { return c.sites().get(id); },
        [this](Result<Site> full) {
            if (!full) {
                error(full.errorMessage());
                return;
            }
            auto* dlg = new SiteDialog(ctx(), full.value(), this);
            connect(dlg, &SiteDialog::saved, this,
                    [this](Id, const QString& domain) { info(tr("Site %1 saved.").arg(domain)); });
            dlg->open();
        });
}

void SitesPage::deleteSelected()
{
    const auto site = selectedSite();
    if (!site)
        return;
    const Site s = *site;
    confirmDestructive(
        this, tr("Delete site"),
        tr("Delete %1 from the inventory?\n\nThe change is recorded in the audit log.")
            .arg(s.domain),
        tr("Delete site"), [this, s] {
            ctx().run<Status>(
                this, [id = s.id](Core& c) { return c.sites().remove(id); },
                [this, s](Status st) {
                    if (st)
                        info(tr("Site %1 deleted.").arg(s.domain));
                    else
                        error(st.errorMessage());
                });
        });
}

void SitesPage::setSiteStatus(const Site& s, SiteStatus status)
{
    ctx().run<Status>(
        this, [id = s.id, status](Core& c) { return c.sites().setStatus(id, status); },
        [this, s, status](Status st) {
            if (st)
                info(tr("Site %1 is now %2.").arg(s.domain, toString(status)));
            else
                error(st.errorMessage());
        });
}

void SitesPage::started(const QString& what, const Result<Id>& op)
{
    if (op)
        info(tr("%1: operation #%2 started; follow it on the Operations page.")
                 .arg(what)
                 .arg(op.value()));
    else
        error(op.errorMessage());
}

void SitesPage::provisionOnVps(const Site& s)
{
    ctx().startSiteOperation(
        this, [id = s.id](SiteOperations& ops) { return ops.startProvision(id); },
        [this, s](Result<Id> op) { started(tr("Provisioning %1").arg(s.domain), op); });
}

void SitesPage::setEnabledOnVps(const Site& s, bool enabled)
{
    ctx().startSiteOperation(
        this,
        [id = s.id, enabled](SiteOperations& ops) { return ops.startSetEnabled(id, enabled); },
        [this, s, enabled](Result<Id> op) {
            started((enabled ? tr("Enabling %1") : tr("Disabling %1")).arg(s.domain), op);
        });
}

void SitesPage::deleteFromVps(const Site& s)
{
    confirmByTyping(
        this, tr("Delete site from its VPS"),
        tr("This removes %1 from its VPS (its files, Linux user and configuration) "
           "and from the inventory. It cannot be undone.")
            .arg(s.domain),
        s.domain, tr("Delete from VPS"), [this, s] {
            ctx().startSiteOperation(
                this, [id = s.id](SiteOperations& ops) { return ops.startDelete(id); },
                [this, s](Result<Id> op) { started(tr("Deleting %1").arg(s.domain), op); });
        });
}

void SitesPage::showSelectedMetrics()
{
    if (const auto s = selectedSite())
        Q_EMIT metricsRequested(s->domain, s->vpsId);
}

void SitesPage::showContextMenu(const QPoint& pos)
{
    const QModelIndex idx = m_view->indexAt(pos);
    if (!idx.isValid())
        return;
    if (m_bulk->popupForSelection(m_view, m_proxy, m_model, pos))
        return; // a right-click inside a selection of several rows
    m_view->selectRow(idx.row());
    const Site s = m_model.rowAt(m_proxy.mapToSource(idx).row());
    // popup(), not exec(): no nested event loop.
    auto* menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("siteContextMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Details…"), this, &SitesPage::showSelectedDetails)
        ->setShortcut(QKeySequence(Qt::Key_Return));
    menu->addAction(tr("Edit…"), this, &SitesPage::editSelected)->setShortcut(Qt::Key_F2);
    const bool disabled = s.status == SiteStatus::Disabled;
    const bool placed = s.vpsId != 0;
    // A placed site changes on its server; the record follows the outcome.
    QAction* toggle =
        menu->addAction(disabled ? tr("Enable") : tr("Disable"), this, [this, s, disabled, placed] {
            if (placed)
                setEnabledOnVps(s, disabled);
            else
                setSiteStatus(s, disabled ? SiteStatus::Active : SiteStatus::Disabled);
        });
    toggle->setEnabled(s.status == SiteStatus::Active || disabled);
    QAction* provision = menu->addAction(s.status == SiteStatus::Failed ? tr("Retry provisioning")
                                                                        : tr("Provision on VPS"),
                                         this, [this, s] { provisionOnVps(s); });
    provision->setObjectName(QStringLiteral("provisionAction"));
    QAction* metrics = menu->addAction(tr("Show metrics"), this, &SitesPage::showSelectedMetrics);
    metrics->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_M));
    menu->addAction(tr("Copy domain"), this,
                    [s] { QGuiApplication::clipboard()->setText(s.domain); });
    menu->addSeparator();
    if (placed) {
        QAction* remote =
            menu->addAction(tr("Delete from VPS…"), this, [this, s] { deleteFromVps(s); });
        remote->setObjectName(QStringLiteral("deleteFromVpsAction"));
    }
    QAction* del = menu->addAction(placed ? tr("Delete from inventory only…") : tr("Delete…"), this,
                                   &SitesPage::deleteSelected);
    del->setShortcut(QKeySequence::Delete);
    menu->popup(m_view->viewport()->mapToGlobal(pos));
}

} // namespace chom
