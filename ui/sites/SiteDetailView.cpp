#include "ui/sites/SiteDetailView.h"

#include "RowTableModel.h"
#include "base/ChangeFeed.h"
#include "inventory/Core.h"
#include "inventory/Validation.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/sites/ServedCertificatePanel.h"
#include "ui/sites/SiteOperationsList.h"
#include "ui/sites/SiteStackPage.h"
#include "ui/widgets/PlainLabel.h"

#include <QDesktopServices>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace chom {

SiteDetailView::SiteDetailView(AppContext& ctx, Id siteId, QWidget* parent)
    : QDialog(parent), m_ctx(ctx), m_siteId(siteId), m_title(plainLabel(tr("Loading…"))),
      m_deletedLabel(plainLabel(tr("This site has been deleted; what is shown is its last "
                                   "known state."))),
      m_cert(new ServedCertificatePanel), m_ops(new SiteOperationsList(ctx, siteId))
{
    setObjectName(QStringLiteral("siteDetailView"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("Site details"));
    m_title->setObjectName(QStringLiteral("detailTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_deletedLabel->setObjectName(QStringLiteral("deletedLabel"));
    m_deletedLabel->setProperty("role", QStringLiteral("fieldError"));
    m_deletedLabel->hide();

    auto* right = new QVBoxLayout;
    right->addWidget(m_cert);
    right->addWidget(m_ops, 1);
    auto* columns = new QHBoxLayout;
    columns->setSpacing(14);
    columns->addWidget(buildRecord(), 1);
    columns->addLayout(right, 1);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(20, 16, 20, 14);
    col->setSpacing(10);
    col->addWidget(m_title);
    col->addWidget(m_deletedLabel);
    col->addLayout(columns, 1);
    col->addWidget(buildLinks());
    resize(980, 640);

    connect(m_ops, &SiteOperationsList::operationRequested, this,
            &SiteDetailView::operationRequested);
    connect(&ctx.changes(), &ChangeFeed::changed, this,
            [this](ChangeNotifier::Entity what, const QVector<Id>& ids) {
                const bool mine = ids.isEmpty() || ids.contains(m_siteId);
                if ((what == ChangeNotifier::Entity::Sites && mine) ||
                    what == ChangeNotifier::Entity::All)
                    reload();
            });
    connect(&ctx.inventory(), &Inventory::tenantsChanged, this, &SiteDetailView::presentNames);
    connect(&ctx.inventory(), &Inventory::vpsChanged, this, &SiteDetailView::presentNames);
    ctx.inventory().ensureLoaded();
    reload();
}

QLabel* SiteDetailView::addValue(QFormLayout* form, const QString& label, const QString& objectName)
{
    QLabel* v = plainLabel(QStringLiteral("—"));
    v->setObjectName(objectName);
    v->setWordWrap(true);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(label, v);
    return v;
}

QWidget* SiteDetailView::buildRecord()
{
    auto* box = new QWidget;
    auto* col = new QVBoxLayout(box);
    col->setContentsMargins(0, 0, 0, 0);
    auto* site = new QGroupBox(tr("Site"));
    auto* form = new QFormLayout(site);
    m_tenant = addValue(form, tr("Tenant:"), QStringLiteral("tenantValue"));
    m_vps = addValue(form, tr("VPS:"), QStringLiteral("vpsValue"));
    m_type = addValue(form, tr("Type:"), QStringLiteral("typeValue"));
    m_php = addValue(form, tr("PHP:"), QStringLiteral("phpValue"));
    m_status = addValue(form, tr("Status:"), QStringLiteral("statusValue"));
    m_failure = addValue(form, tr("Last failure:"), QStringLiteral("failureValue"));
    m_attempts = addValue(form, tr("Provision attempts:"), QStringLiteral("attemptsValue"));
    m_root = addValue(form, tr("Document root:"), QStringLiteral("documentRootValue"));
    m_db = addValue(form, tr("Database:"), QStringLiteral("databaseValue"));
    m_created = addValue(form, tr("Created:"), QStringLiteral("createdValue"));
    m_updated = addValue(form, tr("Updated:"), QStringLiteral("updatedValue"));
    auto* ssl = new QGroupBox(tr("SSL (recorded)"));
    auto* sslForm = new QFormLayout(ssl);
    m_ssl = addValue(sslForm, tr("State:"), QStringLiteral("sslValue"));
    col->addWidget(site);
    col->addWidget(ssl);
    col->addStretch(1);
    return box;
}

QWidget* SiteDetailView::buildLinks()
{
    auto* row = new QWidget;
    auto* links = new QHBoxLayout(row);
    links->setContentsMargins(0, 0, 0, 0);
    m_open = new QPushButton(tr("Open in browser"));
    m_open->setObjectName(QStringLiteral("openInBrowserButton"));
    m_metrics = new QPushButton(tr("Metrics"));
    m_metrics->setObjectName(QStringLiteral("metricsButton"));
    m_metrics->setToolTip(tr("The site's charts on the Metrics page"));
    auto* logs = new QPushButton(tr("Logs"));
    logs->setObjectName(QStringLiteral("logsButton"));
    logs->setEnabled(false);
    logs->setToolTip(tr("The log viewer is not connected yet."));
    auto* close = new QPushButton(tr("Close"));
    close->setObjectName(QStringLiteral("closeButton"));
    // No default button: Enter in the operations list opens an operation, nothing else.
    for (QPushButton* b : {m_open, m_metrics, logs, close})
        b->setAutoDefault(false);
    links->addWidget(m_open);
    links->addWidget(m_metrics);
    links->addWidget(logs);
    links->addStretch(1);
    links->addWidget(close);
    m_open->setEnabled(false);
    m_metrics->setEnabled(false);
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (m_site)
            QDesktopServices::openUrl(siteUrl(*m_site));
    });
    connect(m_metrics, &QPushButton::clicked, this, [this] {
        if (m_site)
            Q_EMIT metricsRequested(m_site->domain, m_site->vpsId);
    });
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    return row;
}

QUrl SiteDetailView::siteUrl(const Site& s)
{
    QUrl url;
    url.setScheme(s.sslEnabled ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(s.domain);
    url.setPath(QStringLiteral("/"));
    return url;
}

void SiteDetailView::setServedCertificate(const ServedCertificate& cert)
{
    m_cert->setServed(cert);
}

void SiteDetailView::reload()
{
    // One read at a time; a change meanwhile reads once more after it.
    if (m_reloading) {
        m_reloadAgain = true;
        return;
    }
    m_reloading = true;
    m_ctx.run<Result<Site>>(
        this, [id = m_siteId](Core& c) { return c.sites().get(id); },
        [this](Result<Site> s) {
            m_reloading = false;
            if (s) {
                m_deletedLabel->setVisible(m_deleted);
                present(s.value());
            } else if (s.error().code == QLatin1String("not_found"))
                markDeleted();
            else {
                m_deletedLabel->setText(tr("Could not read the site: %1").arg(s.errorMessage()));
                m_deletedLabel->show();
            }
            Q_EMIT loaded();
            if (std::exchange(m_reloadAgain, false))
                reload();
        });
}

void SiteDetailView::present(const Site& s)
{
    m_site = s;
    m_title->setText(s.domain);
    setWindowTitle(tr("Site details — %1").arg(s.domain));
    m_type->setText(SiteStackPage::typeLabel(s.type));
    m_php->setText(s.type == SiteType::Html ? tr("none") : s.phpVersion);
    m_status->setText(toString(s.status));
    m_failure->setText(s.failureReason.isEmpty() ? QStringLiteral("—") : s.failureReason);
    m_attempts->setText(QString::number(s.provisionAttempts));
    m_root->setText(s.documentRoot.isEmpty()
                        ? tr("%1 (default)").arg(validation::siteHome(s.domain))
                        : s.documentRoot);
    m_db->setText(s.dbName.isEmpty()   ? QStringLiteral("—")
                  : s.dbUser.isEmpty() ? s.dbName
                                       : tr("%1 (user %2)").arg(s.dbName, s.dbUser));
    m_created->setText(formatTime(s.createdAt));
    m_updated->setText(formatTime(s.updatedAt));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    m_ssl->setText(!s.sslEnabled ? tr("off")
                   : !s.sslExpiresAt
                       ? tr("on, no expiry recorded")
                       : tr("on, expires %1 (%2)")
                             .arg(formatTime(s.sslExpiresAt),
                                  ServedCertificatePanel::daysLeft(now, s.sslExpiresAt)));
    m_cert->setRecord(s);
    m_open->setEnabled(true);
    m_open->setToolTip(siteUrl(s).toString());
    m_metrics->setEnabled(true);
    presentNames();
}

void SiteDetailView::presentNames()
{
    if (!m_site)
        return;
    const Inventory& inv = m_ctx.inventory();
    m_tenant->setText(inv.tenantNames().value(m_site->tenantId, tr("#%1").arg(m_site->tenantId)));
    m_vps->setText(m_site->vpsId ? inv.vpsNames().value(m_site->vpsId, tr("#%1").arg(m_site->vpsId))
                                 : tr("not placed yet"));
}

void SiteDetailView::markDeleted()
{
    m_deleted = true;
    m_deletedLabel->setText(
        tr("This site has been deleted; what is shown is its last known state."));
    m_deletedLabel->show();
    if (!m_site)
        m_title->setText(tr("Site #%1").arg(m_siteId));
    m_open->setEnabled(false);
    m_metrics->setEnabled(false);
}

} // namespace chom
