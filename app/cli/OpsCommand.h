#pragma once

#include "Command.h"
#include "FleetSession.h"

#include <memory>

namespace chom::cli {

// chomctl ops list|show|cancel|retry: the operations journal.
class OpsCommand : public Command
{
public:
    explicit OpsCommand(std::shared_ptr<const SshOptions> ssh) : m_ssh(std::move(ssh)) {}

    QString name() const override { return QStringLiteral("ops"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;
    bool readsOnly(const QStringList& args) const override
    {
        const QString action = args.value(0, QStringLiteral("list"));
        return action == QLatin1String("list") || action == QLatin1String("show");
    }

private:
    int list(Core& core, const QStringList& args, Output& out);
    int show(Core& core, const QStringList& args, Output& out);
    int cancel(Core& core, const QStringList& args, Output& out);
    int retry(Core& core, const QStringList& args, Output& out);

    std::shared_ptr<const SshOptions> m_ssh;
};

} // namespace chom::cli
