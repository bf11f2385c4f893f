#pragma once

#include "Args.h"
#include "Output.h"

#include "Domain.h"

#include <QHash>
#include <optional>

namespace chom {
class Core;
}

namespace chom::cli {

// Names for the IDs a site refers to, loaded once per command.
struct SiteContext
{
    QHash<Id, QString> tenantNames;
    QHash<Id, QString> vpsNames;
    qint64 now = 0;

    static Result<SiteContext> load(Core& core);
    QString tenantName(Id id) const;
    QString vpsName(Id id) const;
};

// Options shared by `sites add` and `sites update`.
QStringList siteEditOptions();

// Copies the editable options onto `s`, resolving --tenant and --vps. The
// status is returned separately: it goes through SiteService::setStatus.
Status applySiteOptions(Core& core, const Args& a, qint64 now, Site& s,
                        std::optional<SiteStatus>* status);

// "xn--bcher-kva.de (bücher.de)" for internationalised names, else the domain.
QString displayDomain(const QString& stored);

QStringList siteRow(const Site& s, const SiteContext& ctx);
QStringList siteHeaders();
Fields siteFields(const Site& s, const SiteContext& ctx);

} // namespace chom::cli
