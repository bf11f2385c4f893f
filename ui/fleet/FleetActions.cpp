#include "ui/fleet/FleetActions.h"

#include "fleet/FleetHealthModel.h"
#include "fleet/FleetService.h"
#include "ops/OperationRunner.h"
#include "ui/fleet/ConnectionResultPanel.h"
#include "ui/fleet/SshKeyButton.h"
#include "ui/fleet/SweepPanel.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

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

void FleetActions::info(const QString& text)
{
    Q_EMIT message(text, false);
}

void FleetActions::error(const QString& text)
{
    Q_EMIT message(text, true);
}

FleetActions::FleetActions(AppContext& ctx, Host host, FleetHealthModel* health,
                           ConnectionResultPanel* results, SweepPanel* sweep, QObject* parent)
    : QObject(parent), m_ctx(ctx), m_selectedId(std::move(host.selectedId)),
      m_addButton(std::move(host.addButton)), m_addWidget(std::move(host.addWidget)),
      m_health(health), m_results(results), m_sweep(sweep)
{
    m_test = m_addButton(tr("Test connection"), QStringLiteral("testConnectionButton"));
    m_test->setShortcut(QKeySequence(QStringLiteral("Ctrl+T")));
    m_test->setToolTip(tr("Test SSH and the agent on the selected server, or all (Ctrl+T)"));
    m_bootstrap = m_addButton(tr("Bootstrap"), QStringLiteral("bootstrapButton"));
    m_bootstrap->setShortcut(QKeySequence(QStringLiteral("Ctrl+B")));
    m_bootstrap->setToolTip(tr("Upload and install the agent on the selected server (Ctrl+B)"));
    m_sweepNow = m_addButton(tr("Sweep now"), QStringLiteral("sweepNowButton"));
    m_sweepNow->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+S")));
    m_sweepNow->setToolTip(tr("Health check every active server (Ctrl+Shift+S)"));
    m_retryFailed = m_addButton(tr("Retry failed"), QStringLiteral("retryFailedButton"));
    m_trust = m_addButton(tr("Trust host key…"), QStringLiteral("trustHostKeyButton"));
    m_key = new SshKeyButton(m_ctx);
    m_addWidget(m_key);
    m_interval = new QComboBox;
    m_interval->setObjectName(QStringLiteral("sweepIntervalCombo"));
    m_interval->setToolTip(tr("Sweep every"));
    m_interval->addItem(tr("Sweep every: off"), 0);
    m_interval->addItem(tr("Sweep every: 1 min"), 1);
    m_interval->addItem(tr("Sweep every: 5 min"), 5);
    m_interval->addItem(tr("Sweep every: 15 min"), 15);
    m_addWidget(m_interval);

    connect(m_test, &QPushButton::clicked, this, &FleetActions::testConnection);
    connect(m_bootstrap, &QPushButton::clicked, this, &FleetActions::bootstrapSelected);
    connect(m_sweepNow, &QPushButton::clicked, this, &FleetActions::sweepNow);
    connect(m_retryFailed, &QPushButton::clicked, this, &FleetActions::retryFailed);
    connect(m_trust, &QPushButton::clicked, this, &FleetActions::trustHostKey);
    connect(m_key, &SshKeyButton::message, this,
            [this](const QString& t, bool isError) { Q_EMIT message(t, isError); });
    connect(m_sweep, &SweepPanel::message, this,
            [this](const QString& t, bool isError) { Q_EMIT message(t, isError); });
    connect(m_sweep, &SweepPanel::finished, this, [this] {
        m_ctx.inventory().reloadVps();
        update();
    });
    connect(
        m_results, &ConnectionResultPanel::trusted, this,
        [this](Id id, bool ok, const QString& msg) {
            const auto v = m_ctx.inventory().vps(id);
            const QString host = v ? v->hostname : QString::number(id);
            if (ok)
                info(tr("Host key of %1 trusted: %2. Test the connection again.").arg(host, msg));
            else
                error(tr("Could not trust the key of %1: %2").arg(host, msg));
            m_lastCategory.remove(id);
        });
    if (FleetService* f = m_ctx.fleet())
        connect(f, &FleetService::connectionTested, this, &FleetActions::onConnectionTested);
    if (OperationRunner* r = m_ctx.runner())
        connect(r, &OperationRunner::operationFinished, this, &FleetActions::onOperationFinished);

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
    applySweepInterval(saved); // start-up: apply, never write the setting back
    connect(m_interval, &QComboBox::currentIndexChanged, this,
            [this](int i) { setSweepInterval(m_interval->itemData(i).toInt()); });
}

