#pragma once

#include "Command.h"
#include "FleetSession.h"

#include <memory>

namespace chom::cli {

// chomctl backup create SITE... [--type full|files|database] [--parallel N]
// | list [--site SITE]: backups of sites into their VPS's restic repository
// (a journaled operation, waited for; the repository password from the
// console's secret store) and the backups the store records.
class BackupCommand : public Command
{
public:
    explicit BackupCommand(std::shared_ptr<const SshOptions> ssh) : m_ssh(std::move(ssh)) {}

    QString name() const override { return QStringLiteral("backup"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;
    bool readsOnly(const QStringList& args) const override
    {
        return args.value(0, QStringLiteral("list")) == QLatin1String("list");
    }

private:
    int create(Core& core, const QStringList& args, Output& out);
    int list(Core& core, const QStringList& args, Output& out);

    std::shared_ptr<const SshOptions> m_ssh;
};

} // namespace chom::cli
