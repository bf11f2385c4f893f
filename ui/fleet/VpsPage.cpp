#include "ui/fleet/VpsPage.h"

#include "fleet/FleetHealthModel.h"
#include "inventory/Core.h"
#include "observability/MetricsService.h"
#include "observability/PrometheusClient.h"
#include "ui/fleet/ConnectionResultPanel.h"
#include "ui/fleet/FleetActions.h"
#include "ui/fleet/SweepPanel.h"
#include "ui/inventory/VpsDialog.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/widgets/Confirm.h"

#include <QHBoxLayout>
#include <QMenu>
#include <QPointer>
#include <QPushButton>
#include <QTableView>

namespace chom {

VpsPage::VpsPage(AppContext& ctx, QWidget* parent)
    : TablePage(ctx, tr("VPS Fleet"), tr("Servers that host the sites"), tr("servers"), parent),
      m_statusMenu(new QMenu(this)),
      m_health(new FleetHealthModel(ctx.inventory().vpsModel(), ctx.sshPool(), ctx.fleet(), this)),
      m_results(new ConnectionResultPanel(ctx)), m_sweep(new SweepPanel(ctx))
{
    setObjectName(QStringLiteral("vpsPage"));
    view()->setObjectName(QStringLiteral("vpsView"));
    m_edit = addButton(tr("Edit…"), QStringLiteral("editVpsButton"));
    m_status = addButton(tr("Set status"), QStringLiteral("vpsStatusButton"));
    m_delete = addButton(tr("Delete…"), QStringLiteral("deleteVpsButton"));
    QPushButton* add = addButton(tr("Add VPS"), QStringLiteral("newVpsButton"), true);
    add->setToolTip(tr("Add a server (Ctrl+N)"));
    m_statusMenu->setObjectName(QStringLiteral("vpsStatusMenu"));
    fillStatusMenu(m_statusMenu);
    m_status->setMenu(m_statusMenu);
    // The fleet's own actions get a row of their own: beside the title they
    // would not fit at 1280×800.
    auto addToRow = [this](QWidget* w) {
        QHBoxLayout* row = actionRow();
        row->insertWidget(row->count() - 1, w);
    };
    m_actions = new FleetActions(ctx,
                                 {[this] { return selectedId(); },
                                  [addToRow](const QString& text, const QString& name) {
                                      auto* b = new QPushButton(text);
                                      b->setObjectName(name);
                                      addToRow(b);
                                      return b;
                                  },
                                  addToRow},
                                 m_health, m_results, m_sweep, this);
    connect(m_actions, &FleetActions::message, this,
            [this](const QString& t, bool isError) { isError ? error(t) : info(t); });
    m_promTimer.setInterval(30000);
    connect(&m_promTimer, &QTimer::timeout, this, &VpsPage::refreshPrometheusColumns);
    connect(&ctx.metrics(), &metrics::MetricsService::endpointChanged, this, [this] {
        if (isVisible()) // hidden, it fetches when shown
            refreshPrometheusColumns();
    });
    setSourceModel(m_health, {VpsTableModel::Status, VpsTableModel::Health});
    const int widths[FleetHealthModel::ColumnCount] = {230, 190, 140, 180, 120, 170, 130, 60,
                                                       70,  60,  70,  70,  70,  90,  260};
    for (int c = 0; c < FleetHealthModel::ColumnCount; ++c)
        view()->setColumnWidth(c, widths[c]);
    setStretchColumn(VpsTableModel::Hostname);
    view()->setContextMenuPolicy(Qt::CustomContextMenu);

    connect(add, &QPushButton::clicked, this, &VpsPage::createNew);
    connect(m_edit, &QPushButton::clicked, this, &VpsPage::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &VpsPage::deleteSelected);
    connect(view(), &QTableView::activated, this, &VpsPage::editSelected);
    connect(view(), &QTableView::customContextMenuRequested, this, &VpsPage::showContextMenu);
    addBelow(m_results);
    addBelow(m_sweep);
    onSelectionChanged();
}

void VpsPage::fillStatusMenu(QMenu* menu)
{
    const auto current = ctx().inventory().vps(selectedId());
    for (const QString& name : allVpsStatuses()) {
        const VpsStatus st = *vpsStatusFromString(name);
        QAction* a = menu->addAction(name, this, [this, st] { setSelectedStatus(st); });
        a->setCheckable(true);
        a->setChecked(current && current->status == st);
    }
}

void VpsPage::load()
{
    ctx().inventory().ensureLoaded();
}

void VpsPage::refresh()
{
    ctx().inventory().reloadVps();
}

void VpsPage::onSelectionChanged()
{
    const auto v = ctx().inventory().vps(selectedId());
    for (QPushButton* b : {m_edit, m_status, m_delete})
        b->setEnabled(v.has_value());
    m_actions->update();
    const QList<QAction*> actions = m_statusMenu->actions();
    for (QAction* a : actions)
        a->setChecked(v && toString(v->status) == a->text());
}

void VpsPage::createNew()
{
    auto* dlg = new VpsDialog(ctx(), std::nullopt, this);
    connect(dlg, &VpsDialog::saved, this,
            [this](const QString& host) { info(tr("VPS %1 added.").arg(host)); });
    dlg->open();
}

void VpsPage::editSelected()
{
    const auto v = ctx().inventory().vps(selectedId());
    if (!v)
        return;
    auto* dlg = new VpsDialog(ctx(), v, this);
    connect(dlg, &VpsDialog::saved, this,
            [this](const QString& host) { info(tr("VPS %1 saved.").arg(host)); });
    dlg->open();
}

void VpsPage::deleteSelected()
{
    const auto v = ctx().inventory().vps(selectedId());
    if (!v)
        return;
    const Vps vps = *v;
    confirmDestructive(this, tr("Delete VPS"),
                       tr("Remove %1 (%2) from the fleet?\n\nA server that still hosts sites "
                          "cannot be deleted.")
                           .arg(vps.hostname, vps.ipAddress),
                       tr("Delete VPS"), [this, vps] {
                           ctx().run<Status>(
                               this, [id = vps.id](Core& c) { return c.vps().remove(id); },
                               [this, vps](Status st) {
                                   if (st)
                                       info(tr("VPS %1 deleted.").arg(vps.hostname));
                                   else
                                       error(st.errorMessage());
                               });
                       });
}

void VpsPage::setSelectedStatus(VpsStatus status)
{
    const auto v = ctx().inventory().vps(selectedId());
    if (!v || v->status == status) {
        onSelectionChanged(); // undo the menu's check toggle
        return;
    }
    ctx().run<Status>(
        this, [id = v->id, status](Core& c) { return c.vps().setStatus(id, status); },
        [this, host = v->hostname, status](Status st) {
            if (st)
                info(tr("VPS %1 is now %2.").arg(host, toString(status)));
            else
                error(st.errorMessage());
            onSelectionChanged();
        });
}

void VpsPage::showContextMenu(const QPoint& pos)
{
    const QModelIndex idx = view()->indexAt(pos);
    if (!idx.isValid())
        return;
    view()->selectRow(idx.row());
    auto* menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->addAction(tr("Edit…"), this, &VpsPage::editSelected);
    fillStatusMenu(menu->addMenu(tr("Set status")));
    menu->addSeparator();
    menu->addAction(tr("Delete…"), this, &VpsPage::deleteSelected);
    menu->popup(view()->viewport()->mapToGlobal(pos));
}

void VpsPage::testConnection()
{
    m_actions->testConnection();
}

void VpsPage::bootstrapSelected()
{
    m_actions->bootstrapSelected();
}

void VpsPage::sweepNow()
{
    m_actions->sweepNow();
}

void VpsPage::retryFailed()
{
    m_actions->retryFailed();
}

void VpsPage::trustHostKey()
{
    m_actions->trustHostKey();
}

void VpsPage::setSweepInterval(int minutes)
{
    m_actions->setSweepInterval(minutes);
}

void VpsPage::showEvent(QShowEvent* event)
{
    Page::showEvent(event);
    refreshPrometheusColumns();
    m_promTimer.start();
}

void VpsPage::hideEvent(QHideEvent* event)
{
    m_promTimer.stop(); // hidden pages do not poll
    Page::hideEvent(event);
}

void VpsPage::refreshPrometheusColumns()
{
    metrics::MetricsService& svc = ctx().metrics();
    if (!svc.client().config().isConfigured())
        return; // no Prometheus: the SSH health columns stand alone
    QPointer<VpsPage> self(this);
    metrics::FleetMetrics::fetch(svc.client(),
                                 [self](const QHash<QString, metrics::HostMetrics>& hosts,
                                        const metrics::MetricsError& err) {
                                     if (!self)
                                         return;
                                     if (!hosts.isEmpty() || !err)
                                         self->m_health->setPrometheus(hosts);
                                 });
}

} // namespace chom
