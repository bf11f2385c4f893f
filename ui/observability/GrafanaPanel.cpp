#include "ui/observability/GrafanaPanel.h"
#include "PlainText.h"
#include "ui/widgets/PlainLabel.h"

#include "observability/EndpointSettings.h"
#include "runtime/Runtime.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace chom {

using metrics::EndpointConfig;
using metrics::GrafanaClient;
using metrics::GrafanaDashboard;
namespace ep = metrics::endpoints;

namespace {
constexpr int kIndexRole = Qt::UserRole + 1;
}

GrafanaPanel::GrafanaPanel(GrafanaClient& client, QWidget* parent)
    : QWidget(parent), m_client(client), m_filter(new QLineEdit), m_list(new QListWidget),
      m_open(new QPushButton(tr("Open"))), m_refresh(new QPushButton(tr("Reload"))),
      m_prometheus(new QPushButton(tr("Prometheus"))), m_grafana(new QPushButton(tr("Grafana"))),
      m_alertmanager(new QPushButton(tr("Alertmanager"))), m_status(plainLabel())
{
    setObjectName(QStringLiteral("grafanaPanel"));
    m_filter->setObjectName(QStringLiteral("grafanaFilter"));
    m_filter->setPlaceholderText(tr("Filter dashboards (title, folder, tag)"));
    m_filter->setClearButtonEnabled(true);
    m_list->setObjectName(QStringLiteral("grafanaDashboards"));
    m_open->setObjectName(QStringLiteral("grafanaOpen"));
    m_open->setToolTip(tr("Open in the browser, kiosk mode, scoped to the selected tenant"));
    m_refresh->setObjectName(QStringLiteral("grafanaReload"));
    m_prometheus->setObjectName(QStringLiteral("quickLinkPrometheus"));
    m_grafana->setObjectName(QStringLiteral("quickLinkGrafana"));
    m_alertmanager->setObjectName(QStringLiteral("quickLinkAlertmanager"));
    m_status->setObjectName(QStringLiteral("grafanaStatus"));
    m_status->setWordWrap(true);
    for (QPushButton* b : {m_prometheus, m_grafana, m_alertmanager})
        b->setEnabled(false);
    m_open->setEnabled(false);

    auto* top = new QHBoxLayout;
    top->addWidget(m_filter, 1);
    top->addWidget(m_open);
    top->addWidget(m_refresh);
    auto* links = new QHBoxLayout;
    links->addWidget(plainLabel(tr("Open:")));
    links->addWidget(m_prometheus);
    links->addWidget(m_grafana);
    links->addWidget(m_alertmanager);
    links->addStretch(1);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->addLayout(top);
    col->addWidget(m_status);
    col->addWidget(m_list, 1);
    col->addLayout(links);

    connect(m_filter, &QLineEdit::textChanged, this, &GrafanaPanel::applyFilter);
    connect(m_open, &QPushButton::clicked, this, &GrafanaPanel::openSelected);
    connect(m_list, &QListWidget::itemDoubleClicked, this, &GrafanaPanel::openSelected);
    connect(m_list, &QListWidget::currentRowChanged, this,
            [this](int row) { m_open->setEnabled(row >= 0); });
    connect(m_refresh, &QPushButton::clicked, this, [this] { reload(true); });
    for (QPushButton* b : {m_prometheus, m_grafana, m_alertmanager})
        connect(b, &QPushButton::clicked, this,
                [this, b] { open(b->property("chomUrl").toUrl()); });
}

void GrafanaPanel::setEndpoints(const EndpointConfig& prometheus, const EndpointConfig& grafana,
                                const EndpointConfig& alertmanager)
{
    const QPair<QPushButton*, QUrl> links[] = {
        {m_prometheus, GrafanaClient::prometheusLink(prometheus)},
        {m_grafana, GrafanaClient::grafanaLink(grafana)},
        {m_alertmanager, GrafanaClient::alertmanagerLink(alertmanager)}};
    for (const auto& [button, url] : links) {
        button->setProperty("chomUrl", url);
        button->setEnabled(url.isValid() && !url.isEmpty());
        button->setToolTip(url.isEmpty() ? tr("Not configured (Settings > Endpoints)")
                                         : url.toString());
    }
}

