#include "ui/observability/AlertsPanel.h"
#include "PlainText.h"
#include "ui/widgets/PlainLabel.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QTableWidget>
#include <QVBoxLayout>

namespace chom {

using metrics::Alert;
using metrics::AlertWatcher;

namespace {
const QString kTenantLabel = QStringLiteral("tenant_id");
enum Column
{
    ColName,
    ColSeverity,
    ColTenant,
    ColInstance,
    ColSince,
    ColSummary,
    ColumnCount
};
} // namespace

AlertsPanel::AlertsPanel(AlertWatcher& watcher, QWidget* parent)
    : QWidget(parent), m_watcher(watcher), m_tenant(new QComboBox),
      m_table(new QTableWidget(0, ColumnCount)), m_status(plainLabel())
{
    setObjectName(QStringLiteral("alertsPanel"));
    m_tenant->setObjectName(QStringLiteral("alertsTenantFilter"));
    m_table->setObjectName(QStringLiteral("alertsTable"));
    m_status->setObjectName(QStringLiteral("alertsStatus"));
    m_status->setWordWrap(true);
    m_table->setHorizontalHeaderLabels(
        {tr("Alert"), tr("Severity"), tr("Tenant"), tr("Instance"), tr("Since"), tr("Summary")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(false);

    auto* top = new QHBoxLayout;
    top->addWidget(plainLabel(tr("Firing alerts")));
    top->addStretch(1);
    top->addWidget(m_tenant);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->addLayout(top);
    col->addWidget(m_status);
    col->addWidget(m_table, 1);
    fillTenantFilter();

    connect(m_tenant, &QComboBox::currentIndexChanged, this, &AlertsPanel::rebuild);
    connect(&m_watcher, &AlertWatcher::alertsChanged, this, [this] {
        fillTenantFilter();
        rebuild();
    });
    connect(&m_watcher, &AlertWatcher::newlyFiring, this, &AlertsPanel::notify);
    connect(&m_watcher, &AlertWatcher::errorChanged, this, &AlertsPanel::rebuild);
    rebuild();
}

void AlertsPanel::setTenants(const QVector<QPair<QString, QString>>& tenants)
{
    m_tenants = tenants;
    fillTenantFilter();
    rebuild();
}

QString AlertsPanel::tenantName(const QString& id) const
{
    for (const auto& [tid, name] : m_tenants)
        if (tid == id)
            return name;
    return id;
}

void AlertsPanel::fillTenantFilter()
{
    const QVariant keep = m_tenant->currentData();
    QSignalBlocker block(m_tenant);
    m_tenant->clear();
    m_tenant->addItem(tr("All tenants"), QString());
    QStringList ids;
    for (const auto& [id, name] : std::as_const(m_tenants)) {
        m_tenant->addItem(tr("Tenant %1").arg(name), id);
        ids << id;
    }
    // Tenants the alerts name but the inventory does not know (yet).
    for (const Alert& a : m_watcher.alerts()) {
        const QString id = a.labels.value(kTenantLabel);
        if (!id.isEmpty() && !ids.contains(id)) {
            m_tenant->addItem(tr("Tenant %1").arg(id), id);
            ids << id;
        }
    }
    const int i = keep.isValid() ? m_tenant->findData(keep) : 0;
    m_tenant->setCurrentIndex(i >= 0 ? i : 0);
}

void AlertsPanel::rebuild()
{
    const QString tenant = m_tenant->currentData().toString();
    QVector<Alert> list = m_watcher.firing();
    if (!tenant.isEmpty())
        list = AlertWatcher::filterTenant(list, tenant);
    m_table->setRowCount(int(list.size()));
    for (int r = 0; r < list.size(); ++r) {
        const Alert& a = list.at(r);
        const QString since = a.activeAtMs > 0
                                  ? QDateTime::fromMSecsSinceEpoch(a.activeAtMs)
                                        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                  : QString();
        const QString values[ColumnCount] = {
            a.labels.value(QStringLiteral("alertname")),
            a.labels.value(QStringLiteral("severity")),
            a.labels.contains(kTenantLabel) ? tenantName(a.labels.value(kTenantLabel)) : QString(),
            a.labels.value(QStringLiteral("instance")),
            since,
            a.annotations.value(QStringLiteral("summary"),
                                a.annotations.value(QStringLiteral("description")))};
        for (int c = 0; c < ColumnCount; ++c) {
            auto* item = new QTableWidgetItem(values[c]);
            if (c == ColSummary)
                item->setToolTip(
                    plainToolTip(a.annotations.value(QStringLiteral("description"), values[c])));
            m_table->setItem(r, c, item);
        }
    }
    const metrics::MetricsError& e = m_watcher.lastError();
    if (e)
        m_status->setText(
            tr("Alerts could not be refreshed (showing the last list): %1").arg(e.message));
    else if (m_watcher.pollsCompleted() == 0)
        m_status->setText(tr("Waiting for Prometheus' alert list…"));
    else if (list.isEmpty())
        m_status->setText(tr("No firing alerts."));
    else
        m_status->setText(tr("%n firing alert(s).", nullptr, int(list.size())));
}

QString AlertsPanel::statusText() const
{
    return m_status->text();
}

QString AlertsPanel::notificationText(const Alert& a)
{
    QString text = a.labels.value(QStringLiteral("alertname"), tr("Alert"));
    const QString severity = a.labels.value(QStringLiteral("severity"));
    if (!severity.isEmpty())
        text += QStringLiteral(" (%1)").arg(severity);
    const QString where = a.labels.value(QStringLiteral("instance"));
    if (!where.isEmpty())
        text += tr(" on %1").arg(where);
    const QString tenant = a.labels.value(kTenantLabel);
    if (!tenant.isEmpty())
        text += tr(", tenant %1").arg(tenant);
    const QString summary = a.annotations.value(QStringLiteral("summary"));
    if (!summary.isEmpty())
        text += QStringLiteral(": ") + summary;
    return text;
}

void AlertsPanel::notify(const Alert& alert)
{
    ++m_notifications;
    const QString title = tr("Alert firing");
    const QString text = notificationText(alert);
    if (m_notifier) {
        m_notifier(title, text);
        return;
    }
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(this);
            m_tray->setIcon(qApp->windowIcon().isNull()
                                ? style()->standardIcon(QStyle::SP_MessageBoxWarning)
                                : qApp->windowIcon());
            m_tray->show();
        }
        m_tray->showMessage(title, text, QSystemTrayIcon::Warning);
        return;
    }
    Q_EMIT noticeRequested(title + QStringLiteral(": ") + text);
}

} // namespace chom
