#pragma once

#include "Command.h"

namespace chom::cli {

// chomctl store password|forget-password: the PostgreSQL store's password
// in the SecretStore, for the console and chomctl to log in with. Runs
// before the store is opened (without the password it may not open).
class StoreCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("store"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;
    bool opensStore() const override { return false; }
    int runUnopened(const StoreConfig& config, const QString& dataDir, const QStringList& args,
                    Output& out) override;

private:
    bool accepts(const StoreConfig& config, const QStringList& raw, Output& out,
                 int* exitCode) const;
    int savePassword(const StoreConfig& config, const QString& dataDir, const QStringList& args,
                     Output& out);
    int forgetPassword(const StoreConfig& config, const QString& dataDir, const QStringList& args,
                       Output& out);
};

} // namespace chom::cli
