#pragma once

#include "Command.h"

#include "Domain.h"

namespace chom::cli {

// chomctl tenants list|show|add|update|delete
class TenantsCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("tenants"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;

private:
    int list(Core& core, const QStringList& args, Output& out);
    int show(Core& core, const QStringList& args, Output& out);
    int add(Core& core, const QStringList& args, Output& out);
    int update(Core& core, const QStringList& args, Output& out);
    int remove(Core& core, const QStringList& args, Output& out);
    int print(Core& core, Id id, const QString& verb, Output& out);
};

} // namespace chom::cli
