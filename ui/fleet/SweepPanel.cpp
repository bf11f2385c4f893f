#include "ui/fleet/SweepPanel.h"
#include "ui/widgets/PlainLabel.h"

#include "ops/OperationRunner.h"
#include "ui/shell/AppContext.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace chom {

SweepPanel::SweepPanel(AppContext& ctx, QWidget* parent)
    : QFrame(parent), m_ctx(ctx), m_title(plainLabel()), m_progress(new QProgressBar),
      m_cancel(new QPushButton(tr("Cancel"))), m_table(new QTableWidget(0, 6))
{
    setObjectName(QStringLiteral("sweepPanel"));
    m_title->setObjectName(QStringLiteral("sweepTitle"));
    m_progress->setObjectName(QStringLiteral("sweepProgress"));
    m_cancel->setObjectName(QStringLiteral("cancelSweepButton"));
    m_table->setObjectName(QStringLiteral("sweepResults"));
    m_table->setHorizontalHeaderLabels(
        {tr("Host"), tr("Health"), tr("Load"), tr("Mem %"), tr("Disk %"), tr("Error")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setMaximumHeight(180);
    m_progress->setFormat(tr("%v / %m hosts"));
    m_cancel->setEnabled(false);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    auto* row = new QHBoxLayout;
    row->addWidget(m_title);
    row->addWidget(m_progress, 1);
    row->addWidget(m_cancel);
    col->addLayout(row);
    col->addWidget(m_table);
    hide();
    if (FleetService* f = ctx.fleet())
        connect(f, &FleetService::healthReported, this, &SweepPanel::onReport);
    if (OperationRunner* r = ctx.runner())
        connect(r, &OperationRunner::operationFinished, this, &SweepPanel::onFinished);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_opId && m_ctx.runner())
            m_ctx.runner()->cancel(m_opId);
    });
}

bool SweepPanel::start(const QVector<Id>& ids, int expectedHosts)
{
    if (!m_ctx.fleet() || isRunning())
        return false;
    m_starting = true;
    m_finishedEarly.clear();
    m_expected = QSet<Id>(ids.begin(), ids.end());
    m_done.clear();
    m_failed.clear();
    m_total = ids.isEmpty() ? expectedHosts : int(ids.size());
    m_table->setRowCount(0);
    m_title->setText(tr("Health sweep: starting…"));
    m_progress->setRange(0, qMax(1, m_total));
    m_progress->setValue(0);
    m_cancel->setEnabled(false);
    show();
    m_ctx.startOperation(
        this, [ids](FleetService& f) { return f.startSweep(ids); },
        [this](Result<Id> r) { onStarted(r); });
    return true;
}

void SweepPanel::onStarted(const Result<Id>& r)
{
    m_starting = false;
    if (!r) {
        m_title->setText(tr("Health sweep not started"));
        Q_EMIT message(tr("Could not start the sweep: %1").arg(r.errorMessage()), true);
        Q_EMIT finished(true);
        return;
    }
    m_opId = r.value();
    m_title->setText(tr("Health sweep"));
    m_cancel->setEnabled(true);
    const auto early = m_finishedEarly.take(m_opId);
    m_finishedEarly.clear();
    if (!early.first.isEmpty())
        onFinished(m_opId, early.first, early.second);
}

int SweepPanel::rowFor(Id vpsId, const QString& hostname)
{
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (m_table->item(r, 0)->data(Qt::UserRole).toLongLong() == vpsId)
            return r;
    }
    const int r = m_table->rowCount();
    m_table->insertRow(r);
    auto* item = new QTableWidgetItem(hostname);
    item->setData(Qt::UserRole, vpsId);
    m_table->setItem(r, 0, item);
    return r;
}

void SweepPanel::onReport(const HealthReport& rep)
{
    if (!isRunning() || (!m_expected.isEmpty() && !m_expected.contains(rep.vpsId)))
        return;
    const int r = rowFor(rep.vpsId, rep.hostname);
    const bool ok = rep.reachable && rep.error.isEmpty();
    auto set = [this, r](int c, const QString& t) {
        m_table->setItem(r, c, new QTableWidgetItem(t));
    };
    set(1, toString(rep.health));
    set(2, rep.reachable ? QString::number(rep.load1, 'f', 2) : QString());
    set(3, rep.reachable ? QString::number(qRound(rep.memoryPercent)) : QString());
    set(4, rep.reachable ? QString::number(qRound(rep.diskPercent)) : QString());
    set(5, rep.error.isEmpty() ? rep.issues.join(QStringLiteral("; ")) : rep.error);
    if (ok)
        m_failed.remove(rep.vpsId);
    else
        m_failed.insert(rep.vpsId);
    m_done.insert(rep.vpsId);
    if (int(m_done.size()) > m_total) {
        m_total = int(m_done.size());
        m_progress->setMaximum(m_total);
    }
    m_progress->setValue(int(m_done.size()));
}

void SweepPanel::onFinished(Id opId, const QString& status, const QString& error)
{
    if (m_starting) {
        m_finishedEarly.insert(opId, {status, error});
        return;
    }
    if (opId != m_opId)
        return;
    m_opId = 0;
    m_cancel->setEnabled(false);
    m_title->setText(tr("Sweep %1").arg(status));
    Q_EMIT message(
        m_failed.isEmpty()
            ? tr("Health sweep %1: %n host(s) checked.", nullptr, int(m_done.size())).arg(status)
            : tr("Health sweep %1: %2 of %3 hosts failed. %4")
                  .arg(status)
                  .arg(m_failed.size())
                  .arg(m_done.size())
                  .arg(error),
        !m_failed.isEmpty());
    Q_EMIT finished(!m_failed.isEmpty());
}

} // namespace chom
