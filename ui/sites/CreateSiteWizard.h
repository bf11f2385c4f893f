#pragma once

#include "Domain.h"

#include <QWizard>

namespace chom {

class AppContext;
class SiteDomainPage;
class SitePlacementPage;
class SiteStackPage;
class SiteSummaryPage;
class SiteTenantPage;

// Create Site: tenant, domain, type and PHP, VPS, summary. Each page refuses
// what it can before any server is touched (quota, domain rules, a domain
// already used); Finish records the site and starts its provisioning as a
// journaled operation. Opened with open(): no nested event loop.
class CreateSiteWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId
    {
        TenantPage,
        DomainPage,
        StackPage,
        PlacementPage,
        SummaryPage
    };

    // tenantId: preselected (opened from a tenant); 0 = the first one.
    CreateSiteWizard(AppContext& ctx, Id tenantId = 0, QWidget* parent = nullptr);

    Site request() const; // what Finish creates
    SiteSummaryPage* summary() const { return m_summary; }

Q_SIGNALS:
    void created(chom::Id siteId, chom::Id operationId, const QString& domain);

private:
    QVector<QPair<QString, QString>> summaryLines() const;

    SiteTenantPage* m_tenant;
    SiteDomainPage* m_domain;
    SiteStackPage* m_stack;
    SitePlacementPage* m_placement;
    SiteSummaryPage* m_summary;
};

} // namespace chom
