#include "CliApp.h"

#include "AuditCommand.h"
#include "BackupCommand.h"
#include "CoherencyCommand.h"
#include "DemoCommand.h"
#include "MetricsCommand.h"
#include "OpsCommand.h"
#include "SitesCommand.h"
#include "StatsCommand.h"
#include "StoreCommand.h"
#include "TenantsCommand.h"
#include "TerminalPrompt.h"
#include "VpsCommand.h"
#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "runtime/StorePassword.h"
#include "secrets/SessionPassphrase.h"

#include <QFileInfo>

#include <algorithm>

namespace chom::cli {

CliApp::CliApp()
{
    m_commands.push_back(std::make_unique<TenantsCommand>(m_ssh));
    m_commands.push_back(std::make_unique<VpsCommand>(m_ssh));
    m_commands.push_back(std::make_unique<SitesCommand>(m_ssh));
    m_commands.push_back(std::make_unique<CoherencyCommand>(m_ssh));
    m_commands.push_back(std::make_unique<BackupCommand>(m_ssh));
    m_commands.push_back(std::make_unique<StatsCommand>());
    m_commands.push_back(std::make_unique<AuditCommand>());
    m_commands.push_back(std::make_unique<DemoCommand>());
    m_commands.push_back(std::make_unique<OpsCommand>(m_ssh));
    m_commands.push_back(std::make_unique<MetricsCommand>());
    m_commands.push_back(std::make_unique<StoreCommand>());
}

CliApp::~CliApp() = default;

Command* CliApp::find(const QString& name) const
{
    for (const auto& c : m_commands) {
        if (c->name() == name)
            return c.get();
    }
    return nullptr;
}

namespace {

// An argument quoted back in a message: at most 40 characters.
QString shown(const QString& arg)
{
    return arg.size() > 40 ? arg.left(40) + QStringLiteral("…") : arg;
}

} // namespace

Result<CliApp::Globals> CliApp::parseGlobals(const QStringList& args) const
{
    Globals g;
    for (int i = 0; i < args.size(); ++i) {
        const QString& arg = args.at(i);
        if (arg == QLatin1String("--")) {
            g.rest << args.mid(i);
            break;
        }
        auto takeValue = [&](const QString& option, QString* into) -> bool {
            if (arg == option) {
                if (i + 1 >= args.size())
                    return false;
                *into = args.at(++i);
                return true;
            }
            *into = arg.mid(option.size() + 1);
            return true;
        };
        // The options that choose a store count only before the command:
        // after it, "--name --data-dir=/x" is the command's (malformed)
        // option, never a store elsewhere. The others may follow it.
        const bool beforeCommand = g.rest.isEmpty();
        const auto named = [&](const char* option) {
            const QLatin1String o(option);
            return arg == o || arg.startsWith(o + QLatin1Char('='));
        };
        const auto is = [&](const char* option) { return beforeCommand && named(option); };
        if (is("--data-dir")) {
            if (!takeValue(QStringLiteral("--data-dir"), &g.dataDir) || g.dataDir.isEmpty())
                return usageError(QStringLiteral("--data-dir needs a directory"));
        } else if (is("--store")) {
            if (!takeValue(QStringLiteral("--store"), &g.storeUrl) || g.storeUrl.isEmpty())
                return usageError(QStringLiteral("--store needs a URL"));
        } else if (is("--passphrase-file")) {
            if (!takeValue(QStringLiteral("--passphrase-file"), &g.passphraseFile) ||
                g.passphraseFile.isEmpty())
                return usageError(QStringLiteral("--passphrase-file needs a file"));
        } else if (is("--demo-sites")) {
            QString n;
            bool ok = takeValue(QStringLiteral("--demo-sites"), &n);
            const int sites = n.trimmed().toInt(&ok);
            if (!ok || sites < 1 || sites > 1000000)
                return usageError(
                    QStringLiteral("--demo-sites expects a number from 1 to 1000000, not \"%1\"")
                        .arg(n.left(20)));
            g.demo = true;
            g.demoSites = sites;
        } else if (named("--ssh-key")) {
            if (!takeValue(QStringLiteral("--ssh-key"), &g.ssh.keyPath) || g.ssh.keyPath.isEmpty())
                return usageError(QStringLiteral("--ssh-key needs a private key file"));
        } else if (arg == QLatin1String("--ssh-agent")) {
            g.ssh.useAgent = true;
        } else if (arg == QLatin1String("--trust-new-host-keys")) {
            g.ssh.trustNewHostKeys = true;
        } else if (arg == QLatin1String("--json")) {
            g.json = true;
        } else if (beforeCommand && arg == QLatin1String("--demo")) {
            g.demo = true;
        } else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            g.help = true;
        } else if (arg == QLatin1String("--version") || arg == QLatin1String("-V")) {
            g.version = true;
        } else {
            g.rest << arg;
        }
    }
    return g;
}

