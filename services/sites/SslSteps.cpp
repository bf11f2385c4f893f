#include "sites/SslSteps.h"

#include "base/Json.h"

#include "sites/SiteOperations.h"

#include "fleet/AgentProtocol.h"

#include <QCoreApplication>
#include <QDateTime>

namespace chom {

Step sslStep(SiteOperations& sites, Id siteId, bool renew)
{
    const QString command = renew ? QStringLiteral("ssl:renew") : QStringLiteral("ssl:issue");
    return sites.agentStep(
        renew ? QStringLiteral("renew the certificate") : QStringLiteral("issue a certificate"),
        siteId, command, [](const Site& x) { return QStringList{x.domain}; },
        [&sites, siteId](StepContext& ctx, const Site&, const Vps&, const AgentReply& a) {
            const qint64 expires = a.data.value(QStringLiteral("not_after")).toInteger();
            const qint64 issued = a.data.value(QStringLiteral("not_before")).toInteger();
            if (auto st = sites.record(siteId,
                                       [&](Site& y) {
                                           y.sslEnabled = true;
                                           y.sslExpiresAt = expires;
                                           y.sslIssuedAt = issued;
                                       });
                !st)
                return StepOutcome::failure(st.errorMessage());
            ctx.log(
                QCoreApplication::translate("chom::SslSteps", "certificate from %1, valid until %2")
                    .arg(a.data.value(QStringLiteral("issuer")).toString(),
                         QDateTime::fromSecsSinceEpoch(expires, Qt::UTC).toString(Qt::ISODate)));
            return StepOutcome::success(compactJson(a.data));
        });
}

} // namespace chom
