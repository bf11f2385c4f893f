#include "ui/observability/MetricsPage.h"
#include "ui/widgets/PlainLabel.h"

#include "observability/AlertWatcher.h"
#include "observability/EndpointSettings.h"
#include "observability/FleetMetrics.h"
#include "observability/GrafanaClient.h"
#include "observability/PrometheusClient.h"
#include "ui/observability/AlertsPanel.h"
#include "ui/observability/GrafanaPanel.h"
#include "ui/observability/MetricsChart.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QInputDialog>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace chom {

using metrics::MetricsScope;

namespace {

struct RangeChoice
{
    const char* label;
    qint64 seconds;
};
const RangeChoice kRanges[] = {{"15m", 900},   {"30m", 1800},  {"1h", 3600},
                               {"3h", 10800},  {"6h", 21600},  {"12h", 43200},
                               {"24h", 86400}, {"7d", 604800}, {"Custom…", 0}};
const int kAutoSeconds[] = {0, 10, 30, 60, 300};

} // namespace

MetricsPage::MetricsPage(AppContext& ctx, QWidget* parent)
    : Page(ctx, parent), m_scope(new QComboBox), m_range(new QComboBox), m_auto(new QComboBox),
      m_refreshButton(new QPushButton(tr("Refresh"))), m_banner(plainLabel())
{
    setObjectName(QStringLiteral("metricsPage"));
    m_scope->setObjectName(QStringLiteral("metricsScope"));
    m_range->setObjectName(QStringLiteral("metricsRange"));
    m_auto->setObjectName(QStringLiteral("metricsAutoRefresh"));
    m_refreshButton->setObjectName(QStringLiteral("metricsRefresh"));
    m_refreshButton->setToolTip(tr("Refresh now (F5)"));
    m_banner->setObjectName(QStringLiteral("metricsBanner"));
    m_banner->setWordWrap(true);
    m_banner->setStyleSheet(QStringLiteral("background: #fff4e0; padding: 6px;"));
    m_banner->hide();
    for (const RangeChoice& r : kRanges)
        m_range->addItem(tr(r.label), r.seconds);
    m_range->setCurrentIndex(2); // 1h
    m_auto->addItem(tr("Auto-refresh off"), 0);
    for (int s : kAutoSeconds)
        if (s > 0)
            m_auto->addItem(s < 60 ? tr("Every %1 s").arg(s) : tr("Every %1 min").arg(s / 60), s);
    m_auto->setCurrentIndex(2); // 30 s

    auto* col = new QVBoxLayout(this);
    QHBoxLayout* header =
        addHeader(col, tr("Metrics"), tr("Prometheus, all panel queries in parallel, cached"));
    header->addWidget(m_scope);
    header->addWidget(m_range);
    header->addWidget(m_auto);
    header->addWidget(m_refreshButton);
    col->addWidget(m_banner);
    auto* grid = new QGridLayout;
    const auto& panels = metrics::standardPanels();
    for (int i = 0; i < panels.size(); ++i) {
        auto* c = new MetricsChart(panels.at(i));
        m_charts << c;
        grid->addWidget(c, i / 2, i % 2);
    }
    auto* inner = new QWidget;
    inner->setLayout(grid);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(inner);
    // Alerts and Grafana in a tab row under the charts.
    m_alertWatcher = new metrics::AlertWatcher(ctx.metrics().client(), this);
    m_grafana = new metrics::GrafanaClient(
        ctx.network(), metrics::endpoints::loadPublic(metrics::EndpointConfig::Kind::Grafana),
        this);
    m_alertsPanel = new AlertsPanel(*m_alertWatcher);
    m_grafanaPanel = new GrafanaPanel(*m_grafana);
    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("metricsTabs"));
    m_tabs->addTab(m_alertsPanel, tr("Alerts"));
    m_tabs->addTab(m_grafanaPanel, tr("Grafana"));
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(scroll);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    col->addWidget(split, 1);
    connect(m_alertsPanel, &AlertsPanel::noticeRequested, this,
            [this](const QString& text) { error(text); });

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &MetricsPage::refresh);
    connect(&m_autoTimer, &QTimer::timeout, this, &MetricsPage::refresh);
    connect(m_refreshButton, &QPushButton::clicked, this, &MetricsPage::refresh);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &MetricsPage::scheduleRefresh);
    connect(m_scope, &QComboBox::currentIndexChanged, this, [this] {
        const MetricsScope s = currentScope();
        m_grafanaPanel->setTenantId(s.kind == MetricsScope::Kind::Tenant ? s.value : QString());
    });
    connect(m_range, &QComboBox::currentIndexChanged, this, [this](int i) {
        if (m_range->itemData(i).toLongLong() == 0)
            askCustomRange(); // refreshes once answered
        else
            scheduleRefresh();
    });
    connect(m_auto, &QComboBox::currentIndexChanged, this, &MetricsPage::applyAutoRefresh);
    metrics::MetricsService& svc = ctx.metrics();
    connect(&svc, &metrics::MetricsService::panelUpdated, this, &MetricsPage::onPanel);
    connect(&svc, &metrics::MetricsService::problem, this, [this](const QString& text) {
        m_banner->setText(text);
        m_banner->setVisible(!text.isEmpty());
    });
    // A saved endpoint shows at once: the old banner goes, the charts re-query
    // (a hidden page when it is shown next).
    connect(&svc, &metrics::MetricsService::endpointChanged, this, [this] {
        m_banner->hide();
        m_endpointChanged = true;
        if (isVisible())
            refresh();
    });
    connect(&ctx.inventory(), &Inventory::tenantsChanged, this, &MetricsPage::fillScopes);
    connect(&ctx.inventory(), &Inventory::vpsChanged, this, &MetricsPage::fillScopes);
}

