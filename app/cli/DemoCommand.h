#pragma once

#include "Command.h"

#include "store/DemoData.h"

namespace chom::cli {

// chomctl demo [--sites N] [--seed S], also behind the global --demo flag:
// fills an empty store with a realistic fleet; refuses a store holding data.
class DemoCommand : public Command
{
public:
    static constexpr int kDefaultSites = 300;

    QString name() const override { return QStringLiteral("demo"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;

    static Result<DemoSummary> fill(Core& core, int sites, quint32 seed = 42);
    static void printSummary(Core& core, const DemoSummary& summary, Output& out);
};

} // namespace chom::cli
