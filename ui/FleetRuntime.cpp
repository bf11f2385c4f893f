#include "FleetRuntime.h"

#include "AppContext.h"
#include "Core.h"
#include "fleet/FleetService.h"
#include "ops/OperationRunner.h"
#include "ssh/SshPool.h"

#include <QApplication>
#include <QInputDialog>
#include <QSettings>
#include <QThread>

namespace chom {

FleetRuntime::FleetRuntime(Core& core, AppContext& ctx, QObject* parent)
    : QObject(parent), m_ctx(ctx),
      m_pool(std::make_unique<SshPool>(core.store(), SshPool::Config{})),
      m_runner(std::make_unique<OperationRunner>(core.store(), &core.notifier())),
      m_fleet(std::make_unique<FleetService>(core, *m_pool, *m_runner))
{
    qRegisterMetaType<HealthReport>();
    qRegisterMetaType<ConnectionTest>();
    qRegisterMetaType<SshResult>();
    qRegisterMetaType<Id>("chom::Id");
    m_pool->setIdentity(savedIdentity());
    m_pool->setPassphraseProvider(
        [this](const QString& keyName) { return askPassphrase(keyName); });
    ctx.attachFleet(m_pool.get(), m_runner.get(), m_fleet.get());
}

FleetRuntime::~FleetRuntime()
{
    m_ctx.attachFleet(nullptr, nullptr, nullptr);
    // FleetService first, then the runner (cancels and waits), then the pool.
    m_fleet.reset();
    m_runner.reset();
    m_pool.reset();
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

SshIdentity FleetRuntime::savedIdentity()
{
    QSettings s;
    SshIdentity id;
    id.useAgent = s.value(QStringLiteral("ssh/useAgent"), false).toBool();
    id.privateKeyPath = s.value(QStringLiteral("ssh/keyPath")).toString();
    id.name = id.useAgent ? QStringLiteral("ssh-agent") : id.privateKeyPath;
    if (!id.useAgent && id.privateKeyPath.isEmpty())
        id.useAgent = !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK");
    return id;
}

void FleetRuntime::saveIdentity(const SshIdentity& identity)
{
    QSettings s;
    s.setValue(QStringLiteral("ssh/useAgent"), identity.useAgent);
    s.setValue(QStringLiteral("ssh/keyPath"), identity.privateKeyPath);
}

// Called on a pool thread: asks on the GUI thread and waits for the answer.
QString FleetRuntime::askPassphrase(const QString& keyName)
{
    if (QThread::currentThread() == thread())
        return {}; // never block the GUI thread on itself
    QString answer;
    QMetaObject::invokeMethod(
        this,
        [&answer, keyName] {
            bool ok = false;
            const QString text = QInputDialog::getText(
                QApplication::activeWindow(), tr("SSH key passphrase"),
                tr("Passphrase for %1:").arg(keyName), QLineEdit::Password, QString(), &ok);
            if (ok)
                answer = text;
        },
        Qt::BlockingQueuedConnection);
    return answer;
}

} // namespace chom
