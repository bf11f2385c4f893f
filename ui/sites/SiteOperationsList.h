#pragma once

#include "Domain.h"
#include "base/Async.h"

#include <QGroupBox>
#include <QTimer>

class QLabel;
class QTableWidget;

namespace chom {

class AppContext;

// The site details' "Recent operations": the journal's operations on one
// site, newest first, read on the store thread and read again as the
// journal changes. Activating a row asks for that operation on the
// Operations page.
class SiteOperationsList : public QGroupBox
{
    Q_OBJECT
public:
    static constexpr int kLimit = 20;

    SiteOperationsList(AppContext& ctx, Id siteId, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    Id operationAt(int row) const;
    void reload();

Q_SIGNALS:
    void operationRequested(chom::Id operationId);
    void loaded();

private:
    void present(const QVector<Operation>& ops);

    AppContext& m_ctx;
    Id m_siteId;
    QTableWidget* m_table;
    QLabel* m_empty;
    QTimer m_coalesce;
    async::SingleFlight m_loading;
};

} // namespace chom
