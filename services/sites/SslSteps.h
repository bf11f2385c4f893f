#pragma once

#include "Domain.h"
#include "ops/Recipe.h"

namespace chom {

class SiteOperations;

// Gets a site's certificate (ssl:issue) or renews it (ssl:renew)
// on its VPS and records it on the site: SSL on, and the expiry the agent
// read from the certificate. A certbot failure fails the step with certbot's
// own message; the site stays on HTTP.
Step sslStep(SiteOperations& sites, Id siteId, bool renew);

} // namespace chom
