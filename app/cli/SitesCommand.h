#pragma once

#include "Command.h"
#include "SiteFleetActions.h"
#include "SiteRenewals.h"

#include "Domain.h"

namespace chom::cli {

struct SiteContext;

// chomctl sites list|show|add|update|delete
class SitesCommand : public RecordCommand
{
public:
    explicit SitesCommand(std::shared_ptr<const SshOptions> ssh = std::make_shared<SshOptions>())
        : m_fleet(ssh), m_renewals(std::move(ssh))
    {
    }
    QString name() const override { return QStringLiteral("sites"); }
    QString summary() const override;
    QString usage() const override;

protected:
    int list(Core& core, const QStringList& args, Output& out) override;
    int show(Core& core, const QStringList& args, Output& out) override;
    int add(Core& core, const QStringList& args, Output& out) override;
    int update(Core& core, const QStringList& args, Output& out) override;
    int remove(Core& core, const QStringList& args, Output& out) override;
    int runOther(Core& core, const QStringList& args, Output& out) override;

private:
    int print(Core& core, Id id, const QString& verb, Output& out);
    SiteFleetActions m_fleet;
    SiteRenewals m_renewals;
};

} // namespace chom::cli
