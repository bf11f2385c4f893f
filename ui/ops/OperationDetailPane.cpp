#include "ui/ops/OperationDetailPane.h"
#include "ui/widgets/PlainLabel.h"

#include "fleet/FleetService.h"
#include "ops/OperationKind.h"

#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "store/OperationJournal.h"
#include "ui/shell/AppContext.h"
#include "ui/widgets/StateDelegate.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QVBoxLayout>

namespace chom {

OperationDetailPane::OperationDetailPane(AppContext& ctx, QWidget* parent)
    : QWidget(parent), m_ctx(ctx), m_title(plainLabel()), m_steps(new QTableWidget(0, 4)),
      m_output(new QPlainTextEdit)
{
    setObjectName(QStringLiteral("operationDetail"));
    m_title->setObjectName(QStringLiteral("operationTitle"));
    m_steps->setObjectName(QStringLiteral("stepsView"));
    m_output->setObjectName(QStringLiteral("operationOutput"));
    m_steps->setHorizontalHeaderLabels({tr("Step"), tr("Status"), tr("Error"), tr("Duration")});
    m_steps->horizontalHeader()->setStretchLastSection(false);
    m_steps->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_steps->verticalHeader()->hide();
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_steps->setItemDelegateForColumn(1, new StateDelegate(m_steps));
    m_output->setReadOnly(true);
    m_output->setMaximumBlockCount(kMaxLines);
    m_output->setPlaceholderText(tr("Live output of the selected operation"));
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->addWidget(m_title);
    col->addWidget(m_steps, 1);
    col->addWidget(m_output, 1);

    m_flush.setInterval(50);
    m_flush.setSingleShot(true);
    connect(&m_flush, &QTimer::timeout, this, &OperationDetailPane::flush);
    m_stepsTimer.setInterval(100);
    m_stepsTimer.setSingleShot(true);
    connect(&m_stepsTimer, &QTimer::timeout, this, &OperationDetailPane::reloadSteps);
    if (OperationRunner* r = ctx.runner()) {
        connect(r, &OperationRunner::logLine, this, &OperationDetailPane::onLogLine);
        auto stepsChanged = [this](Id opId) {
            if (opId == m_opId)
                m_stepsTimer.start();
        };
        connect(r, &OperationRunner::stepStarted, this, stepsChanged);
        connect(r, &OperationRunner::stepFinished, this, stepsChanged);
        connect(r, &OperationRunner::operationFinished, this, stepsChanged);
    }
    showOperation(std::nullopt);
}

void OperationDetailPane::showOperation(const std::optional<Operation>& op)
{
    const Id id = op ? op->id : 0;
    if (op)
        m_title->setText(tr("%1 — %2").arg(op->type, toString(op->status)));
    else
        m_title->setText(tr("Select an operation to see its steps and output."));
    if (id == m_opId)
        return;
    m_opId = id;
    m_pending.clear();
    m_output->clear();
    m_steps->setRowCount(0);
    m_stepRows.clear();
    if (!id)
        return;
    m_output->appendPlainText(m_logs.value(id).join(QLatin1Char('\n')));
    reloadSteps();
}

void OperationDetailPane::reloadSteps()
{
    if (!m_opId)
        return;
    if (std::exchange(m_stepsBusy, true)) {
        m_stepsTimer.start();
        return;
    }
    const Id id = m_opId;
    m_ctx.run<Result<QVector<Operation>>>(
        this, [id](Core& c) { return c.operations().steps(id); },
        [this, id](Result<QVector<Operation>> r) {
            m_stepsBusy = false;
            if (!r || id != m_opId)
                return;
            m_stepRows = r.value();
            m_steps->setRowCount(int(m_stepRows.size()));
            // The operation's kind names its step rows; unknown kinds show
            // the part after "type/".
            const QString opType = m_stepRows.isEmpty()
                                       ? QString()
                                       : m_stepRows.first().type.section(QLatin1Char('/'), 0, 0);
            const OperationKind* kind =
                m_ctx.fleet() ? m_ctx.fleet()->kinds().find(opType) : nullptr;
            for (int i = 0; i < m_stepRows.size(); ++i) {
                const Operation& s = m_stepRows.at(i);
                const QString name =
                    kind ? kind->stepLabel(s) : s.type.section(QLatin1Char('/'), 1);
                const QString dur = s.startedAt && s.completedAt
                                        ? tr("%1 s").arg(s.completedAt - s.startedAt)
                                        : QStringLiteral("—");
                const QString cells[] = {name.isEmpty() ? s.type : name, toString(s.status),
                                         s.error, dur};
                for (int c = 0; c < 4; ++c)
                    m_steps->setItem(i, c, new QTableWidgetItem(cells[c]));
            }
        });
}

void OperationDetailPane::onLogLine(Id opId, const QString& line)
{
    QStringList& log = m_logs[opId];
    log << line;
    if (log.size() > kMaxLines)
        log.removeFirst();
    if (opId != m_opId)
        return;
    m_pending << line;
    if (!m_flush.isActive())
        m_flush.start();
}

void OperationDetailPane::flush()
{
    if (m_pending.isEmpty())
        return;
    m_output->appendPlainText(m_pending.join(QLatin1Char('\n')));
    m_pending.clear();
}

} // namespace chom
