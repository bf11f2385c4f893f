#pragma once

#include "Domain.h"
#include "base/Result.h"
#include "ops/Recipe.h"

#include <memory>

namespace chom {

class BackupPasswords;
class FleetService;
class OperationKind;

// Backups of sites into their VPS's restic repository, a journaled
// operation: one step per site (a parallel limit; every site tried whatever
// the others do; a retry runs only the failed ones). Each backup is a row
// of its own, recorded before the agent is asked (running), then completed
// with its snapshot, size, dump checksum and expiry (the tenant's tier
// retention), or failed with the agent's words.
class SiteBackups
{
public:
    struct Request
    {
        QVector<Id> siteIds;
        QString type = QStringLiteral("full"); // full | files | database
        int parallel = 4;
    };

    SiteBackups(FleetService& fleet, BackupPasswords& passwords)
        : m_fleet(fleet), m_passwords(passwords)
    {
    }

    // Refused before anything runs: no site, an unknown type, an unplaced
    // site, a database backup of a site without one.
    [[nodiscard]] Result<Id> startCreate(const Request& request);
    std::unique_ptr<OperationKind> createKind();

    static QString newBackupUid();

private:
    [[nodiscard]] Status check(const Request& request, QVector<Site>* sites) const;
    Step createStep(Id siteId, const QString& type);
    [[nodiscard]] Result<SiteBackup> begin(const Site& site, const Vps& vps, const QString& type);
    [[nodiscard]] Status finish(SiteBackup b, const QString& action, const QString& detail);

    FleetService& m_fleet;
    BackupPasswords& m_passwords;
};

} // namespace chom