void GrafanaPanel::loadFromSettings(Runtime& runtime)
{
    const EndpointConfig prometheus = ep::loadPublic(EndpointConfig::Kind::Prometheus);
    const EndpointConfig grafana = ep::loadPublic(EndpointConfig::Kind::Grafana);
    const EndpointConfig alertmanager = ep::loadPublic(EndpointConfig::Kind::Alertmanager);
    setEndpoints(prometheus, grafana, alertmanager);
    if (!grafana.isConfigured() || grafana.auth == EndpointConfig::Auth::None ||
        !ep::secretStored(EndpointConfig::Kind::Grafana)) {
        m_client.setConfig(grafana);
        reload();
        return;
    }
    // The API key lives in the SecretStore, which blocks: on a worker.
    using Loaded = Result<EndpointConfig>;
    runtime.withSecrets<Loaded>(
        this, [](SecretStore& store) { return ep::load(EndpointConfig::Kind::Grafana, store); },
        [this, grafana](Loaded loaded) {
            m_client.setConfig(loaded ? loaded.value() : grafana);
            if (!loaded)
                m_status->setText(loaded.errorMessage());
            reload();
        });
}

void GrafanaPanel::reload(bool force)
{
    m_status->setText(tr("Loading dashboards…"));
    QPointer<GrafanaPanel> self(this);
    m_client.dashboards(
        [self](const QVector<GrafanaDashboard>& list, const metrics::MetricsError& error) {
            if (!self)
                return;
            self->showDashboards(list);
            if (error)
                self->m_status->setText(error.message);
        },
        force);
}

void GrafanaPanel::showDashboards(const QVector<GrafanaDashboard>& list)
{
    m_dashboards = list;
    m_list->clear();
    for (int i = 0; i < list.size(); ++i) {
        const GrafanaDashboard& d = list.at(i);
        QString text =
            d.folderTitle.isEmpty() ? d.title : d.folderTitle + QStringLiteral(" / ") + d.title;
        if (!d.tags.isEmpty())
            text += QStringLiteral("  [%1]").arg(d.tags.join(QStringLiteral(", ")));
        auto* item = new QListWidgetItem(text, m_list);
        item->setData(kIndexRole, i);
        item->setToolTip(plainToolTip(d.url));
    }
    m_status->setText(list.isEmpty() ? tr("No dashboards.")
                                     : tr("%n dashboard(s).", nullptr, int(list.size())));
    applyFilter();
}

void GrafanaPanel::applyFilter()
{
    const QString f = m_filter->text().trimmed();
    for (int r = 0; r < m_list->count(); ++r) {
        QListWidgetItem* item = m_list->item(r);
        const GrafanaDashboard& d = m_dashboards.at(item->data(kIndexRole).toInt());
        const bool match = f.isEmpty() || d.title.contains(f, Qt::CaseInsensitive) ||
                           d.folderTitle.contains(f, Qt::CaseInsensitive) ||
                           d.tags.filter(f, Qt::CaseInsensitive).size() > 0;
        item->setHidden(!match);
    }
    QListWidgetItem* current = m_list->currentItem();
    if (!current || current->isHidden()) {
        m_list->setCurrentRow(-1);
        for (int r = 0; r < m_list->count(); ++r)
            if (!m_list->item(r)->isHidden()) {
                m_list->setCurrentRow(r);
                break;
            }
    }
    m_open->setEnabled(m_list->currentItem() && !m_list->currentItem()->isHidden());
}

void GrafanaPanel::openSelected()
{
    QListWidgetItem* item = m_list->currentItem();
    if (!item || item->isHidden())
        return;
    const GrafanaDashboard& d = m_dashboards.at(item->data(kIndexRole).toInt());
    open(m_client.dashboardUrl(d, m_tenantId));
}

void GrafanaPanel::open(const QUrl& url)
{
    if (url.isEmpty())
        return;
    if (m_opener)
        m_opener(url);
    else
        QDesktopServices::openUrl(url);
}

QPushButton* GrafanaPanel::quickLink(const QString& kind) const
{
    if (kind == QLatin1String("prometheus"))
        return m_prometheus;
    if (kind == QLatin1String("grafana"))
        return m_grafana;
    if (kind == QLatin1String("alertmanager"))
        return m_alertmanager;
    return nullptr;
}

QString GrafanaPanel::statusText() const
{
    return m_status->text();
}

} // namespace chom
