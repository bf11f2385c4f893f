#include "runtime/StorePassword.h"

#include "base/Async.h"
#include "secrets/SessionPassphrase.h"

#include <QCoreApplication>
#include <QFile>

namespace chom::storepassword {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::StorePassword", text);
}

// None saved: the two ways to give one, as the operator types them.
Error noneSaved(const StoreConfig& config)
{
    return makeError(ErrorKind::Store, QStringLiteral("password_required"),
                     tr("The PostgreSQL server asks for the password of %1 and none is saved: put "
                        "it in a PGPASSFILE (or ~/.pgpass), or save it with \"chomctl --store %2 "
                        "store password\".")
                         .arg(describeStore(config), storeUrl(config)));
}

// The second open's answer, with the saved password named when refused.
Result<std::unique_ptr<Core>> reopen(const Result<StoreConfig>& withPassword)
{
    if (!withPassword)
        return withPassword.error();
    auto opened = Core::open(withPassword.value());
    if (!opened && opened.error().code == QLatin1String("password_refused"))
        return makeError(
            ErrorKind::Store, QStringLiteral("password_refused"),
            tr("The PostgreSQL server refused the password saved for %1: save the "
               "right one with \"chomctl --store %2 store password\".")
                .arg(describeStore(withPassword.value()), storeUrl(withPassword.value())));
    return opened;
}

Result<StoreConfig> readSaved(const StoreConfig& config, const SecretsOpener& secrets)
{
    const std::unique_ptr<SecretStore> store = secrets ? secrets() : nullptr;
    if (!store)
        return noneSaved(config);
    return withSaved(config, *store);
}

} // namespace

QString storeUrl(const StoreConfig& config)
{
    return QStringLiteral("postgresql://%1@%2:%3/%4")
        .arg(config.user, config.host)
        .arg(config.port)
        .arg(config.database);
}

QString secretName(const StoreConfig& config)
{
    return QStringLiteral("store-password:") + storeUrl(config);
}

bool isAsked(const Error& error)
{
    return error.code == QLatin1String("password_required");
}

Result<StoreConfig> withSaved(const StoreConfig& config, SecretStore& secrets)
{
    auto secret = secrets.read(secretName(config));
    if (!secret) {
        if (secret.error().code == QLatin1String("not_found"))
            return noneSaved(config);
        return makeError(ErrorKind::Store, QStringLiteral("password_unreadable"),
                         tr("Cannot read the saved password of %1: %2")
                             .arg(describeStore(config), secret.error().message));
    }
    StoreConfig c = config;
    c.password = QString::fromUtf8(secret.value());
    return c;
}

Status save(SecretStore& secrets, const StoreConfig& config, const QString& password)
{
    if (password.isEmpty())
        return makeError(ErrorKind::Usage, QStringLiteral("usage"), tr("The password is empty."));
    return secrets.write(secretName(config), password.toUtf8());
}

Status forget(SecretStore& secrets, const StoreConfig& config)
{
    if (auto saved = secrets.read(secretName(config)); !saved) {
        if (saved.error().code == QLatin1String("not_found"))
            return makeError(ErrorKind::NotFound, QStringLiteral("not_found"),
                             tr("No password of %1 is saved.").arg(describeStore(config)));
        return saved.error();
    }
    return secrets.remove(secretName(config));
}

std::unique_ptr<SecretStore> openForRead(const QString& dataDir)
{
    auto store = openSecretStore(dataDir, SessionPassphrase::instance().provider());
    if (store->backend() == QLatin1String("encrypted-file") &&
        !QFile::exists(secretsFilePath(dataDir)))
        return nullptr; // nothing saved, and no passphrase to choose for it
    return store;
}

Result<std::unique_ptr<Core>> openCore(const StoreConfig& config, const SecretsOpener& secrets)
{
    auto opened = Core::open(config);
    if (opened || !isAsked(opened.error()) || !config.password.isEmpty())
        return opened;
    return reopen(readSaved(config, secrets));
}

void openCoreAsync(const StoreConfig& config, SecretsOpener secrets, QObject* context, Opened done)
{
    auto opened = Core::open(config);
    if (opened || !isAsked(opened.error()) || !config.password.isEmpty()) {
        done(std::move(opened));
        return;
    }
    async::run<Result<StoreConfig>>(
        async::blockingPool(), context,
        [config, secrets = std::move(secrets)] { return readSaved(config, secrets); },
        [done = std::move(done)](Result<StoreConfig> withPassword) { done(reopen(withPassword)); });
}

} // namespace chom::storepassword
