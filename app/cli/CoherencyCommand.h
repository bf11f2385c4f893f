#pragma once

#include "Command.h"
#include "FleetSession.h"

#include <memory>

namespace chom {
struct CoherencyReport;
}

namespace chom::cli {

// chomctl coherency [check] [--vps V]... | report | heal --confirm: the
// coherency check of the sites against their VPS (a journaled operation,
// waited for), the last report, and the one repair it offers (re-render the
// configs that drifted).
class CoherencyCommand : public Command
{
public:
    explicit CoherencyCommand(std::shared_ptr<const SshOptions> ssh) : m_ssh(std::move(ssh)) {}

    QString name() const override { return QStringLiteral("coherency"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;
    bool readsOnly(const QStringList& args) const override
    {
        return args.value(0) == QLatin1String("report");
    }

private:
    int check(Core& core, const QStringList& args, Output& out);
    int report(Core& core, const QStringList& args, Output& out);
    int heal(Core& core, const QStringList& args, Output& out);
    // Exit 0 when nothing was found and every host answered, else 1.
    static int print(const CoherencyReport& r, Output& out);

    std::shared_ptr<const SshOptions> m_ssh;
};

} // namespace chom::cli
