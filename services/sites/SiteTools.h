#pragma once

#include "Domain.h"
#include "base/Result.h"
#include "ops/Recipe.h"

#include <memory>
#include <vector>

namespace chom {

class OperationKind;
class SiteOperations;

// The site tools on its VPS, each a journaled operation of one agent step
// whose output is the agent's answer: clear the caches, export the database
// (path, size, SHA-256 on the VPS), optimize it, re-render the config from
// its template, issue or renew its certificate, move to another PHP
// version (the last three recorded on the site).
class SiteTools
{
public:
    enum class Tool
    {
        CacheClear,
        DatabaseExport,
        DatabaseOptimize,
        Render,
        SslIssue,
        SslRenew
    };

    explicit SiteTools(SiteOperations& sites) : m_sites(sites) {}

    [[nodiscard]] Result<Id> start(Id siteId, Tool tool);
    [[nodiscard]] Result<Id> startSetPhp(Id siteId, const QString& version);
    std::vector<std::unique_ptr<OperationKind>> kinds();
    // The tools' steps, for operations over many sites.
    Step step(Id siteId, Tool tool);
    Step phpStep(Id siteId, const QString& version);

    static QString type(Tool tool);
    static QString command(Tool tool);

private:
    SiteOperations& m_sites;
};

} // namespace chom
