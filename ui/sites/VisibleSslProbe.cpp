#include "ui/sites/VisibleSslProbe.h"

#include "SiteFilterProxy.h"
#include "SiteTableModel.h"
#include "fleet/FleetService.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

#include <QScrollBar>
#include <QTableView>

namespace chom {

VisibleSslProbe::VisibleSslProbe(AppContext& ctx, QTableView* view, SiteFilterProxy* proxy,
                                 SiteTableModel* model)
    : QObject(view), m_ctx(ctx), m_view(view), m_proxy(proxy), m_model(model)
{
    m_settle.setSingleShot(true);
    m_settle.setInterval(400);
    connect(&m_settle, &QTimer::timeout, this, &VisibleSslProbe::probeVisible);
    connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this, &VisibleSslProbe::schedule);
    connect(proxy, &QAbstractItemModel::layoutChanged, this, &VisibleSslProbe::schedule);
    connect(proxy, &QAbstractItemModel::modelReset, this, &VisibleSslProbe::schedule);
    connect(proxy, &QAbstractItemModel::rowsInserted, this, &VisibleSslProbe::schedule);
    connect(&m_check, &ServedSslCheck::served, this,
            [this](Id site, const ServedSsl& result) { m_model->setServed(site, result); });
}

void VisibleSslProbe::schedule()
{
    m_settle.start();
}

void VisibleSslProbe::probeVisible()
{
    // Only a console that runs its fleet reaches its servers.
    if (!m_ctx.fleet() || !m_view->isVisible() || m_proxy->rowCount() == 0)
        return;
    const int first = qMax(0, m_view->rowAt(0));
    int last = m_view->rowAt(m_view->viewport()->height() - 1);
    if (last < 0)
        last = m_proxy->rowCount() - 1;
    QVector<ServedSslCheck::Target> targets;
    for (int row = first; row <= last && row < m_proxy->rowCount(); ++row) {
        const Site& s = m_model->rowAt(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
        if (!s.sslEnabled || !s.vpsId)
            continue;
        if (const std::optional<Vps> host = m_ctx.inventory().vps(s.vpsId))
            targets.push_back({s, host->ipAddress});
    }
    m_check.check(targets);
}

} // namespace chom
