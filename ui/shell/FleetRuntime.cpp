#include "ui/shell/FleetRuntime.h"

#include "runtime/SiteScheduler.h"

#include "ui/shell/AppContext.h"
#include "ui/shell/PasswordPrompt.h"

#include "base/Async.h"
#include "base/PromptWait.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "runtime/Runtime.h"
#include "secrets/EncryptedFileSecretStore.h"
#include "secrets/SessionPassphrase.h"
#include "ssh/SshIdentitySettings.h"
#include "ssh/SshKeys.h"
#include "ssh/SshPool.h"

#include <QFile>
#include <QMutex>
#include <QPointer>
#include <QSettings>
#include <QThread>

namespace chom {

FleetRuntime::FleetRuntime(Core& core, AppContext& ctx, QObject* parent)
    : QObject(parent), m_ctx(ctx), m_runtime(ctx.runtime())
{
    Q_UNUSED(core);
    m_runtime.startFleet();
    SessionPassphrase::instance().setSecretsDir(ctx.dataDir()); // one data dir per run
    SessionPassphrase::instance().setAsk(askMasterPassphrase);
    QSettings settings;
    const SshIdentitySettings saved(settings);
    pool().setIdentity(saved.saved());
    pool().setPassphraseProvider([this](const QString& keyName) { return askPassphrase(keyName); });
    if (!saved.secretName().isEmpty())
        QMetaObject::invokeMethod(this, &FleetRuntime::restoreSecretIdentity, Qt::QueuedConnection);
    startScheduler(settings);
}

// Renewals hourly and a coherency check every 6 hours unless the settings
// say otherwise (minutes; 0 turns one off).
void FleetRuntime::startScheduler(const QSettings& settings)
{
    SiteScheduler::Intervals every;
    every.renewalMinutes =
        settings.value(QStringLiteral("schedule/renewal_minutes"), every.renewalMinutes).toInt();
    every.coherencyMinutes =
        settings.value(QStringLiteral("schedule/coherency_minutes"), every.coherencyMinutes)
            .toInt();
    m_scheduler = new SiteScheduler(m_runtime, every, this);
    connect(m_scheduler, &SiteScheduler::renewalPassDone, this,
            [](int started, int due, const QStringList& notStarted, const QString& error) {
                if (!error.isEmpty())
                    qWarning("chom: renewal pass: %s", qPrintable(error));
                else if (started || !notStarted.isEmpty())
                    qInfo("chom: renewal pass: %d started of %d due%s", started, due,
                          qPrintable(notStarted.isEmpty()
                                         ? QString()
                                         : QStringLiteral("; not started: ") +
                                               notStarted.join(QStringLiteral("; "))));
            });
    m_scheduler->start();
}

// The Runtime's order: drain the executor, join the runner, then the fleet
// service and the pool.
FleetRuntime::~FleetRuntime()
{
    // A step waiting for a passphrase would never be answered while the GUI
    // thread joins it: cancel the questions first.
    cancelAllPrompts();
    m_scheduler->stop(); // no new pass; a queued one finds no fleet
    m_runtime.stopFleet();
    async::drainPools(); // secret-store jobs (they ask no more questions now)
    resumePrompts();
}

SshPool& FleetRuntime::pool()
{
    return *m_runtime.pool();
}

OperationRunner& FleetRuntime::runner()
{
    return *m_runtime.runner();
}

FleetService& FleetRuntime::fleet()
{
    return *m_runtime.fleet();
}

void FleetRuntime::recoverInterrupted()
{
    m_ctx.run<Result<QVector<Id>>>(
        this, [](Core& c) { return OperationRunner::recoverInterrupted(c.store()); },
        [this](Result<QVector<Id>> r) {
            if (!r) {
                qWarning("chom-console: could not check for interrupted operations: %s",
                         qPrintable(r.errorMessage()));
                return;
            }
            if (r.value().isEmpty())
                return;
            const QVector<Id> ids = r.value();
            Q_EMIT interruptedFound(ids, tr("%n operation(s) were interrupted by the last shutdown "
                                            "— retry them from Operations",
                                            nullptr, int(ids.size())));
        });
}

MasterPassphraseProvider FleetRuntime::masterPassphraseProvider()
{
    return SessionPassphrase::instance().provider();
}

void FleetRuntime::setMasterPassphraseOverride(MasterPassphraseProvider provider)
{
    SessionPassphrase::instance().setProviderOverride(std::move(provider));
}

void FleetRuntime::restoreSecretIdentity()
{
    QSettings settings;
    const QString name = SshIdentitySettings(settings).secretName();
    if (name.isEmpty())
        return;
    // SecretStore calls block (keychain event loop, scrypt): on a worker.
    m_runtime.withSecrets<Result<SshIdentity>>(
        this, [name](SecretStore& store) { return sshkeys::load(store, name); },
        [this, name](Result<SshIdentity> id) {
            if (!id) {
                qWarning("chom-console: could not load the SSH key %s: %s", qPrintable(name),
                         qPrintable(id.errorMessage()));
                Q_EMIT identityRestored(
                    false, tr("The SSH key \"%1\" could not be loaded from the secret store: %2")
                               .arg(name, id.errorMessage()));
                return;
            }
            pool().setIdentity(id.value());
            Q_EMIT identityRestored(true,
                                    tr("SSH identity: key \"%1\" from the secret store").arg(name));
        });
}

// Called on a pool thread: asks on the GUI thread (non-modal) and waits.
QString FleetRuntime::askPassphrase(const QString& keyName)
{
    const auto answer = askAndWait(this, [keyName](PromptAnswer reply) {
        showPasswordPrompt(tr("SSH key passphrase"), tr("Passphrase for %1:").arg(keyName),
                           std::move(reply));
    });
    return answer.value_or(QString());
}

} // namespace chom
