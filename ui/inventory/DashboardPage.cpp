#include "ui/inventory/DashboardPage.h"
#include "ui/widgets/PlainLabel.h"

#include "base/ChangeFeed.h"
#include "inventory/Core.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/widgets/BarList.h"
#include "ui/widgets/StatCard.h"
#include "ui/widgets/StateDelegate.h"
#include "ui/widgets/Theme.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QTableView>
#include <QVBoxLayout>

namespace chom {

DashboardPage::DashboardPage(AppContext& ctx, QWidget* parent)
    : Page(ctx, parent), m_scope(new QComboBox), m_updated(plainLabel()),
      m_total(new StatCard(tr("Total sites"), QStringLiteral("totalSitesValue"))),
      m_active(new StatCard(tr("Active sites"), QStringLiteral("activeSitesValue"))),
      m_storage(new StatCard(tr("Storage used"), QStringLiteral("storageValue"))),
      m_ssl(new StatCard(tr("SSL expiring ≤ 14 days"), QStringLiteral("sslExpiringValue"))),
      m_statusBars(new BarList), m_healthBars(new BarList), m_opsView(new QTableView)
{
    setObjectName(QStringLiteral("dashboardPage"));
    m_scope->setObjectName(QStringLiteral("scopeCombo"));
    m_scope->setMinimumWidth(220);
    m_scope->addItem(tr("All tenants"), Id(0));
    m_scope->setToolTip(tr("Show figures for the whole fleet or one tenant"));
    m_updated->setObjectName(QStringLiteral("pageSubtitle"));
    m_statusBars->setObjectName(QStringLiteral("statusBars"));
    m_healthBars->setObjectName(QStringLiteral("healthBars"));

    m_opsView->setObjectName(QStringLiteral("recentOperations"));
    m_opsView->setModel(&m_ops);
    m_opsView->verticalHeader()->hide();
    m_opsView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_opsView->verticalHeader()->setDefaultSectionSize(26);
    m_opsView->setSelectionMode(QAbstractItemView::NoSelection);
    m_opsView->setFocusPolicy(Qt::NoFocus);
    m_opsView->setShowGrid(false);
    m_opsView->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_opsView->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_opsView->horizontalHeader()->setStretchLastSection(true);
    m_opsView->setColumnHidden(OperationTableModel::Progress, true);
    m_opsView->setItemDelegateForColumn(OperationTableModel::Status, new StateDelegate(m_opsView));
    m_opsView->setColumnWidth(OperationTableModel::Type, 170);
    m_opsView->setColumnWidth(OperationTableModel::Target, 120);
    m_opsView->setColumnWidth(OperationTableModel::Status, 100);
    m_opsView->setColumnWidth(OperationTableModel::Created, 140);
    m_opsView->setColumnWidth(OperationTableModel::Duration, 80);
    m_opsView->setFixedHeight(m_opsView->horizontalHeader()->sizeHint().height() + 5 * 26 + 4);

    auto* content = new QWidget;
    auto* col = new QVBoxLayout(content);
    col->setContentsMargins(24, 20, 24, 20);
    col->setSpacing(16);
    QHBoxLayout* header =
        addHeader(col, tr("Dashboard"),
                  ctx.sharedStore() ? tr("Fleet health at a glance, from the shared store")
                                    : tr("Fleet health at a glance, from the local store"));
    header->addWidget(m_updated);
    header->addSpacing(12);
    header->addWidget(plainLabel(tr("Scope:")));
    header->addWidget(m_scope);

    auto* cards = new QHBoxLayout;
    cards->setSpacing(14);
    for (StatCard* c : {m_total, m_active, m_storage, m_ssl})
        cards->addWidget(c);
    col->addLayout(cards);

    auto* panels = new QHBoxLayout;
    panels->setSpacing(14);
    panels->addWidget(buildPanel(tr("Sites by status"), m_statusBars), 1);
    panels->addWidget(buildPanel(tr("VPS by health"), m_healthBars), 1);
    col->addLayout(panels);
    col->addWidget(buildPanel(tr("Recent operations"), m_opsView));
    col->addStretch(1);

    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    m_total->valueLabel()->installEventFilter(this);
    m_sslWindow.setSingleShot(true);
    connect(&m_sslWindow, &QTimer::timeout, this, &DashboardPage::requestStats);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &DashboardPage::requestStats);
    connect(&ctx.changes(), &ChangeFeed::changed, this,
            [this](ChangeNotifier::Entity what, const QVector<Id>&) { onChanged(what); });
    connect(&ctx.inventory(), &Inventory::tenantsChanged, this, &DashboardPage::rebuildScope);
}