QString CliApp::helpText() const
{
    QString commands;
    for (const auto& c : m_commands)
        commands += QStringLiteral("  %1%2\n").arg(c->name().leftJustified(10), c->summary());
    commands += QStringLiteral("  %1%2\n")
                    .arg(QStringLiteral("help").leftJustified(10),
                         QStringLiteral("help [COMMAND]: this text, or a "
                                        "command's actions and options"));
    return QStringLiteral(
               "Usage: chomctl [GLOBAL OPTIONS] COMMAND [ACTION] [OPTIONS]\n"
               "\n"
               "CHOM Console from the command line: the same store, rules, quotas and audit\n"
               "log as the GUI.\n"
               "\n"
               "Commands:\n") +
           commands +
           QStringLiteral(
               "\n"
               "Global options (--data-dir, --store, --passphrase-file, --demo and\n"
               "--demo-sites before the command, the others anywhere on the line):\n"
               "  --data-dir DIR    store directory (default: $CHOM_DATA_DIR, else the\n"
               "                    per-user data directory; now: %1)\n"
               "  --store URL       a shared PostgreSQL store instead of the local file\n"
               "                    (default: $CHOM_STORE): postgresql://user@host:port/db;\n"
               "                    the password comes from a PGPASSFILE (or ~/.pgpass), else\n"
               "                    the one saved by \"chomctl store password\"; never the URL\n"
               "  --passphrase-file PATH  master passphrase of the encrypted secrets file\n"
               "                    (used when no OS keychain answers; else asked on the\n"
               "                    terminal)\n"
               "  --json            print one JSON document (object or array) on stdout\n"
               "  --demo            fill an empty store with a demo fleet, then run COMMAND\n"
               "                    (if any); refused when the store holds data\n"
               "  --demo-sites N    demo fleet size (default 300, up to 1000000); implies --demo\n"
               "  --ssh-key PATH    private key for SSH (default: $CHOM_SSH_KEY, else the\n"
               "                    identity saved in the console, else ~/.ssh/id_ed25519)\n"
               "  --ssh-agent       authenticate with the running ssh-agent\n"
               "  --trust-new-host-keys  trust a host key seen for the first time (a changed\n"
               "                    key is still refused: chomctl vps trust ID --fingerprint)\n"
               "  -h, --help        show this help (COMMAND --help: that command's help)\n"
               "  -V, --version     print the version\n"
               "\n"
               "Exit codes:\n"
               "  0  success\n"
               "  1  the operation ran and failed (e.g. audit chain broken)\n"
               "  2  usage error: unknown command, action or option, missing or bad value\n"
               "  3  not found: no such tenant, VPS or site\n"
               "  4  store error: cannot open or write the store (busy, read-only, newer schema)\n"
               "  5  refused, nothing changed: validation, quota, duplicate, still in use,\n"
               "     store not empty (demo)\n"
               "On failure stdout stays empty and one line \"chomctl: <message>\" goes to\n"
               "stderr. Set CHOMCTL_DEBUG=1 to see Qt's own diagnostics.\n"
               "\n"
               "Examples:\n"
               "  chomctl tenants add --name \"Acme\" --tier pro\n"
               "  chomctl vps add --hostname web-1.example.net --ip 203.0.113.10\n"
               "  chomctl sites add --tenant 1 --domain shop.example.com --vps web-1.example.net\n"
               "  chomctl --json sites list --ssl-expiring\n"
               "  chomctl audit verify\n")
               .arg(resolveDataDir(QString()));
}

int CliApp::help(const QString& topic, Output& out) const
{
    if (topic.isEmpty() || topic == QLatin1String("help")) {
        out.printLine(helpText().chopped(1));
        return ExitOk;
    }
    const Command* c = find(topic);
    if (!c)
        return out.usage(QStringLiteral("no help for unknown command \"%1\"").arg(shown(topic)));
    out.printLine(
        QStringLiteral("chomctl %1: %2\n\n%3").arg(c->name(), c->summary(), c->usage()).chopped(1));
    return ExitOk;
}

