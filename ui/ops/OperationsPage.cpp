#include "ui/ops/OperationsPage.h"

#include "base/ChangeFeed.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "store/OperationJournal.h"
#include "ui/ops/OperationDetailPane.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/widgets/ProgressDelegate.h"

#include <QComboBox>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTableView>

namespace chom {

OperationsPage::OperationsPage(AppContext& ctx, QWidget* parent)
    : TablePage(ctx, tr("Operations"),
                tr("Running, queued, finished and failed operations; select one for its steps "
                   "and live output"),
                tr("operations"), parent),
      m_filterBox(new QComboBox), m_detail(new OperationDetailPane(ctx))
{
    setObjectName(QStringLiteral("operationsPage"));
    view()->setObjectName(QStringLiteral("operationsView"));
    m_filterBox->setObjectName(QStringLiteral("statusFilter"));
    m_filterBox->addItem(tr("All statuses"), QString());
    for (const char* s : {"running", "pending", "completed", "failed", "cancelled", "interrupted"})
        m_filterBox->addItem(QString::fromLatin1(s), QString::fromLatin1(s));
    addActionWidget(m_filterBox);
    m_cancel = addButton(tr("Cancel"), QStringLiteral("cancelOperationButton"));
    m_retry = addButton(tr("Retry"), QStringLiteral("retryOperationButton"));
    QPushButton* reload = addButton(tr("Refresh"), QStringLiteral("refreshButton"));
    setSourceModel(&m_model, {OperationTableModel::Status});
    view()->setItemDelegateForColumn(OperationTableModel::Progress, new ProgressDelegate(view()));
    const int widths[] = {170, 130, 110, 110, 150, 90, 300};
    for (int c = 0; c < OperationTableModel::ColumnCount; ++c)
        view()->setColumnWidth(c, widths[c]);
    setStretchColumn(OperationTableModel::Error);
    view()->sortByColumn(OperationTableModel::Created, Qt::DescendingOrder);
    addBelow(m_detail, 1);

    m_coalesce.setInterval(100);
    m_coalesce.setSingleShot(true);
    connect(&m_coalesce, &QTimer::timeout, this, &OperationsPage::refresh);
    auto later = [this] {
        if (loadStarted() && !m_coalesce.isActive())
            m_coalesce.start();
    };
    connect(reload, &QPushButton::clicked, this, &OperationsPage::refresh);
    connect(m_cancel, &QPushButton::clicked, this, &OperationsPage::cancelSelected);
    connect(m_retry, &QPushButton::clicked, this, &OperationsPage::retrySelected);
    connect(m_filterBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { setStatusFilter(m_filterBox->itemData(i).toString()); });
    connect(&ctx.changes(), &ChangeFeed::changed, this, [later](ChangeNotifier::Entity what) {
        if (what == ChangeNotifier::Entity::Operations)
            later();
    });
    if (OperationRunner* r = ctx.runner()) {
        connect(r, &OperationRunner::progressChanged, this, later);
        connect(r, &OperationRunner::operationStarted, this, later);
        connect(r, &OperationRunner::operationFinished, this, later);
    }
    onSelectionChanged();
}

void OperationsPage::refresh()
{
    if (!m_refresh.begin())
        return;
    ctx().run<Result<QVector<Operation>>>(
        this, [](Core& c) { return c.operations().recent(kLimit); },
        [this](Result<QVector<Operation>> r) {
            const bool again = m_refresh.end();
            if (r) {
                m_all = std::move(r).value();
                applyFilter();
            } else {
                error(tr("Could not load the operations journal: %1").arg(r.errorMessage()));
            }
            if (again)
                refresh();
        });
}

void OperationsPage::revealOperation(Id id)
{
    m_reveal = id;
    setStatusFilter(QString());
    refresh();
}

void OperationsPage::setStatusFilter(const QString& status)
{
    m_status = status;
    const int i = m_filterBox->findData(status);
    if (i >= 0 && i != m_filterBox->currentIndex())
        m_filterBox->setCurrentIndex(i);
    applyFilter();
}

void OperationsPage::applyFilter()
{
    QVector<Operation> rows;
    rows.reserve(m_all.size());
    for (const Operation& op : std::as_const(m_all)) {
        if (m_status.isEmpty() || toString(op.status) == m_status)
            rows << op;
    }
    const Id before = selectedId();
    m_model.setRows(std::move(rows));
    // A reset drops the selection: put it back on the same operation, or on
    // the one asked for once it is listed.
    const Id selected = m_reveal && m_model.rowOf(m_reveal) >= 0 ? m_reveal : before;
    const int row = selected ? m_model.rowOf(selected) : -1;
    if (row >= 0) {
        const QModelIndex idx = proxy()->mapFromSource(m_model.index(row, 0));
        QSignalBlocker block(view()->selectionModel());
        view()->selectionModel()->setCurrentIndex(idx, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
        view()->scrollTo(idx);
        if (selected == m_reveal)
            m_reveal = 0;
    }
    view()->viewport()->update();
    updateCount();
    onSelectionChanged();
}

std::optional<Operation> OperationsPage::selectedOperation() const
{
    const Id id = selectedId();
    for (int r = 0; id && r < m_model.rowCount(); ++r) {
        if (m_model.rowAt(r).id == id)
            return m_model.rowAt(r);
    }
    return std::nullopt;
}

// The core's kinds decide (the same rules as `chomctl ops retry`).
bool OperationsPage::retryable(const Operation& op)
{
    return ctx().fleet() && ctx().fleet()->kinds().canRetry(op).ok();
}

void OperationsPage::onSelectionChanged()
{
    const auto op = selectedOperation();
    const bool live =
        op && (op->status == OperationStatus::Running || op->status == OperationStatus::Pending);
    m_cancel->setEnabled(live && ctx().runner());
    m_retry->setEnabled(op && retryable(*op));
    m_detail->showOperation(op);
}

void OperationsPage::cancelSelected()
{
    const auto op = selectedOperation();
    if (!op || !ctx().runner())
        return;
    ctx().runner()->cancel(op->id);
    info(tr("Cancelling %1…").arg(op->type));
}

// The retry reads the operation and its steps from the journal on the store
// thread: what the detail pane has loaded so far plays no part.
void OperationsPage::retrySelected()
{
    const auto op = selectedOperation();
    if (!op || !retryable(*op))
        return;
    ctx().startOperation(
        this, [id = op->id](FleetService& f) { return f.retryOperation(id); },
        [this, type = op->type](Result<Id> r) {
            if (r)
                info(tr("Retrying %1 as operation #%2.").arg(type).arg(r.value()));
            else
                error(tr("Could not retry %1: %2").arg(type, r.errorMessage()));
        });
}

} // namespace chom
