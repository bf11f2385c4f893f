#include "ui/sites/SiteWindows.h"

#include "ui/inventory/SiteDialog.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/sites/CreateSiteWizard.h"
#include "ui/sites/SiteDetailView.h"

namespace chom {

SiteWindows::SiteWindows(AppContext& ctx, QWidget* parent)
    : QObject(parent), m_ctx(ctx), m_parent(parent)
{
}

void SiteWindows::createSite(Id tenantId)
{
    if (!m_ctx.fleet()) {
        // No fleet to provision on: the site is only recorded.
        auto* dlg = new SiteDialog(m_ctx, std::nullopt, m_parent);
        connect(dlg, &SiteDialog::saved, this, [this](Id, const QString& domain) {
            Q_EMIT notice(tr("Site %1 created.").arg(domain), Page::Notice::Info);
        });
        dlg->open();
        return;
    }
    auto* wizard = new CreateSiteWizard(m_ctx, tenantId, m_parent);
    connect(wizard, &CreateSiteWizard::created, this,
            [this](Id, Id operationId, const QString& domain) {
                Q_EMIT notice(
                    tr("Creating %1: operation #%2 started.").arg(domain).arg(operationId),
                    Page::Notice::Info);
                Q_EMIT operationRequested(operationId);
            });
    wizard->open();
}

// The certificate the site's VPS serves for it, as a browser would see it
// (TLS on port 443 with the site's name), once per opening of the view.
void SiteWindows::probeServed(SiteDetailView* view)
{
    const std::optional<Site>& s = view->site();
    if (!s || !s->sslEnabled || !s->vpsId || view->property("chomProbed").toBool())
        return;
    const std::optional<Vps> host = m_ctx.inventory().vps(s->vpsId);
    if (!host || host->ipAddress.isEmpty())
        return;
    view->setProperty("chomProbed", true);
    const QPointer<SiteDetailView> target(view);
    m_probe.probe({TlsTarget{s->domain, host->ipAddress, 443}},
                  [target](const QVector<ServedCertificate>& served) {
                      if (target && !served.isEmpty())
                          target->setServedCertificate(served.first());
                  });
}

SiteDetailView* SiteWindows::showDetails(Id siteId)
{
    SiteDetailView* view = m_details.value(siteId);
    if (!view) {
        view = new SiteDetailView(m_ctx, siteId, m_parent);
        connect(view, &SiteDetailView::operationRequested, this, &SiteWindows::operationRequested);
        connect(view, &SiteDetailView::metricsRequested, this, &SiteWindows::metricsRequested);
        connect(view, &SiteDetailView::loaded, this, [this, view] { probeServed(view); });
        m_details.insert(siteId, view);
    }
    view->show();
    view->raise();
    view->activateWindow();
    return view;
}

} // namespace chom