QWidget* DashboardPage::buildPanel(const QString& title, QWidget* body)
{
    auto* panel = new QFrame;
    panel->setObjectName(QStringLiteral("card"));
    panel->setAttribute(Qt::WA_StyledBackground);
    auto* l = new QVBoxLayout(panel);
    l->setContentsMargins(16, 12, 16, 14);
    l->setSpacing(10);
    auto* t = plainLabel(title);
    t->setObjectName(QStringLiteral("panelTitle"));
    l->addWidget(t);
    l->addWidget(body);
    l->addStretch(1); // panels side by side share a height; content stays on top
    return panel;
}

Id DashboardPage::scope() const
{
    return m_scope->currentData().value<Id>();
}

void DashboardPage::load()
{
    // Stats go first in the store queue: they are what the operator sees first.
    requestStats();
    ctx().inventory().ensureLoaded();
}

void DashboardPage::onChanged(ChangeNotifier::Entity what)
{
    if (loadStarted() && what != ChangeNotifier::Entity::Backups)
        requestStats();
}

void DashboardPage::requestStats()
{
    if (!m_request.begin())
        return;
    const Id tenant = scope();
    ctx().run<Result<DashboardStats>>(
        this, [tenant](Core& c) { return c.dashboard().stats(tenant); },
        [this, tenant](Result<DashboardStats> r) {
            const bool again = m_request.end();
            if (!r)
                error(tr("Could not load the dashboard: %1").arg(r.errorMessage()));
            else if (tenant == scope())
                apply(r.value());
            if (again || tenant != scope())
                requestStats();
        });
}

void DashboardPage::apply(const DashboardStats& s)
{
    m_stats = s;
    const QLocale loc;
    const auto count = [&](const QString& key) { return s.sitesByStatus.value(key); };
    m_total->setValue(loc.toString(s.totalSites),
                      s.totalSites == 0 ? tr("No sites yet: add one on the Sites page")
                                        : tr("%1 creating · %2 failed")
                                              .arg(loc.toString(count(QStringLiteral("creating"))),
                                                   loc.toString(count(QStringLiteral("failed")))));
    const int pct = s.totalSites ? int(100.0 * double(s.activeSites) / double(s.totalSites)) : 0;
    m_active->setValue(loc.toString(s.activeSites), tr("%1% of all sites").arg(pct));
    m_storage->setValue(formatMb(s.storageUsedMb), tr("reported by the sites"));
    m_ssl->setValue(loc.toString(s.sslExpiringSoon), s.sslExpiringSoon
                                                         ? tr("renew before they lapse")
                                                         : tr("all certificates fine"));
    m_ssl->setAccent(s.sslExpiringSoon ? QColor(0xe0, 0x8e, 0x0b) : QColor(0x22, 0xa0, 0x5a));
    m_total->setAccent(QColor(0x2f, 0x6f, 0xed));
    m_active->setAccent(QColor(0x22, 0xa0, 0x5a));
    m_storage->setAccent(QColor(0x7c, 0x4d, 0xdb));

    QVector<QPair<QString, qint64>> statusRows, healthRows;
    for (const QString& st : allSiteStatuses())
        statusRows.append({st, s.sitesByStatus.value(st)});
    for (const QString& h : allVpsHealths())
        healthRows.append({h, s.vpsByHealth.value(h)});
    m_statusBars->setRows(statusRows);
    m_healthBars->setRows(healthRows);
    m_ops.setRows(s.recentOperations.mid(0, 5));
    m_updated->setText(
        tr("Updated %1").arg(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"))));

    if (s.validUntil > s.computedAt && s.computedAt > 0) {
        const qint64 secs = qBound(qint64(1), s.validUntil - s.computedAt, qint64(3600));
        m_sslWindow.start(int(secs * 1000));
    }
    m_hasStats = true;
    Q_EMIT statsShown();
}

void DashboardPage::rebuildScope()
{
    QVector<QPair<Id, QString>> items;
    for (const Tenant& t : ctx().inventory().tenantsByName())
        items.append({t.id, t.name});
    if (items == m_scopeItems)
        return;
    m_scopeItems = items;
    const Id current = scope();
    QSignalBlocker block(m_scope);
    m_scope->clear();
    m_scope->addItem(tr("All tenants"), Id(0));
    for (const auto& [id, name] : items)
        m_scope->addItem(name, id);
    const int idx = m_scope->findData(current);
    m_scope->setCurrentIndex(idx < 0 ? 0 : idx);
    if (idx < 0 && current != 0)
        requestStats(); // the tenant shown was deleted
}

bool DashboardPage::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Paint && m_hasStats && !m_paintReported) {
        m_paintReported = true;
        // Report after this paint pass has completed.
        QTimer::singleShot(0, this, [this] { Q_EMIT firstPaintWithStats(); });
    }
    return Page::eventFilter(watched, event);
}

} // namespace chom
