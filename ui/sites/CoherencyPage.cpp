#include "ui/sites/CoherencyPage.h"

#include "base/ChangeFeed.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "runtime/Runtime.h"
#include "ui/shell/AppContext.h"
#include "ui/widgets/PlainLabel.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

namespace chom {

CoherencyPage::CoherencyPage(AppContext& ctx, QWidget* parent)
    : TablePage(ctx, tr("Coherency"),
                tr("Sites compared with their VPS: what drifted, what is missing, what no site "
                   "owns. Only configs are repaired; nothing is ever deleted."),
                tr("findings"), parent)
{
    setObjectName(QStringLiteral("coherencyPage"));
    view()->setObjectName(QStringLiteral("findingsView"));
    view()->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_heal = addButton(tr("Re-render drifted…"), QStringLiteral("healButton"));
    m_check = addButton(tr("Check now"), QStringLiteral("checkButton"), true);
    m_check->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    m_check->setToolTip(tr("Ask every active VPS for its sites and compare (Ctrl+Shift+K)"));
    proxy()->setSortRole(CoherencyFindingModel::SeverityRole);
    setSourceModel(&m_model, {});
    const int widths[] = {90, 150, 200, 160, 420, 90};
    for (int c = 0; c < CoherencyFindingModel::ColumnCount; ++c)
        view()->setColumnWidth(c, widths[c]);
    setStretchColumn(CoherencyFindingModel::DetailColumn);
    m_summary = plainLabel(tr("No coherency check has run yet."), this);
    m_summary->setObjectName(QStringLiteral("coherencySummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    addBelow(m_summary);
    connect(m_check, &QPushButton::clicked, this, &CoherencyPage::checkNow);
    connect(m_heal, &QPushButton::clicked, this, &CoherencyPage::healDrifted);
    connect(view(), &QTableView::doubleClicked, this, [this] {
        if (m_report.operationId)
            Q_EMIT operationRequested(m_report.operationId);
    });
    connect(&ctx.changes(), &ChangeFeed::changed, this, [this](ChangeNotifier::Entity what) {
        if (loadStarted() &&
            (what == ChangeNotifier::Entity::Operations || what == ChangeNotifier::Entity::All))
            refresh();
    });
    onSelectionChanged();
}

void CoherencyPage::refresh()
{
    if (!m_refresh.begin())
        return; // runs once more when the current one lands
    ctx().run<Result<CoherencyReport>>(
        this, [](Core& c) { return SiteCoherency::latest(c.store()); },
        [this](Result<CoherencyReport> r) {
            const bool again = m_refresh.end();
            if (r)
                showReport(std::move(r).value());
            else
                error(tr("Could not read the coherency report: %1").arg(r.errorMessage()));
            if (again)
                refresh();
        });
}

void CoherencyPage::showReport(CoherencyReport r)
{
    m_report = std::move(r);
    m_model.setFindings(m_report.findings);
    view()->sortByColumn(CoherencyFindingModel::SeverityColumn, Qt::AscendingOrder);
    if (!m_report.operationId) {
        m_summary->setText(tr("No coherency check has run yet: Check now compares every active "
                              "VPS with the store."));
    } else {
        const qint64 at = m_report.completedAt ? m_report.completedAt : m_report.startedAt;
        QString text = tr("Check #%1 (%2, %3): %4 host(s) checked, %5 finding(s).")
                           .arg(m_report.operationId)
                           .arg(toString(m_report.status),
                                at ? QLocale().toString(QDateTime::fromSecsSinceEpoch(at),
                                                        QLocale::ShortFormat)
                                   : tr("running"))
                           .arg(m_report.hostsChecked)
                           .arg(m_report.findings.size());
        if (!m_report.failures.isEmpty())
            text += QLatin1Char('\n') +
                    tr("Not checked: %1").arg(m_report.failures.join(QStringLiteral("; ")));
        m_summary->setText(text);
    }
    onSelectionChanged();
    Q_EMIT reportLoaded();
}

void CoherencyPage::checkNow()
{
    m_check->setEnabled(false);
    ctx().startOperation(
        this,
        [rt = &ctx().runtime()](FleetService&) -> Result<Id> {
            SiteCoherency* c = rt->coherency();
            return c ? c->startCheck() : Result<Id>(Runtime::noFleet());
        },
        [this](Result<Id> op) {
            m_check->setEnabled(true);
            if (op)
                info(tr("Coherency check started: operation #%1.").arg(op.value()));
            else
                error(tr("Could not start the coherency check: %1").arg(op.errorMessage()));
        });
}

QVector<Id> CoherencyPage::healTargets(QStringList* domains)
{
    QVector<int> rows;
    for (const QModelIndex& i : view()->selectionModel()->selectedRows())
        rows << proxy()->mapToSource(i).row();
    if (rows.isEmpty())
        for (int r = 0; r < m_model.rowCount(); ++r)
            rows << r;
    QVector<Id> sites;
    for (int r : rows) {
        const CoherencyFinding& f = m_model.at(r);
        if (f.heal == QLatin1String("render") && f.siteId && !sites.contains(f.siteId)) {
            sites << f.siteId;
            *domains << f.domain;
        }
    }
    return sites;
}

void CoherencyPage::onSelectionChanged()
{
    QStringList domains;
    m_heal->setEnabled(!healTargets(&domains).isEmpty());
}

void CoherencyPage::healDrifted()
{
    QStringList domains;
    const QVector<Id> sites = healTargets(&domains);
    if (sites.isEmpty())
        return;
    // open(), not exec(): no nested event loop.
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Re-render configs"),
        tr("Re-render the nginx vhost and PHP-FPM pool of %n site(s) from their templates? "
           "Each site's own drop-in include is kept; every file is checked before a reload "
           "and put back if the check fails.",
           nullptr, int(sites.size())),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("healConfirm"));
    box->setDetailedText(domains.join(QLatin1Char('\n')));
    box->addButton(tr("Re-render"), QMessageBox::AcceptRole)->setObjectName("healAccept");
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::accepted, this, [this, sites] { startHeal(sites); });
    box->open();
}

void CoherencyPage::startHeal(const QVector<Id>& sites)
{
    for (Id id : sites)
        ctx().startOperation(
            this,
            [rt = &ctx().runtime(), id](FleetService&) -> Result<Id> {
                SiteCoherency* c = rt->coherency();
                if (!c)
                    return Runtime::noFleet();
                auto ops = c->startHeal({id});
                if (!ops)
                    return ops.error();
                return ops.value().value(0);
            },
            [this](Result<Id> op) {
                if (op)
                    info(tr("Re-render started: operation #%1. Check again when it is done.")
                             .arg(op.value()));
                else
                    error(tr("Could not re-render: %1").arg(op.errorMessage()));
            });
}

} // namespace chom
