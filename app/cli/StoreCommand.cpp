#include "StoreCommand.h"

#include "TerminalPrompt.h"
#include "runtime/StorePassword.h"
#include "secrets/SessionPassphrase.h"

#include <QJsonObject>

namespace chom::cli {
namespace {

Status needsPostgres(const StoreConfig& config)
{
    if (config.driver == QLatin1String("QPSQL"))
        return okStatus();
    return makeError(
        ErrorKind::Usage, QStringLiteral("usage"),
        QStringLiteral("the store is the SQLite file %1, which has no password: name "
                       "a PostgreSQL store with --store postgresql://user@host:port/db")
            .arg(config.path));
}

QString backendName(const SecretStore& secrets)
{
    return secrets.backend() == QLatin1String("os-keychain")
               ? QStringLiteral("the OS keychain")
               : QStringLiteral("the encrypted secrets file");
}

} // namespace

QString StoreCommand::summary() const
{
    return QStringLiteral("save or forget the PostgreSQL store's password in the keychain");
}

QString StoreCommand::usage() const
{
    return QStringLiteral(
        "Usage:\n"
        "  chomctl --store postgresql://user@host:port/db store password\n"
        "  chomctl --store postgresql://user@host:port/db store forget-password\n"
        "\n"
        "password reads the password from the terminal (echo off) or, when stdin is\n"
        "not a terminal, as one line from stdin; never from the command line. It logs\n"
        "in with it first and saves it only when the server accepts it: in the OS\n"
        "keychain, else in the encrypted secrets file of --data-dir (whose master\n"
        "passphrase is asked on the terminal, or read from --passphrase-file).\n"
        "The console and chomctl then log in with it when the server asks for a\n"
        "password that no PGPASSFILE (or ~/.pgpass) gives.\n");
}

int StoreCommand::run(Core&, const QStringList&, Output& out)
{
    return fail(out, makeError(ErrorKind::Internal, QStringLiteral("internal"),
                               QStringLiteral("store runs before the store is opened")));
}

int StoreCommand::runUnopened(const StoreConfig& config, const QString& dataDir,
                              const QStringList& args, Output& out)
{
    const QString action = args.value(0);
    if (action.isEmpty())
        return out.usage(QStringLiteral("store needs an action: password or forget-password"),
                         name());
    if (action == QLatin1String("password"))
        return savePassword(config, dataDir, args.mid(1), out);
    if (action == QLatin1String("forget-password"))
        return forgetPassword(config, dataDir, args.mid(1), out);
    return unknownAction(out, action);
}

// Both actions take no options and need a PostgreSQL store.
bool StoreCommand::accepts(const StoreConfig& config, const QStringList& raw, Output& out,
                           int* exitCode) const
{
    Args a;
    if (!parse(raw, {}, {}, a, out, exitCode))
        return false;
    Status st = a.expectPositionals({});
    if (st)
        st = needsPostgres(config);
    if (!st)
        *exitCode = fail(out, st.error());
    return bool(st);
}

int StoreCommand::savePassword(const StoreConfig& config, const QString& dataDir,
                               const QStringList& raw, Output& out)
{
    if (int code = 0; !accepts(config, raw, out, &code))
        return code;
    auto password =
        readSecretInput(QStringLiteral("PostgreSQL password of %1: ").arg(describeStore(config)));
    if (!password)
        return fail(out, password.error());
    StoreConfig withPassword = config;
    withPassword.password = password.value();
    if (withPassword.password.isEmpty())
        return fail(out, makeError(ErrorKind::Usage, QStringLiteral("usage"),
                                   QStringLiteral("the password is empty; nothing was saved")));
    // Only a password the server accepts is worth keeping.
    if (auto opened = Core::open(withPassword); !opened)
        return fail(out, makeError(opened.error().kind(), opened.error().code,
                                   opened.error().message + QStringLiteral(" Nothing was saved.")));
    const auto secrets = openSecretStore(dataDir, SessionPassphrase::instance().provider());
    if (auto st = storepassword::save(*secrets, config, withPassword.password); !st)
        return fail(out, st.error());
    if (out.json())
        out.printJson(QJsonObject{{QStringLiteral("saved"), true},
                                  {QStringLiteral("store"), storepassword::storeUrl(config)},
                                  {QStringLiteral("backend"), secrets->backend()}});
    else
        out.printLine(QStringLiteral("saved the password of %1 in %2")
                          .arg(describeStore(config), backendName(*secrets)));
    return ExitOk;
}

int StoreCommand::forgetPassword(const StoreConfig& config, const QString& dataDir,
                                 const QStringList& raw, Output& out)
{
    if (int code = 0; !accepts(config, raw, out, &code))
        return code;
    const auto secrets = storepassword::openForRead(dataDir);
    if (!secrets)
        return fail(
            out,
            makeError(ErrorKind::NotFound, QStringLiteral("not_found"),
                      QStringLiteral("No password of %1 is saved.").arg(describeStore(config))));
    if (auto st = storepassword::forget(*secrets, config); !st)
        return fail(out, st.error());
    if (out.json())
        out.printJson(QJsonObject{{QStringLiteral("forgotten"), true},
                                  {QStringLiteral("store"), storepassword::storeUrl(config)}});
    else
        out.printLine(QStringLiteral("forgot the password of %1 saved in %2")
                          .arg(describeStore(config), backendName(*secrets)));
    return ExitOk;
}

} // namespace chom::cli
