// VpsPage's fleet actions: test connection, bootstrap, sweeps, host keys.
#include "VpsPage.h"

#include "AppContext.h"
#include "ConnectionResultPanel.h"
#include "FleetHealthModel.h"
#include "Inventory.h"
#include "SshKeyButton.h"
#include "SweepPanel.h"
#include "metrics/MetricsService.h"
#include "metrics/PrometheusClient.h"
#include "ops/OperationRunner.h"

#include <QComboBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>

#include <iterator>

namespace chom {
namespace {
const QString kIntervalKey = QStringLiteral("fleet/sweepIntervalMinutes");
constexpr int kIntervals[] = {0, 1, 5, 15};
} // namespace

void VpsPage::buildFleetActions()
{
    m_test = addButton(tr("Test connection"), QStringLiteral("testConnectionButton"));
    m_test->setShortcut(QKeySequence(QStringLiteral("Ctrl+T")));
    m_test->setToolTip(tr("Test SSH and the agent on the selected server, or all (Ctrl+T)"));
    m_bootstrap = addButton(tr("Bootstrap"), QStringLiteral("bootstrapButton"));
    m_bootstrap->setShortcut(QKeySequence(QStringLiteral("Ctrl+B")));
    m_bootstrap->setToolTip(tr("Upload and install the agent on the selected server (Ctrl+B)"));
    m_sweepNow = addButton(tr("Sweep now"), QStringLiteral("sweepNowButton"));
    m_sweepNow->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    m_sweepNow->setToolTip(tr("Health check every active server (Ctrl+Shift+S)"));
    m_retryFailed = addButton(tr("Retry failed"), QStringLiteral("retryFailedButton"));
    m_trust = addButton(tr("Trust host key…"), QStringLiteral("trustHostKeyButton"));
    m_key = new SshKeyButton(ctx(), this);
    addActionWidget(m_key);
    m_interval = new QComboBox;
    m_interval->setObjectName(QStringLiteral("sweepIntervalCombo"));
    m_interval->setToolTip(tr("Sweep every"));
    m_interval->addItem(tr("Sweep every: off"), 0);
    m_interval->addItem(tr("Sweep every: 1 min"), 1);
    m_interval->addItem(tr("Sweep every: 5 min"), 5);
    m_interval->addItem(tr("Sweep every: 15 min"), 15);
    addActionWidget(m_interval);

    connect(m_test, &QPushButton::clicked, this, &VpsPage::testConnection);
    connect(m_bootstrap, &QPushButton::clicked, this, &VpsPage::bootstrapSelected);
    connect(m_sweepNow, &QPushButton::clicked, this, &VpsPage::sweepNow);
    connect(m_retryFailed, &QPushButton::clicked, this, &VpsPage::retryFailed);
    connect(m_trust, &QPushButton::clicked, this, &VpsPage::trustHostKey);
    connect(m_key, &SshKeyButton::message, this,
            [this](const QString& t, bool isError) { isError ? error(t) : info(t); });
    connect(m_sweep, &SweepPanel::message, this,
            [this](const QString& t, bool isError) { isError ? error(t) : info(t); });
    connect(m_sweep, &SweepPanel::finished, this, [this] {
        ctx().inventory().reloadVps();
        updateFleetActions();
    });
    connect(m_results, &ConnectionResultPanel::trusted, this,
            [this](Id id, bool ok, const QString& msg) {
                const auto v = ctx().inventory().vps(id);
                const QString host = v ? v->hostname : QString::number(id);
                if (ok)
                    info(tr("Host key of %1 trusted. Test the connection again.").arg(host));
                else
                    error(tr("Could not trust the key of %1: %2").arg(host, msg));
                m_lastCategory.remove(id);
            });
    if (FleetService* f = ctx().fleet())
        connect(f, &FleetService::connectionTested, this, &VpsPage::onConnectionTested);
    if (OperationRunner* r = ctx().runner())
        connect(r, &OperationRunner::operationFinished, this, &VpsPage::onOperationFinished);

    m_promTimer.setInterval(30000);
    connect(&m_promTimer, &QTimer::timeout, this, &VpsPage::refreshPrometheusColumns);
    m_sweepTimer.setObjectName(QStringLiteral("sweepTimer"));
    connect(&m_sweepTimer, &QTimer::timeout, this, [this] {
        if (!m_sweep->isRunning()) // skip while the previous sweep still runs
            sweepNow();
    });
    const int saved = QSettings().value(kIntervalKey, 0).toInt();
    for (int i = 0; i < int(std::size(kIntervals)); ++i) {
        if (kIntervals[i] == saved)
            m_interval->setCurrentIndex(i);
    }
    setSweepInterval(saved);
    connect(m_interval, &QComboBox::currentIndexChanged, this,
            [this](int i) { setSweepInterval(m_interval->itemData(i).toInt()); });
}

void VpsPage::updateFleetActions()
{
    if (!m_test)
        return;
    const bool fleet = ctx().fleet() != nullptr;
    const bool selected = selectedId() != 0;
    m_test->setEnabled(fleet);
    m_bootstrap->setEnabled(fleet && selected);
    m_trust->setEnabled(fleet && selected);
    m_sweepNow->setEnabled(fleet && !m_sweep->isRunning());
    m_retryFailed->setEnabled(fleet && !m_sweep->isRunning() && !m_sweep->failedIds().isEmpty());
    m_interval->setEnabled(fleet);
}

void VpsPage::setSweepInterval(int minutes)
{
    QSettings().setValue(kIntervalKey, minutes);
    if (minutes > 0 && ctx().fleet())
        m_sweepTimer.start(minutes * 60 * 1000);
    else
        m_sweepTimer.stop();
}

void VpsPage::testConnection()
{
    FleetService* fleet = ctx().fleet();
    if (!fleet)
        return;
    QVector<Vps> targets;
    if (const auto v = ctx().inventory().vps(selectedId()))
        targets << *v;
    else
        targets = ctx().inventory().vpsByHostname();
    for (const Vps& v : targets) {
        m_results->showPending(v.id, v.hostname);
        ctx().startOperation(
            this, [id = v.id](FleetService& f) { return f.startTestConnection(id); },
            [this, host = v.hostname](Result<Id> r) {
                if (!r)
                    error(tr("Could not test %1: %2").arg(host, r.errorMessage()));
            });
    }
}

void VpsPage::onConnectionTested(const ConnectionTest& result)
{
    m_lastCategory.insert(result.vpsId, result.category);
    m_results->showResult(result);
    const bool ok = result.category == QLatin1String("ok");
    m_health->setLastError(
        result.vpsId,
        ok ? QString()
           : QStringLiteral("%1: %2").arg(ConnectionResultPanel::categoryText(result.category),
                                          result.message));
}

void VpsPage::bootstrapSelected()
{
    FleetService* fleet = ctx().fleet();
    const auto v = ctx().inventory().vps(selectedId());
    if (!fleet || !v)
        return;
    info(tr("Bootstrapping %1…").arg(v->hostname));
    ++m_bootstrapsStarting;
    ctx().startOperation(
        this, [id = v->id](FleetService& f) { return f.startBootstrap(id); },
        [this, id = v->id, host = v->hostname](Result<Id> r) {
            --m_bootstrapsStarting;
            if (!r) {
                error(tr("Could not bootstrap %1: %2").arg(host, r.errorMessage()));
                return;
            }
            m_bootstraps.insert(r.value(), id);
            const auto early = m_finishedEarly.take(r.value());
            if (m_bootstrapsStarting == 0)
                m_finishedEarly.clear();
            if (!early.first.isEmpty())
                onOperationFinished(r.value(), early.first, early.second);
        });
}

void VpsPage::onOperationFinished(Id opId, const QString& status, const QString& err)
{
    const Id vpsId = m_bootstraps.take(opId);
    if (!vpsId) {
        // A bootstrap may finish before its id arrives from the store thread.
        if (m_bootstrapsStarting > 0)
            m_finishedEarly.insert(opId, {status, err});
        return;
    }
    ctx().inventory().reloadVps();
    const auto v = ctx().inventory().vps(vpsId);
    const QString host = v ? v->hostname : QString::number(vpsId);
    if (status == QLatin1String("completed")) {
        info(tr("Agent installed on %1.").arg(host));
        m_health->setLastError(vpsId, QString());
    } else {
        error(tr("Bootstrap of %1 %2: %3").arg(host, status, err));
        m_health->setLastError(vpsId, err);
    }
}

void VpsPage::sweepNow()
{
    int active = 0;
    for (const Vps& v : ctx().inventory().vpsByHostname())
        active += v.status == VpsStatus::Active ? 1 : 0;
    m_sweep->start({}, active);
    updateFleetActions();
}

void VpsPage::retryFailed()
{
    const QVector<Id> failed = m_sweep->failedIds();
    if (!failed.isEmpty())
        m_sweep->start(failed, int(failed.size()));
    updateFleetActions();
}

void VpsPage::trustHostKey()
{
    const Id id = selectedId();
    if (!id || !ctx().fleet())
        return;
    if (m_lastCategory.value(id) == QLatin1String("host_key_changed"))
        m_results->confirmReplace(id);
    else
        m_results->trust(id, false);
}

void VpsPage::showEvent(QShowEvent* event)
{
    Page::showEvent(event);
    refreshPrometheusColumns();
    m_promTimer.start();
}

void VpsPage::hideEvent(QHideEvent* event)
{
    m_promTimer.stop(); // hidden pages do not poll
    Page::hideEvent(event);
}

void VpsPage::refreshPrometheusColumns()
{
    metrics::MetricsService& svc = ctx().metrics();
    if (!svc.client().config().isConfigured())
        return; // no Prometheus: the SSH health columns stand alone
    QPointer<VpsPage> self(this);
    metrics::FleetMetrics::fetch(svc.client(),
                                 [self](const QHash<QString, metrics::HostMetrics>& hosts,
                                        const metrics::MetricsError& err) {
                                     if (!self)
                                         return;
                                     if (!hosts.isEmpty() || !err)
                                         self->m_health->setPrometheus(hosts);
                                 });
}

} // namespace chom