void MetricsPage::load()
{
    fillScopes();
    refresh();
    m_grafanaPanel->loadFromSettings(ctx().runtime());
}

void MetricsPage::showEvent(QShowEvent* event)
{
    Page::showEvent(event);
    if (m_endpointChanged)
        refresh();
    applyAutoRefresh();
    m_alertWatcher->start(); // alerts are polled only while the page is visible
}

void MetricsPage::hideEvent(QHideEvent* event)
{
    m_alertWatcher->stop();
    m_autoTimer.stop(); // hidden pages do not poll
    m_debounce.stop();
    Page::hideEvent(event);
}

void MetricsPage::applyAutoRefresh()
{
    const int s = m_auto->currentData().toInt();
    if (s > 0 && isVisible())
        m_autoTimer.start(s * 1000);
    else
        m_autoTimer.stop();
}

void MetricsPage::fillScopes()
{
    const QVariant keep = m_scope->currentData();
    QSignalBlocker block(m_scope);
    m_scope->clear();
    m_scope->addItem(tr("Whole fleet"), QStringLiteral("fleet:"));
    for (const Vps& v : ctx().inventory().vpsByHostname())
        m_scope->addItem(tr("VPS %1").arg(v.hostname),
                         QStringLiteral("vps:%1|%2")
                             .arg(metrics::FleetMetrics::instanceOf(v.ipAddress), v.hostname));
    for (const Tenant& t : ctx().inventory().tenantsByName())
        m_scope->addItem(tr("Tenant %1").arg(t.name),
                         QStringLiteral("tenant:%1|%2").arg(t.id).arg(t.name));
    for (const QString& site : std::as_const(m_sites))
        m_scope->addItem(tr("Site %1").arg(site.section(QLatin1Char('|'), 0, 0)),
                         QString(QStringLiteral("site:") + site));
    const int i = m_scope->findData(keep);
    m_scope->setCurrentIndex(i >= 0 ? i : 0);
    QVector<QPair<QString, QString>> tenants;
    for (const Tenant& t : ctx().inventory().tenantsByName())
        tenants.append({QString::number(t.id), t.name});
    m_alertsPanel->setTenants(tenants);
    const MetricsScope scope = currentScope();
    m_grafanaPanel->setTenantId(scope.kind == MetricsScope::Kind::Tenant ? scope.value : QString());
}

