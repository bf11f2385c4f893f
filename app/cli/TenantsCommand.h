#pragma once

#include "Command.h"

#include "Domain.h"

namespace chom::cli {

// chomctl tenants list|show|add|update|delete
class TenantsCommand : public RecordCommand
{
public:
    QString name() const override { return QStringLiteral("tenants"); }
    QString summary() const override;
    QString usage() const override;

protected:
    int list(Core& core, const QStringList& args, Output& out) override;
    int show(Core& core, const QStringList& args, Output& out) override;
    int add(Core& core, const QStringList& args, Output& out) override;
    int update(Core& core, const QStringList& args, Output& out) override;
    int remove(Core& core, const QStringList& args, Output& out) override;

private:
    int print(Core& core, Id id, const QString& verb, Output& out);
};

} // namespace chom::cli
