#pragma once

#include "InventoryModels.h"
#include "TablePage.h"

namespace chom {

// The operations journal, newest first, read-only. Running, cancelling and
// retrying operations arrives with the operations runner.
class OperationsPage : public TablePage
{
    Q_OBJECT
public:
    static constexpr int kLimit = 2000;

    explicit OperationsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Operations"); }
    void refresh() override;

protected:
    void load() override { refresh(); }

private:
    OperationTableModel m_model;
    bool m_busy = false;
};

} // namespace chom
