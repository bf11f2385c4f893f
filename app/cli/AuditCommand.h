#pragma once

#include "Command.h"

namespace chom::cli {

// chomctl audit verify|list: the hash-chained audit log.
class AuditCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("audit"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;
    bool readsOnly(const QStringList&) const override { return true; }

private:
    int verify(Core& core, const QStringList& args, Output& out);
    int list(Core& core, const QStringList& args, Output& out);
};

} // namespace chom::cli
