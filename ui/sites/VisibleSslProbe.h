#pragma once

#include "sites/ServedSslCheck.h"

#include <QObject>
#include <QTimer>

class QTableView;

namespace chom {

class AppContext;
class SiteFilterProxy;
class SiteTableModel;

// Feeds the Sites table's SSL column from the certificates the servers
// really serve: the visible SSL rows of placed sites are probed (TLS with
// the site's name against its VPS) a moment after the view settles, each at
// most every ten minutes, while the fleet runs; 100k rows cost only what is
// on screen.
class VisibleSslProbe : public QObject
{
    Q_OBJECT
public:
    VisibleSslProbe(AppContext& ctx, QTableView* view, SiteFilterProxy* proxy,
                    SiteTableModel* model);

    ServedSslCheck& check() { return m_check; }
    void schedule(); // after a scroll, a resize, a reload

private:
    void probeVisible();

    AppContext& m_ctx;
    QTableView* m_view;
    SiteFilterProxy* m_proxy;
    SiteTableModel* m_model;
    ServedSslCheck m_check;
    QTimer m_settle;
};

} // namespace chom
