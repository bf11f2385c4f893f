#pragma once

#include "Command.h"
#include "FleetSession.h"

#include <QJsonObject>

#include <memory>
#include <optional>

namespace chom::cli {

// chomctl sites create|provision|enable|disable|destroy|info|php|cache-clear|
// db-export|db-optimize|render|render-check: the site actions
// that reach its VPS (journaled operations, waited for). Used by
// SitesCommand; not a top-level command itself.
class SiteFleetActions : public Command
{
public:
    explicit SiteFleetActions(std::shared_ptr<const SshOptions> ssh) : m_ssh(std::move(ssh)) {}

    static bool handles(const QString& action);
    static QString usageLines();

    QString name() const override { return QStringLiteral("sites"); }
    QString summary() const override { return QString(); }
    QString usage() const override { return usageLines(); }
    int run(Core& core, const QStringList& args, Output& out) override; // args[0] = action

private:
    int create(Core& core, const QStringList& args, Output& out);
    int info(Core& core, const QStringList& args, Output& out);
    // "ACTION ID|DOMAIN [options]": the site, or nullopt with the error
    // printed and *code set.
    std::optional<Site> targetSite(Core& core, const QStringList& raw, const QStringList& options,
                                   Args& a, Output& out, int* code) const;
    // provision, enable, disable, destroy: one site, one operation.
    int onSite(Core& core, const QString& action, const QStringList& args, Output& out);
    int finish(Core& core, FleetSession& session, Id siteId, Id operationId, Output& out);
    // php, cache-clear, db-export, db-optimize, render, ssl-issue, ssl-renew:
    // one operation whose answer (the agent's) is printed; render-check and
    // ssl-status read only.
    int tool(Core& core, const QString& action, const QStringList& args, Output& out);
    int renderCheck(Core& core, const QStringList& args, Output& out);
    int sslStatus(Core& core, const QStringList& args, Output& out);
    // COMMAND DOMAIN EXTRA... on the site's VPS: its answer (printed with
    // --json), or nullopt with the error printed and *code set.
    std::optional<QJsonObject> readOnVps(Core& core, const QStringList& raw, const QString& command,
                                         const QStringList& extra, Site* site, Output& out,
                                         int* code);

    std::shared_ptr<const SshOptions> m_ssh;
};

} // namespace chom::cli
