#include "runtime/SiteScheduler.h"

#include "inventory/Core.h"
#include "inventory/StoreExecutor.h"
#include "ops/OperationKind.h"
#include "runtime/Runtime.h"
#include "sites/SiteCoherency.h"
#include "store/OperationJournal.h"

#include <QCoreApplication>
#include <QDateTime>

namespace chom {

SiteScheduler::SiteScheduler(Runtime& runtime, Intervals intervals, QObject* parent)
    : QObject(parent), m_runtime(runtime), m_intervals(intervals)
{
    m_renewals.setSingleShot(true);
    m_coherency.setSingleShot(true);
    connect(&m_renewals, &QTimer::timeout, this, &SiteScheduler::runRenewalsNow);
    connect(&m_coherency, &QTimer::timeout, this, &SiteScheduler::runCoherencyNow);
}

void SiteScheduler::start()
{
    if (m_intervals.renewalMinutes > 0)
        m_renewals.start(m_intervals.firstRenewalSeconds * 1000);
    if (m_intervals.coherencyMinutes > 0)
        m_coherency.start(m_intervals.firstCoherencySeconds * 1000);
}

void SiteScheduler::stop()
{
    m_renewals.stop();
    m_coherency.stop();
}

void SiteScheduler::runRenewalsNow()
{
    if (m_intervals.renewalMinutes > 0)
        m_renewals.start(m_intervals.renewalMinutes * 60 * 1000); // the next pass
    if (m_renewalRunning)
        return;
    m_renewalRunning = true;
    const int limit = m_intervals.renewalsPerPass;
    m_runtime.executor().run<Result<RenewalPassResult>>(
        this,
        [rt = &m_runtime, limit](Core& core) -> Result<RenewalPassResult> {
            SiteTools* tools = rt->siteTools();
            if (!tools)
                return Runtime::noFleet();
            return RenewalPass::run(core.store(), *tools, QDateTime::currentSecsSinceEpoch(),
                                    limit);
        },
        [this](Result<RenewalPassResult> r) {
            m_renewalRunning = false;
            if (!r) {
                Q_EMIT renewalPassDone(0, 0, {}, r.errorMessage());
                return;
            }
            Q_EMIT renewalPassDone(int(r.value().operations.size()),
                                   r.value().count(RenewalDecision::Verdict::Due),
                                   r.value().notStarted, QString());
        });
}

void SiteScheduler::runCoherencyNow()
{
    if (m_intervals.coherencyMinutes > 0)
        m_coherency.start(m_intervals.coherencyMinutes * 60 * 1000);
    m_runtime.executor().run<Result<Id>>(
        this,
        [rt = &m_runtime](Core& core) -> Result<Id> {
            SiteCoherency* check = rt->coherency();
            if (!check)
                return Runtime::noFleet();
            auto last = OperationJournal(core.store()).ofType(optype::kSitesCoherency, 1);
            if (!last)
                return last.error();
            if (!last.value().isEmpty() &&
                (last.value().first().status == OperationStatus::Running ||
                 last.value().first().status == OperationStatus::Pending))
                return makeError(QStringLiteral("busy"),
                                 QCoreApplication::translate("chom::SiteScheduler",
                                                             "Check #%1 is still running.")
                                     .arg(last.value().first().id));
            return check->startCheck();
        },
        [this](Result<Id> r) {
            if (r)
                Q_EMIT coherencyStarted(r.value());
            else
                Q_EMIT coherencySkipped(r.errorMessage());
        });
}

} // namespace chom
