#include "SiteFleetUsage.h"

namespace chom::cli {

QString siteFleetUsage()
{
    return QStringLiteral(
        "On the site's VPS (over SSH, as journaled operations; waited for):\n"
        "  chomctl sites create --tenant ID|NAME --domain D\n"
        "                       --type html|php|wordpress|laravel [--php 8.2]\n"
        "                       [--vps ID|HOSTNAME]\n"
        "                                        record the site (quota, uniqueness) and\n"
        "                                        provision it: placed on the least-loaded\n"
        "                                        healthy VPS unless --vps, created there,\n"
        "                                        verified over HTTP\n"
        "  chomctl sites provision ID|DOMAIN     provision again (a failed site, a re-render)\n"
        "  chomctl sites info ID|DOMAIN          what its VPS says: registry entry, disk\n"
        "                                        usage, whether nginx serves it\n"
        "  chomctl sites enable ID|DOMAIN        serve it again\n"
        "  chomctl sites disable ID|DOMAIN       stop serving it (files stay)\n"
        "  chomctl sites destroy ID|DOMAIN --confirm DOMAIN\n"
        "                                        remove it from its VPS (files, user,\n"
        "                                        config) and from the inventory\n"
        "  chomctl sites php ID|DOMAIN --php V  move it to another installed PHP\n"
        "  chomctl sites cache-clear ID|DOMAIN   empty its caches, reset OPcache\n"
        "  chomctl sites db-export ID|DOMAIN     dump its database on the VPS (gzip)\n"
        "  chomctl sites db-optimize ID|DOMAIN   optimize its database tables\n"
        "  chomctl sites render-check ID|DOMAIN  compare its config with the template\n"
        "                                        (exit 4 when it drifted)\n"
        "  chomctl sites render ID|DOMAIN        render the drifted config again\n"
        "  chomctl sites ssl-issue ID|DOMAIN     get a certificate, move the site to HTTPS\n"
        "  chomctl sites ssl-renew ID|DOMAIN     renew its certificate now\n"
        "  chomctl sites ssl-status ID|DOMAIN    its certificate as its VPS holds it\n");
}

} // namespace chom::cli
