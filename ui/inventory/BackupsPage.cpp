#include "ui/inventory/BackupsPage.h"

#include "base/ChangeFeed.h"
#include "inventory/Core.h"
#include "ui/shell/AppContext.h"

#include <QPushButton>
#include <QTableView>

namespace chom {

BackupsPage::BackupsPage(AppContext& ctx, QWidget* parent)
    : TablePage(ctx, tr("Backups"),
                tr("Backups recorded in the store, newest first (read-only here: backups "
                   "are taken and restored on the VPS servers)"),
                tr("backups"), parent)
{
    setObjectName(QStringLiteral("backupsPage"));
    view()->setObjectName(QStringLiteral("backupsView"));
    QPushButton* reload = addButton(tr("Refresh"), QStringLiteral("refreshButton"));
    setSourceModel(&m_model, {BackupTableModel::Status});
    const int widths[] = {260, 100, 110, 110, 150, 120};
    for (int c = 0; c < BackupTableModel::ColumnCount; ++c)
        view()->setColumnWidth(c, widths[c]);
    setStretchColumn(BackupTableModel::Site);
    view()->sortByColumn(BackupTableModel::Created, Qt::DescendingOrder);
    connect(reload, &QPushButton::clicked, this, &BackupsPage::refresh);
    connect(&ctx.changes(), &ChangeFeed::changed, this, [this](ChangeNotifier::Entity what) {
        if (loadStarted() &&
            (what == ChangeNotifier::Entity::Backups || what == ChangeNotifier::Entity::Sites))
            refresh();
    });
}

void BackupsPage::refresh()
{
    if (!m_refresh.begin())
        return; // runs once more when the current one lands
    ctx().run<Result<QVector<SiteBackup>>>(
        this, [](Core& c) { return c.sites().backups(0, 10000); },
        [this](Result<QVector<SiteBackup>> r) {
            const bool again = m_refresh.end();
            if (r)
                m_model.setRows(std::move(r).value());
            else
                error(tr("Could not load backups: %1").arg(r.errorMessage()));
            if (again)
                refresh();
        });
}

} // namespace chom
