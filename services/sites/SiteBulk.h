#pragma once

#include "Domain.h"
#include "base/Result.h"

#include <QString>
#include <QVector>

#include <memory>
#include <optional>

namespace chom {

class OperationKind;
class SiteOperations;
class SiteTools;

// One action over a selection of sites (enable, disable, renew SSL, clear
// the cache, change PHP), a journaled operation with one step per site:
// a parallel limit, every site tried whatever the others do, and a retry
// that runs only the sites whose step failed.
class SiteBulk
{
public:
    enum class Action
    {
        Enable,
        Disable,
        SslRenew,
        CacheClear,
        Php
    };
    struct Request
    {
        Action action = Action::Enable;
        QVector<Id> siteIds;
        QString php; // Action::Php
        int parallel = 8;
    };

    SiteBulk(SiteOperations& sites, SiteTools& tools) : m_sites(sites), m_tools(tools) {}

    // Refused before anything runs: no site, an unknown or unplaced site,
    // a PHP change without a version or onto a static html site.
    [[nodiscard]] Result<Id> start(const Request& request);
    std::unique_ptr<OperationKind> kind();

    static QString toString(Action a);
    static std::optional<Action> actionFrom(const QString& name);
    static QStringList actionNames();

private:
    [[nodiscard]] Status check(const Request& request, QVector<Site>* sites) const;

    SiteOperations& m_sites;
    SiteTools& m_tools;
};

} // namespace chom
