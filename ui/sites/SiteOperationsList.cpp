#include "ui/sites/SiteOperationsList.h"

#include "RowTableModel.h"
#include "base/ChangeFeed.h"
#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "ui/shell/AppContext.h"
#include "ui/widgets/PlainLabel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

namespace chom {

SiteOperationsList::SiteOperationsList(AppContext& ctx, Id siteId, QWidget* parent)
    : QGroupBox(tr("Recent operations"), parent), m_ctx(ctx), m_siteId(siteId),
      m_table(new QTableWidget(0, 4)), m_empty(plainLabel(tr("Loading…")))
{
    setObjectName(QStringLiteral("siteOperations"));
    m_table->setObjectName(QStringLiteral("siteOperationsTable"));
    m_table->setHorizontalHeaderLabels({tr("Started"), tr("Operation"), tr("Status"), tr("Error")});
    m_table->setToolTip(tr("Double-click or Enter: open the operation on the Operations page"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int widths[] = {135, 125, 80};
    for (int c = 0; c < 3; ++c)
        m_table->setColumnWidth(c, widths[c]);
    m_empty->setObjectName(QStringLiteral("operationsEmpty"));
    m_empty->setProperty("role", QStringLiteral("fieldHint"));
    auto* col = new QVBoxLayout(this);
    col->addWidget(m_table, 1);
    col->addWidget(m_empty);

    m_coalesce.setInterval(150);
    m_coalesce.setSingleShot(true);
    connect(&m_coalesce, &QTimer::timeout, this, &SiteOperationsList::reload);
    auto later = [this] {
        if (!m_coalesce.isActive())
            m_coalesce.start();
    };
    connect(m_table, &QTableWidget::activated, this, [this](const QModelIndex& idx) {
        if (const Id id = operationAt(idx.row()))
            Q_EMIT operationRequested(id);
    });
    connect(&ctx.changes(), &ChangeFeed::changed, this, [later](ChangeNotifier::Entity what) {
        if (what == ChangeNotifier::Entity::Operations || what == ChangeNotifier::Entity::All)
            later();
    });
    if (OperationRunner* r = ctx.runner()) {
        connect(r, &OperationRunner::operationStarted, this, later);
        connect(r, &OperationRunner::operationFinished, this, later);
    }
    reload();
}

Id SiteOperationsList::operationAt(int row) const
{
    const QTableWidgetItem* item = m_table->item(row, 0);
    return item ? item->data(Qt::UserRole).value<Id>() : 0;
}

void SiteOperationsList::reload()
{
    if (!m_loading.begin())
        return;
    m_ctx.run<Result<QVector<Operation>>>(
        this,
        [id = m_siteId](Core& c) {
            return c.operations().forTarget(QStringLiteral("site"), id, kLimit);
        },
        [this](Result<QVector<Operation>> r) {
            const bool again = m_loading.end();
            if (r)
                present(r.value());
            else
                m_empty->setText(tr("Could not read the operations: %1").arg(r.errorMessage()));
            m_empty->setVisible(!r || r->isEmpty());
            Q_EMIT loaded();
            if (again)
                reload();
        });
}

void SiteOperationsList::present(const QVector<Operation>& ops)
{
    const Id selected = operationAt(m_table->currentRow());
    m_table->setRowCount(int(ops.size()));
    for (int r = 0; r < ops.size(); ++r) {
        const Operation& op = ops[r];
        const QString cells[] = {formatTime(op.createdAt), op.type, toString(op.status), op.error};
        for (int c = 0; c < 4; ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            item->setToolTip(cells[c]);
            m_table->setItem(r, c, item);
        }
        m_table->item(r, 0)->setData(Qt::UserRole, QVariant::fromValue(op.id));
        if (op.id == selected)
            m_table->selectRow(r);
    }
    m_empty->setText(tr("No operations on this site yet."));
}

} // namespace chom
