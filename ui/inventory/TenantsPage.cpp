#include "ui/inventory/TenantsPage.h"

#include "inventory/Core.h"
#include "observability/MetricsService.h"
#include "observability/PrometheusClient.h"
#include "observability/TenantUsageModel.h"
#include "ui/inventory/TenantDialog.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/widgets/Confirm.h"
#include "ui/widgets/StaleDelegate.h"

#include <QDateTime>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QTableView>

namespace chom {
namespace {
// A fetch whose answer never came (client gone, callbacks dropped) stops
// blocking new ones after this long; the client's own timeout is far shorter.
constexpr qint64 kStuckFetchMs = 120000;
} // namespace

TenantsPage::TenantsPage(AppContext& ctx, QWidget* parent)
    : TablePage(ctx, tr("Tenants"), tr("Customers, their tier and quota use"), tr("tenants"),
                parent),
      m_usage(new TenantUsageModel(ctx.inventory().tenantModel(), this))
{
    setObjectName(QStringLiteral("tenantsPage"));
    view()->setObjectName(QStringLiteral("tenantsView"));
    m_edit = addButton(tr("Edit…"), QStringLiteral("editTenantButton"));
    m_suspend = addButton(tr("Suspend…"), QStringLiteral("suspendTenantButton"));
    m_activate = addButton(tr("Activate"), QStringLiteral("activateTenantButton"));
    m_delete = addButton(tr("Delete…"), QStringLiteral("deleteTenantButton"));
    QPushButton* add = addButton(tr("New tenant"), QStringLiteral("newTenantButton"), true);
    add->setToolTip(tr("Add a tenant (Ctrl+N)"));
    setSourceModel(m_usage, {TenantTableModel::Status});
    const int widths[] = {220, 200, 100, 100, 90, 150, 110, 120, 100, 70};
    for (int c = 0; c < TenantUsageModel::ColumnCount; ++c)
        view()->setColumnWidth(c, widths[c]);
    auto* stale = new StaleDelegate(view()); // last values of a failed fetch in grey
    for (int c = TenantUsageModel::Bandwidth; c < TenantUsageModel::ColumnCount; ++c)
        view()->setItemDelegateForColumn(c, stale);
    m_usageTimer.setInterval(60000);
    connect(&m_usageTimer, &QTimer::timeout, this, &TenantsPage::fetchUsage);
    connect(&ctx.metrics(), &metrics::MetricsService::endpointChanged, this, [this] {
        if (isVisible()) // hidden, it fetches when shown
            fetchUsage();
    });
    setStretchColumn(TenantTableModel::Name);
    view()->setContextMenuPolicy(Qt::CustomContextMenu);

    connect(add, &QPushButton::clicked, this, &TenantsPage::createNew);
    connect(m_edit, &QPushButton::clicked, this, &TenantsPage::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &TenantsPage::deleteSelected);
    connect(m_suspend, &QPushButton::clicked, this,
            [this] { setSelectedStatus(TenantStatus::Suspended); });
    connect(m_activate, &QPushButton::clicked, this,
            [this] { setSelectedStatus(TenantStatus::Active); });
    connect(view(), &QTableView::activated, this, &TenantsPage::editSelected);
    connect(view(), &QTableView::customContextMenuRequested, this, &TenantsPage::showContextMenu);
    onSelectionChanged();
}

void TenantsPage::load()
{
    ctx().inventory().ensureLoaded();
}

void TenantsPage::refresh()
{
    ctx().inventory().reloadTenants();
    fetchUsage();
}

void TenantsPage::setUsageIntervalMs(int ms)
{
    m_usageTimer.setInterval(qMax(1, ms));
}

void TenantsPage::showEvent(QShowEvent* event)
{
    TablePage::showEvent(event);
    fetchUsage();
    m_usageTimer.start();
}

void TenantsPage::hideEvent(QHideEvent* event)
{
    m_usageTimer.stop(); // hidden pages never poll
    TablePage::hideEvent(event);
}

bool TenantsPage::prometheusConfigured()
{
    // Checked at every fetch: the endpoint can be set or cleared in Settings.
    const bool configured = ctx().metrics().client().config().isConfigured();
    for (int c = TenantUsageModel::Bandwidth; c < TenantUsageModel::ColumnCount; ++c)
        view()->setColumnHidden(c, !configured);
    return configured;
}

void TenantsPage::fetchUsage()
{
    if (!prometheusConfigured())
        return; // no Prometheus: nothing extra, no requests
    if (m_usageInFlight && m_usageStarted.elapsed() < kStuckFetchMs)
        return; // never overlap the previous fetch
    m_usageInFlight = true;
    m_usageStarted.start();
    const quint64 generation = ++m_usageGeneration;
    QPointer<TenantsPage> self(this);
    metrics::TenantMetrics::fetch(
        ctx().metrics().client(),
        [self, generation](const QHash<QString, metrics::TenantUsage>& usage,
                           const metrics::MetricsError& err) {
            if (!self || generation != self->m_usageGeneration)
                return;
            self->m_usageInFlight = false;
            if (err) // keep the last values, marked stale
                self->m_usage->setFailed(err.message);
            else
                self->m_usage->setUsage(usage, QDateTime::currentMSecsSinceEpoch());
        });
}

void TenantsPage::onSelectionChanged()
{
    const auto t = ctx().inventory().tenant(selectedId());
    m_edit->setEnabled(t.has_value());
    m_delete->setEnabled(t.has_value());
    m_suspend->setEnabled(t && t->status == TenantStatus::Active);
    m_activate->setEnabled(t && t->status != TenantStatus::Active);
}

void TenantsPage::createNew()
{
    auto* dlg = new TenantDialog(ctx(), std::nullopt, this);
    connect(dlg, &TenantDialog::saved, this,
            [this](const QString& name) { info(tr("Tenant %1 created.").arg(name)); });
    dlg->open();
}

void TenantsPage::editSelected()
{
    const auto t = ctx().inventory().tenant(selectedId());
    if (!t)
        return;
    auto* dlg = new TenantDialog(ctx(), t, this);
    connect(dlg, &TenantDialog::saved, this,
            [this](const QString& name) { info(tr("Tenant %1 saved.").arg(name)); });
    dlg->open();
}

void TenantsPage::deleteSelected()
{
    const auto t = ctx().inventory().tenant(selectedId());
    if (!t)
        return;
    const Tenant tenant = *t;
    confirmDestructive(this, tr("Delete tenant"),
                       tr("Delete tenant %1?\n\nA tenant that still has sites cannot be deleted.")
                           .arg(tenant.name),
                       tr("Delete tenant"), [this, tenant] {
                           ctx().run<Status>(
                               this, [id = tenant.id](Core& c) { return c.tenants().remove(id); },
                               [this, tenant](Status st) {
                                   if (st)
                                       info(tr("Tenant %1 deleted.").arg(tenant.name));
                                   else
                                       error(st.errorMessage());
                               });
                       });
}

void TenantsPage::setSelectedStatus(TenantStatus status)
{
    const auto t = ctx().inventory().tenant(selectedId());
    if (!t || t->status == status)
        return;
    const Tenant tenant = *t;
    if (status == TenantStatus::Active) {
        changeStatus(tenant, status);
        return;
    }
    // Suspending disables every active site of the tenant: ask first.
    confirmDestructive(this, tr("Suspend tenant"),
                       tr("Suspend %1?\n\nIts active sites (%2 in total) will be disabled until "
                          "the tenant is activated again.")
                           .arg(tenant.name)
                           .arg(tenant.siteCount),
                       tr("Suspend"), [this, tenant, status] { changeStatus(tenant, status); });
}

void TenantsPage::changeStatus(const Tenant& t, TenantStatus status)
{
    ctx().run<Status>(
        this, [id = t.id, status](Core& c) { return c.tenants().setStatus(id, status); },
        [this, name = t.name, status](Status st) {
            if (st)
                info(tr("Tenant %1 is now %2.").arg(name, toString(status)));
            else
                error(st.errorMessage());
        });
}

void TenantsPage::showContextMenu(const QPoint& pos)
{
    const QModelIndex idx = view()->indexAt(pos);
    if (!idx.isValid())
        return;
    view()->selectRow(idx.row());
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (QPushButton* b : {m_edit, m_suspend, m_activate, m_delete}) {
        QAction* a = menu->addAction(b->text(), b, &QPushButton::click);
        a->setEnabled(b->isEnabled());
    }
    menu->popup(view()->viewport()->mapToGlobal(pos));
}

} // namespace chom
