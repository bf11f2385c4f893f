#pragma once

#include "Command.h"

namespace chom::cli {

// chomctl stats [--tenant ID]: the dashboard figures.
class StatsCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("stats"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;
    bool readsOnly(const QStringList&) const override { return true; }
};

} // namespace chom::cli
