#include "secrets/KeychainSecretStore.h"

#include "secrets/EncryptedFileSecretStore.h"

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDir>
#include <QEventLoop>

#include <qt6keychain/keychain.h>

namespace chom {
namespace {

template <typename JobT> void runJob(JobT& job)
{
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    loop.exec();
}

Error keychainError(const QKeychain::Job& job)
{
    return makeError(job.error() == QKeychain::EntryNotFound ? QStringLiteral("not_found")
                                                             : QStringLiteral("secrets"),
                     QCoreApplication::translate("chom::KeychainSecretStore", "Keychain: %1")
                         .arg(job.errorString()));
}

} // namespace

bool KeychainSecretStore::available()
{
#if defined(Q_OS_LINUX)
    // QtKeychain talks to the Secret Service (or KWallet) over the session bus.
    const QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected() || !bus.interface())
        return false;
    return bus.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.secrets")) ||
           bus.interface()->isServiceRegistered(QStringLiteral("org.kde.kwalletd5"));
#else
    return true; // macOS Keychain / Windows Credential Store are always there
#endif
}

Status KeychainSecretStore::write(const QString& name, const QByteArray& secret)
{
    QKeychain::WritePasswordJob job(m_service);
    job.setKey(name);
    job.setBinaryData(secret);
    runJob(job);
    if (job.error() != QKeychain::NoError)
        return keychainError(job);
    return okStatus();
}

Result<QByteArray> KeychainSecretStore::read(const QString& name)
{
    QKeychain::ReadPasswordJob job(m_service);
    job.setKey(name);
    runJob(job);
    if (job.error() != QKeychain::NoError)
        return keychainError(job);
    return job.binaryData();
}

Status KeychainSecretStore::remove(const QString& name)
{
    QKeychain::DeletePasswordJob job(m_service);
    job.setKey(name);
    runJob(job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        return keychainError(job);
    return okStatus();
}

QString secretsFilePath(const QString& dataDir)
{
    return dataDir + QStringLiteral("/secrets.json");
}

std::unique_ptr<SecretStore> openSecretStore(const QString& dataDir,
                                             MasterPassphraseProvider passphrase)
{
    if (qEnvironmentVariable("CHOM_SECRETS_BACKEND") != QLatin1String("file") &&
        KeychainSecretStore::available())
        return std::make_unique<KeychainSecretStore>();
    QDir().mkpath(dataDir);
    return std::make_unique<EncryptedFileSecretStore>(secretsFilePath(dataDir),
                                                      std::move(passphrase));
}

} // namespace chom
