#pragma once

#include "InventoryModels.h"
#include "base/Async.h"
#include "ui/widgets/TablePage.h"

namespace chom {

// Backups recorded in the store, newest first, read-only. Creating and
// restoring backups happens on the VPS servers, not on this page.
class BackupsPage : public TablePage
{
    Q_OBJECT
public:
    explicit BackupsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Backups"); }
    void refresh() override;

protected:
    void load() override { refresh(); }

private:
    BackupTableModel m_model;
    async::SingleFlight m_refresh;
};

} // namespace chom
