#pragma once

#include "Command.h"
#include "FleetSession.h"

#include <memory>
#include <vector>

namespace chom::cli {

// Global options, help and dispatch to one Command per subcommand.
class CliApp
{
public:
    CliApp();
    ~CliApp();

    // `arguments` excludes the program name. Returns the process exit code.
    int run(const QStringList& arguments);

private:
    struct Globals
    {
        QString dataDir;
        QString storeUrl;       // empty: $CHOM_STORE, else the SQLite file in dataDir
        QString passphraseFile; // master passphrase of the encrypted secrets file
        bool json = false;
        bool demo = false;
        int demoSites = 0; // 0: the default
        bool help = false;
        bool version = false;
        SshOptions ssh;
        QStringList rest; // command name and its arguments
    };

    Result<Globals> parseGlobals(const QStringList& arguments) const;
    Command* find(const QString& name) const;
    static Status setUpPassphrase(const Globals& g, const QString& dataDir);
    QString helpText() const;
    int help(const QString& topic, Output& out) const;

    std::vector<std::unique_ptr<Command>> m_commands;
    std::shared_ptr<SshOptions> m_ssh = std::make_shared<SshOptions>();
};

} // namespace chom::cli