MetricsScope MetricsPage::currentScope() const
{
    const QString d = m_scope->currentData().toString();
    const QString kind = d.section(QLatin1Char(':'), 0, 0);
    const QString rest = d.section(QLatin1Char(':'), 1);
    const QString value = rest.section(QLatin1Char('|'), 0, 0);
    const QString title = rest.section(QLatin1Char('|'), 1);
    if (kind == QLatin1String("vps"))
        return MetricsScope::vps(value, title);
    if (kind == QLatin1String("tenant"))
        return MetricsScope::tenant(value, title);
    if (kind == QLatin1String("site"))
        return MetricsScope::site(value, title); // title holds the VPS instance
    return MetricsScope::fleet();
}

void MetricsPage::showSite(const QString& domain, Id vpsId)
{
    const auto vps = ctx().inventory().vps(vpsId);
    const QString entry = domain + QLatin1Char('|') +
                          (vps ? metrics::FleetMetrics::instanceOf(vps->ipAddress) : QString());
    m_sites.removeAll(entry);
    m_sites.prepend(entry);
    while (m_sites.size() > 8)
        m_sites.removeLast();
    fillScopes();
    m_scope->setCurrentIndex(
        m_scope->findData(QString(QStringLiteral("site:") + entry))); // debounced
}

qint64 MetricsPage::currentRangeS() const
{
    const qint64 s = m_range->currentData().toLongLong();
    return s > 0 ? s : (m_customRangeS > 0 ? m_customRangeS : 7200);
}

// Non-modal, so replies and repaints keep flowing while the operator types;
// a cancel keeps the previous custom range.
void MetricsPage::askCustomRange()
{
    auto* dialog = new QInputDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setObjectName(QStringLiteral("customRangeDialog"));
    dialog->setWindowTitle(tr("Custom range"));
    dialog->setLabelText(tr("Last N hours:"));
    dialog->setInputMode(QInputDialog::IntInput);
    dialog->setIntRange(1, 24 * 90);
    dialog->setIntValue(m_customRangeS > 0 ? int(m_customRangeS / 3600) : 2);
    connect(dialog, &QInputDialog::intValueSelected, this,
            [this](int hours) { m_customRangeS = qint64(hours) * 3600; });
    connect(dialog, &QDialog::finished, this, &MetricsPage::scheduleRefresh);
    dialog->open();
}

void MetricsPage::scheduleRefresh()
{
    m_debounce.start();
}

void MetricsPage::refresh()
{
    m_debounce.stop();
    m_endpointChanged = false;
    metrics::MetricsService::Request req;
    req.scope = currentScope();
    req.rangeS = currentRangeS();
    int width = 0;
    for (MetricsChart* c : std::as_const(m_charts)) {
        if (c->isVisibleTo(this)) { // hidden panels are not queried
            req.panelIds << c->spec().id;
            width = qMax(width, c->plotWidth());
        }
    }
    if (req.panelIds.isEmpty())
        return;
    req.widthPx = qMax(200, width);
    ++m_refreshes;
    metrics::MetricsService& svc = ctx().metrics();
    svc.refresh(req);
    const qint64 toMs =
        (svc.lastEndS() > 0 ? svc.lastEndS() : QDateTime::currentSecsSinceEpoch()) * 1000;
    for (MetricsChart* c : std::as_const(m_charts))
        c->setWindow(toMs - req.rangeS * 1000, toMs);
}

void MetricsPage::onPanel(const QString& panelId, int index, const metrics::QueryResult& result)
{
    if (MetricsChart* c = chart(panelId))
        c->setResult(index, result);
}

MetricsChart* MetricsPage::chart(const QString& panelId) const
{
    for (MetricsChart* c : m_charts)
        if (c->spec().id == panelId)
            return c;
    return nullptr;
}

QString MetricsPage::bannerText() const
{
    return m_banner->isVisibleTo(this) ? m_banner->text() : QString();
}

} // namespace chom
