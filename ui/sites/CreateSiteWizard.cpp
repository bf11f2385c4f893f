#include "ui/sites/CreateSiteWizard.h"

#include "ui/shell/AppContext.h"
#include "ui/sites/SiteDomainPage.h"
#include "ui/sites/SitePlacementPage.h"
#include "ui/sites/SiteStackPage.h"
#include "ui/sites/SiteSummaryPage.h"
#include "ui/sites/SiteTenantPage.h"

#include <QLineEdit>

namespace chom {

CreateSiteWizard::CreateSiteWizard(AppContext& ctx, Id tenantId, QWidget* parent)
    : QWizard(parent), m_tenant(new SiteTenantPage(ctx, tenantId)),
      m_domain(new SiteDomainPage(ctx)), m_stack(new SiteStackPage),
      m_placement(new SitePlacementPage(ctx)),
      m_summary(new SiteSummaryPage(
          ctx, [this] { return request(); }, [this] { return summaryLines(); }))
{
    setObjectName(QStringLiteral("createSiteWizard"));
    setWindowTitle(tr("New site"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowModality(Qt::WindowModal);
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setOption(QWizard::HaveHelpButton, false);
    setButtonText(QWizard::FinishButton, tr("Create site"));
    setPage(TenantPage, m_tenant);
    setPage(DomainPage, m_domain);
    setPage(StackPage, m_stack);
    setPage(PlacementPage, m_placement);
    setPage(SummaryPage, m_summary);
    setMinimumSize(620, 460);
    connect(m_summary, &SiteSummaryPage::created, this, &CreateSiteWizard::created);
    // Type the domain straight away once the tenant is chosen.
    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id == DomainPage)
            m_domain->edit()->setFocus();
    });
}

Site CreateSiteWizard::request() const
{
    Site s;
    s.tenantId = m_tenant->tenantId();
    s.domain = m_domain->domain();
    s.type = m_stack->type();
    s.phpVersion = m_stack->phpVersion();
    s.sslEnabled = m_stack->sslEnabled();
    s.vpsId = m_placement->chosenVpsId();
    return s;
}

QVector<QPair<QString, QString>> CreateSiteWizard::summaryLines() const
{
    const Site s = request();
    return {
        {tr("Tenant:"), m_tenant->tenantName()},
        {tr("Domain:"), s.domain},
        {tr("Type:"), SiteStackPage::typeLabel(s.type)},
        {tr("PHP:"), s.type == SiteType::Html ? tr("none") : s.phpVersion},
        {tr("SSL:"), s.sslEnabled ? tr("on (HTTPS)") : tr("off (HTTP only)")},
        {tr("VPS:"), m_placement->describe()},
    };
}

} // namespace chom
