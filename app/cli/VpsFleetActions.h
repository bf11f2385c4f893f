#pragma once

#include "Command.h"
#include "FleetSession.h"

#include <memory>
#include <optional>

namespace chom::cli {

// chomctl vps test|bootstrap|health|sweep|diag|trust: the actions that reach
// the servers over SSH. Used by VpsCommand; not a top-level command itself.
class VpsFleetActions : public Command
{
public:
    explicit VpsFleetActions(std::shared_ptr<const SshOptions> ssh) : m_ssh(std::move(ssh)) {}

    static bool handles(const QString& action);
    static QString usageLines();

    QString name() const override { return QStringLiteral("vps"); }
    QString summary() const override { return QString(); }
    QString usage() const override { return usageLines(); }
    int run(Core& core, const QStringList& args, Output& out) override; // args[0] = action

private:
    // "ACTION ID|HOSTNAME" with no options: the VPS, or nullopt with the
    // usage error printed and *code set.
    std::optional<Vps> targetVps(Core& core, const QStringList& raw, Output& out, int* code) const;
    int test(Core& core, const QStringList& args, Output& out);
    int bootstrap(Core& core, const QStringList& args, Output& out);
    int health(Core& core, const QStringList& args, Output& out);
    int sweep(Core& core, const QStringList& args, Output& out);
    int diag(Core& core, const QStringList& args, Output& out);
    int trust(Core& core, const QStringList& args, Output& out);

    std::shared_ptr<const SshOptions> m_ssh;
};

} // namespace chom::cli
