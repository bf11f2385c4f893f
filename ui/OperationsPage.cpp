#include "OperationsPage.h"

#include "AppContext.h"
#include "ChangeFeed.h"
#include "Core.h"
#include "store/BackupRepository.h"

#include <QPushButton>
#include <QTableView>

namespace chom {

OperationsPage::OperationsPage(AppContext& ctx, QWidget* parent)
    : TablePage(ctx, tr("Operations"),
                tr("The operations journal (read-only; running and retrying operations arrives "
                   "with the operations runner)"),
                tr("operations"), parent)
{
    setObjectName(QStringLiteral("operationsPage"));
    view()->setObjectName(QStringLiteral("operationsView"));
    QPushButton* reload = addButton(tr("Refresh"), QStringLiteral("refreshButton"));
    setSourceModel(&m_model, {OperationTableModel::Status});
    const int widths[] = {170, 130, 110, 80, 150, 90, 300};
    for (int c = 0; c < OperationTableModel::ColumnCount; ++c)
        view()->setColumnWidth(c, widths[c]);
    setStretchColumn(OperationTableModel::Error);
    view()->sortByColumn(OperationTableModel::Created, Qt::DescendingOrder);
    connect(reload, &QPushButton::clicked, this, &OperationsPage::refresh);
    connect(&ctx.changes(), &ChangeFeed::changed, this, [this](ChangeNotifier::Entity what) {
        if (loadStarted() && what == ChangeNotifier::Entity::Operations)
            refresh();
    });
}

void OperationsPage::refresh()
{
    if (std::exchange(m_busy, true))
        return;
    ctx().run<Result<QVector<Operation>>>(
        this, [](Core& c) { return OperationJournal(c.store()).recent(kLimit); },
        [this](Result<QVector<Operation>> r) {
            m_busy = false;
            if (r)
                m_model.setRows(std::move(r).value());
            else
                error(tr("Could not load the operations journal: %1").arg(r.errorMessage()));
        });
}

} // namespace chom
