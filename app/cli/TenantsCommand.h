#pragma once

#include "Command.h"
#include "FleetSession.h"

#include <memory>
#include <optional>

#include "Domain.h"

namespace chom::cli {

// chomctl tenants list|show|add|update|delete
class TenantsCommand : public RecordCommand
{
public:
    explicit TenantsCommand(std::shared_ptr<const SshOptions> ssh = std::make_shared<SshOptions>())
        : m_ssh(std::move(ssh))
    {
    }
    QString name() const override { return QStringLiteral("tenants"); }
    QString summary() const override;
    QString usage() const override;

protected:
    int list(Core& core, const QStringList& args, Output& out) override;
    int show(Core& core, const QStringList& args, Output& out) override;
    int add(Core& core, const QStringList& args, Output& out) override;
    int update(Core& core, const QStringList& args, Output& out) override;
    int remove(Core& core, const QStringList& args, Output& out) override;
    // suspend | activate: the status, then the sites on their VPS.
    int runOther(Core& core, const QStringList& args, Output& out) override;

private:
    int print(Core& core, Id id, const QString& verb, Output& out);
    // "ACTION ID|SLUG": the tenant, or nullopt with the error printed and
    // *code set.
    std::optional<Tenant> targetTenant(Core& core, const QStringList& raw, Output& out, int* code);
    std::shared_ptr<const SshOptions> m_ssh;
};

} // namespace chom::cli
