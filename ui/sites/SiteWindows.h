#pragma once

#include "Domain.h"
#include "sites/TlsProbe.h"
#include "ui/widgets/Page.h"

#include <QHash>
#include <QObject>
#include <QPointer>

class QWidget;

namespace chom {

class AppContext;
class SiteDetailView;

// The windows the Sites page opens: "New site" (the Create Site wizard,
// which provisions on a VPS, when a fleet runs; the record-only dialog
// otherwise) and one details view per site. Passes on what they ask of the
// main window: an operation to show, a site's metrics, a notice.
class SiteWindows : public QObject
{
    Q_OBJECT
public:
    SiteWindows(AppContext& ctx, QWidget* parent);

    // tenantId: preselected in the wizard (0 = none).
    void createSite(Id tenantId = 0);
    // Opens the site's details, or raises them when already open.
    SiteDetailView* showDetails(Id siteId);

Q_SIGNALS:
    void notice(const QString& text, chom::Page::Notice kind);
    void operationRequested(chom::Id operationId);
    void metricsRequested(const QString& domain, chom::Id vpsId);

private:
    void probeServed(SiteDetailView* view);

    AppContext& m_ctx;
    QWidget* m_parent;
    QHash<Id, QPointer<SiteDetailView>> m_details;
    TlsProbe m_probe;
};

} // namespace chom