// The master passphrase of the encrypted secrets file, for the store password:
// the --passphrase-file (read now, so a bad path fails before any work), else
// asked on the terminal when the file is first opened.
Status CliApp::setUpPassphrase(const Globals& g, const QString& dataDir)
{
    SessionPassphrase& session = SessionPassphrase::instance();
    session.setSecretsDir(dataDir);
    if (g.passphraseFile.isEmpty()) {
        session.setAsk([](const QString& hint) {
            return askHidden(hint + QStringLiteral("Master passphrase of the encrypted secrets "
                                                   "file (chosen now if it does not exist): "));
        });
        return okStatus();
    }
    auto passphrase = readSecretFileLine(QStringLiteral("--passphrase-file"), g.passphraseFile);
    if (!passphrase)
        return passphrase.error();
    // A wrong passphrase asked again would read the same file: give up at once.
    session.setAsk([value = passphrase.value()](const QString& hint) -> std::optional<QString> {
        if (!hint.isEmpty())
            return std::nullopt;
        return value;
    });
    return okStatus();
}

int CliApp::run(const QStringList& arguments)
{
    auto parsed = parseGlobals(arguments);
    Output out(parsed ? parsed.value().json : false);
    if (!parsed)
        return out.fail(parsed.error());
    const Globals& g = parsed.value();
    *m_ssh = g.ssh;
    if (g.version) {
        out.printLine(QStringLiteral("chomctl %1 (Qt %2)")
                          .arg(QStringLiteral(CHOM_VERSION), QString::fromLatin1(qVersion())));
        return ExitOk;
    }
    const QString name = g.rest.value(0);
    if (g.help)
        return help(name, out);
    if (name == QLatin1String("help")) {
        if (g.rest.size() > 2)
            return out.usage(QStringLiteral("help takes at most one command"));
        return help(g.rest.value(1), out);
    }
    Command* command = nullptr;
    if (!name.isEmpty()) {
        command = find(name);
        if (!command)
            return out.usage(QStringLiteral("unknown command \"%1\"").arg(shown(name)));
    } else if (!g.demo) {
        return out.usage(QStringLiteral("no command given"));
    }

    const QString dataDir = resolveDataDir(g.dataDir);
    const auto config = resolveStoreConfig(g.storeUrl, dataDir);
    if (!config)
        return out.fail(config.error());
    if (auto st = setUpPassphrase(g, dataDir); !st)
        return out.fail(st.error());
    if (command && !command->opensStore())
        return command->runUnopened(config.value(), dataDir, g.rest.mid(1), out);
    StoreConfig storeConfig = config.value();
    // Reading commands open an existing local store read-only (a missing one
    // is created, as any first command does).
    storeConfig.readOnly = command && !g.demo && command->readsOnly(g.rest.mid(1)) &&
                           storeConfig.driver == QLatin1String("QSQLITE") &&
                           QFileInfo(storeConfig.path).isFile();
    auto core = storepassword::openCore(storeConfig,
                                        [dataDir] { return storepassword::openForRead(dataDir); });
    if (!core)
        return out.fail(core.error());
    // Runs a previous process left running can no longer progress. A store
    // too busy to mark them now leaves them for the next start.
    if (auto r = storeConfig.readOnly ? Result<QVector<Id>>(QVector<Id>())
                                      : OperationRunner::recoverInterrupted(core.value()->store());
        !r)
        Output::errorLine(QStringLiteral("warning: %1").arg(r.error().message));
    QStringList rest = g.rest.mid(1);
    if (g.demo && command && command->name() == QLatin1String("demo")) {
        // "--demo-sites N demo" asks for one fill, the demo command's.
        const bool sized = std::any_of(rest.cbegin(), rest.cend(), [](const QString& a) {
            return a == QLatin1String("--sites") || a.startsWith(QLatin1String("--sites="));
        });
        if (g.demoSites && !sized)
            rest = QStringList{QStringLiteral("--sites"), QString::number(g.demoSites)} + rest;
    } else if (g.demo) {
        auto demo = DemoCommand::fill(*core.value(),
                                      g.demoSites ? g.demoSites : DemoCommand::kDefaultSites);
        if (!demo)
            return out.fail(demo.error());
        if (!command) {
            DemoCommand::printSummary(*core.value(), demo.value(), out);
            return ExitOk;
        }
    }
    return command->run(*core.value(), rest, out);
}

} // namespace chom::cli
