#pragma once

#include "Command.h"
#include "FleetSession.h"

#include <memory>

namespace chom::cli {

// chomctl sites renewals [--run] [--limit N]: every SSL site's renewal
// verdict (due, waiting, backing off with certbot's last message, skipped
// with why), as the console's hourly pass decides it; --run starts the due
// ones now, each its own operation, and waits for them.
class SiteRenewals : public Command
{
public:
    explicit SiteRenewals(std::shared_ptr<const SshOptions> ssh) : m_ssh(std::move(ssh)) {}

    QString name() const override { return QStringLiteral("sites"); }
    QString summary() const override { return QString(); }
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;

private:
    std::shared_ptr<const SshOptions> m_ssh;
};

} // namespace chom::cli
