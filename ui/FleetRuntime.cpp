#include "FleetRuntime.h"

#include "AppContext.h"
#include "Core.h"
#include "fleet/FleetService.h"
#include "ops/OperationRunner.h"
#include "secrets/EncryptedFileSecretStore.h"
#include "ssh/SshKeys.h"
#include "ssh/SshPool.h"

#include <QApplication>
#include <QFile>
#include <QInputDialog>
#include <QMutex>
#include <QPointer>
#include <QSettings>
#include <QThread>
#include <QtConcurrent>

namespace chom {
namespace {

const QString kSecretPrefix = QStringLiteral("secret:");

QMutex& overrideMutex()
{
    static QMutex m;
    return m;
}

MasterPassphraseProvider& passphraseOverride()
{
    static MasterPassphraseProvider p;
    return p;
}

// On a worker: asks on the GUI thread and waits for the answer.
QString askMasterPassphrase(const QString& hint)
{
    QCoreApplication* app = QCoreApplication::instance();
    if (!app || QThread::currentThread() == app->thread())
        return {}; // never block the GUI thread on itself
    QString answer;
    QMetaObject::invokeMethod(
        app,
        [&answer, hint] {
            bool ok = false;
            const QString text = QInputDialog::getText(
                QApplication::activeWindow(), FleetRuntime::tr("Secrets file"),
                hint + FleetRuntime::tr("Master passphrase of the encrypted secrets file\n"
                                        "(chosen now if the file does not exist yet):"),
                QLineEdit::Password, QString(), &ok);
            if (ok)
                answer = text;
        },
        Qt::BlockingQueuedConnection);
    return answer;
}

struct SessionPassphrase
{
    QMutex mutex;    // held while asking: concurrent askers wait for one dialog
    QString value;   // in memory only, for this run of the console
    QMutex dirMutex; // never held while asking (the GUI thread sets the dir)
    QString secretsDir;
    QString dir()
    {
        QMutexLocker lock(&dirMutex);
        return secretsDir;
    }
};

SessionPassphrase& sessionPassphrase()
{
    static SessionPassphrase s;
    return s;
}

// One prompt per session: workers that need the passphrase at the same time
// wait for the one dialog, and an answer is kept only once it opens the
// secrets file (a wrong one asks again, three times at most).
QString sessionMasterPassphrase()
{
    SessionPassphrase& s = sessionPassphrase();
    QMutexLocker lock(&s.mutex);
    if (!s.value.isEmpty())
        return s.value;
    QString hint;
    for (int attempt = 0; attempt < 3; ++attempt) {
        const QString answer = askMasterPassphrase(hint);
        if (answer.isEmpty())
            return {};
        const QString dir = s.dir();
        const QString file = secretsFilePath(dir);
        if (dir.isEmpty() || !QFile::exists(file)) {
            s.value = answer; // first use: this answer becomes the passphrase
            return answer;
        }
        EncryptedFileSecretStore probe(file, [answer] { return answer; });
        const auto read = probe.read(QStringLiteral("chom-passphrase-probe"));
        if (read.ok() || read.error().code != QLatin1String("wrong_passphrase")) {
            s.value = answer; // it opens the file (a missing entry is fine)
            return answer;
        }
        hint = FleetRuntime::tr("Wrong passphrase, try again.\n\n");
    }
    return {};
}

} // namespace

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
    {
        SessionPassphrase& sp = sessionPassphrase();
        QMutexLocker lock(&sp.dirMutex);
        sp.secretsDir = ctx.dataDir(); // one data dir per console run
    }
    m_pool->setIdentity(savedIdentity());
    m_pool->setPassphraseProvider(
        [this](const QString& keyName) { return askPassphrase(keyName); });
    ctx.attachFleet(m_pool.get(), m_runner.get(), m_fleet.get());
    if (!savedSecretName().isEmpty())
        QMetaObject::invokeMethod(this, &FleetRuntime::restoreSecretIdentity, Qt::QueuedConnection);
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
    const QString secret = savedSecretName();
    if (!secret.isEmpty()) {
        id.name = kSecretPrefix + secret;
        return id;
    }
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
    s.remove(QStringLiteral("ssh/identity"));
}

QString FleetRuntime::savedSecretName()
{
    const QString v = QSettings().value(QStringLiteral("ssh/identity")).toString();
    return v.startsWith(kSecretPrefix) ? v.mid(kSecretPrefix.size()) : QString();
}

// Only the name goes to QSettings: the key itself stays in the SecretStore.
void FleetRuntime::saveSecretIdentity(const QString& secretName)
{
    QSettings s;
    s.setValue(QStringLiteral("ssh/useAgent"), false);
    s.remove(QStringLiteral("ssh/keyPath"));
    s.setValue(QStringLiteral("ssh/identity"), QString(kSecretPrefix + secretName));
}

MasterPassphraseProvider FleetRuntime::masterPassphraseProvider()
{
    QMutexLocker lock(&overrideMutex());
    if (passphraseOverride())
        return passphraseOverride();
    return sessionMasterPassphrase;
}

void FleetRuntime::setMasterPassphraseOverride(MasterPassphraseProvider provider)
{
    QMutexLocker lock(&overrideMutex());
    passphraseOverride() = std::move(provider);
}

void FleetRuntime::restoreSecretIdentity()
{
    const QString name = savedSecretName();
    if (name.isEmpty())
        return;
    QPointer<FleetRuntime> self(this);
    const QString dataDir = m_ctx.dataDir();
    MasterPassphraseProvider pass = masterPassphraseProvider();
    // SecretStore calls block (keychain event loop, scrypt): on a worker.
    (void)QtConcurrent::run([self, dataDir, name, pass] {
        const auto store = openSecretStore(dataDir, pass);
        Result<SshIdentity> id = sshkeys::load(*store, name);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, name, id] {
                if (!self)
                    return;
                if (!id) {
                    qWarning("chom-console: could not load the SSH key %s: %s", qPrintable(name),
                             qPrintable(id.errorMessage()));
                    Q_EMIT self->identityRestored(
                        false,
                        tr("The SSH key \"%1\" could not be loaded from the secret store: %2")
                            .arg(name, id.errorMessage()));
                    return;
                }
                self->m_pool->setIdentity(id.value());
                Q_EMIT self->identityRestored(
                    true, tr("SSH identity: key \"%1\" from the secret store").arg(name));
            },
            Qt::QueuedConnection);
    });
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
