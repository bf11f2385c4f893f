#pragma once

#include "Domain.h"
#include "sites/SiteBulk.h"
#include "ui/widgets/Page.h"

#include <QObject>
#include <QVector>

class QMenu;
class QTableView;
class QWidget;

namespace chom {

class AppContext;
class SiteFilterProxy;
class SiteTableModel;

// The Sites page's actions on a selection: enable, disable, renew SSL,
// clear the cache, change PHP, each one journaled operation with a result
// row per site (8 at a time), shown on the Operations page. Disabling and
// the PHP change ask first; nothing waits on the GUI thread.
class SiteBulkActions : public QObject
{
    Q_OBJECT
public:
    SiteBulkActions(AppContext& ctx, QWidget* parent);

    // The selection's menu when `pos` (in the view's viewport) lies inside
    // a selection of two or more rows; false (nothing shown) otherwise.
    bool popupForSelection(const QTableView* view, const SiteFilterProxy& proxy,
                           const SiteTableModel& model, const QPoint& pos);
    // The selection's menu (two or more sites) at `globalPos`.
    void popup(const QPoint& globalPos, const QVector<Site>& sites);
    void addTo(QMenu* menu, const QVector<Site>& sites);
    void run(SiteBulk::Action action, const QVector<Site>& sites, const QString& php = {});

Q_SIGNALS:
    void notice(const QString& text, chom::Page::Notice kind);
    void operationRequested(chom::Id operationId);

private:
    void confirmDisable(const QVector<Site>& sites);
    void askPhp(const QVector<Site>& sites);
    void start(const SiteBulk::Request& request, const QString& what);

    AppContext& m_ctx;
    QWidget* m_parent;
};

} // namespace chom