void FleetActions::update()
{
    if (!m_test)
        return;
    const bool fleet = m_ctx.fleet() != nullptr;
    const bool selected = m_selectedId() != 0;
    m_test->setEnabled(fleet);
    m_bootstrap->setEnabled(fleet && selected);
    m_trust->setEnabled(fleet && selected);
    m_sweepNow->setEnabled(fleet && !m_sweep->isRunning());
    m_retryFailed->setEnabled(fleet && !m_sweep->isRunning() && !m_sweep->failedIds().isEmpty());
    m_interval->setEnabled(fleet);
}

void FleetActions::setSweepInterval(int minutes)
{
    QSettings().setValue(kIntervalKey, minutes);
    applySweepInterval(minutes);
}

void FleetActions::applySweepInterval(int minutes)
{
    if (minutes > 0 && m_ctx.fleet())
        m_sweepTimer.start(minutes * 60 * 1000);
    else
        m_sweepTimer.stop();
}

void FleetActions::testConnection()
{
    FleetService* fleet = m_ctx.fleet();
    if (!fleet)
        return;
    QVector<Vps> targets;
    if (const auto v = m_ctx.inventory().vps(m_selectedId()))
        targets << *v;
    else
        targets = m_ctx.inventory().vpsByHostname();
    for (const Vps& v : targets) {
        m_results->showPending(v.id, v.hostname);
        m_ctx.startOperation(
            this, [id = v.id](FleetService& f) { return f.startTestConnection(id); },
            [this, host = v.hostname](Result<Id> r) {
                if (!r)
                    error(tr("Could not test %1: %2").arg(host, r.errorMessage()));
            });
    }
}

void FleetActions::onConnectionTested(const ConnectionTest& result)
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

void FleetActions::bootstrapSelected()
{
    FleetService* fleet = m_ctx.fleet();
    const auto v = m_ctx.inventory().vps(m_selectedId());
    if (!fleet || !v)
        return;
    info(tr("Bootstrapping %1…").arg(v->hostname));
    ++m_bootstrapsStarting;
    m_ctx.startOperation(
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

void FleetActions::onOperationFinished(Id opId, const QString& status, const QString& err)
{
    const Id vpsId = m_bootstraps.take(opId);
    if (!vpsId) {
        // A bootstrap may finish before its id arrives from the store thread.
        if (m_bootstrapsStarting > 0)
            m_finishedEarly.insert(opId, {status, err});
        return;
    }
    m_ctx.inventory().reloadVps();
    const auto v = m_ctx.inventory().vps(vpsId);
    const QString host = v ? v->hostname : QString::number(vpsId);
    if (status == QLatin1String("completed")) {
        info(tr("Agent installed on %1.").arg(host));
        m_health->setLastError(vpsId, QString());
    } else {
        error(tr("Bootstrap of %1 %2: %3").arg(host, status, err));
        m_health->setLastError(vpsId, err);
    }
}

void FleetActions::sweepNow()
{
    int active = 0;
    for (const Vps& v : m_ctx.inventory().vpsByHostname())
        active += v.status == VpsStatus::Active ? 1 : 0;
    m_sweep->start({}, active);
    update();
}

void FleetActions::retryFailed()
{
    const QVector<Id> failed = m_sweep->failedIds();
    if (!failed.isEmpty())
        m_sweep->start(failed, int(failed.size()));
    update();
}

void FleetActions::trustHostKey()
{
    const Id id = m_selectedId();
    if (!id || !m_ctx.fleet())
        return;
    // Only a key the operator has seen is trusted: without a banner showing
    // one, test the connection first, which shows it.
    if (m_results->shownFingerprint(id).isEmpty())
        testConnection();
    else if (m_lastCategory.value(id) == QLatin1String("host_key_changed"))
        m_results->confirmReplace(id);
    else
        m_results->trust(id);
}

} // namespace chom
