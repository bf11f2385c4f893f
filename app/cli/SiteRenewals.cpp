#include "SiteRenewals.h"

#include "inventory/Core.h"
#include "sites/RenewalPass.h"

#include <QDateTime>
#include <QJsonArray>

namespace chom::cli {
namespace {

QString when(qint64 t)
{
    return t > 0 ? QDateTime::fromSecsSinceEpoch(t, Qt::UTC).toString(Qt::ISODate)
                 : QStringLiteral("-");
}

QJsonObject toJson(const RenewalRow& r)
{
    return {{QStringLiteral("site_id"), r.site.id},
            {QStringLiteral("domain"), r.site.domain},
            {QStringLiteral("expires_at"), r.site.sslExpiresAt},
            {QStringLiteral("verdict"), RenewalPolicy::toString(r.decision.verdict)},
            {QStringLiteral("due_at"), r.decision.dueAt},
            {QStringLiteral("reason"), r.decision.reason},
            {QStringLiteral("start_now"), r.startNow}};
}

} // namespace

QString SiteRenewals::usage() const
{
    return QStringLiteral(
        "  chomctl sites renewals [--run] [--limit N]\n"
        "                                        each SSL site's renewal: due,\n"
        "                                        waiting, backing off (with\n"
        "                                        certbot's message), skipped;\n"
        "                                        --run renews the due ones now\n");
}

int SiteRenewals::run(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw.mid(1), {QStringLiteral("limit")}, {QStringLiteral("run")}, a, out, &code))
        return code;
    auto limit = a.integer(QStringLiteral("limit"), 20, 1, 1000);
    if (!limit)
        return fail(out, limit.error());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (!a.has(QStringLiteral("run"))) {
        auto rows = RenewalPass::plan(core.store(), now, int(limit.value()));
        if (!rows)
            return fail(out, rows.error());
        QJsonArray json;
        QVector<QStringList> table;
        for (const RenewalRow& r : rows.value()) {
            json.append(toJson(r));
            table << QStringList{r.site.domain, RenewalPolicy::toString(r.decision.verdict),
                                 when(r.decision.dueAt), r.decision.reason};
        }
        if (out.json())
            out.printJson(json);
        else
            out.printTable({QStringLiteral("SITE"), QStringLiteral("VERDICT"),
                            QStringLiteral("DUE"), QStringLiteral("WHY")},
                           table);
        return 0;
    }
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    FleetSession& session = *opened.value();
    auto pass = RenewalPass::run(core.store(), session.siteTools(), now, int(limit.value()));
    if (!pass)
        return fail(out, pass.error());
    int failed = int(pass.value().notStarted.size());
    QJsonArray results;
    for (Id op : pass.value().operations) {
        const QString status = session.wait(op, out, false);
        failed += status != QLatin1String("completed");
        results.append(
            QJsonObject{{QStringLiteral("operation_id"), op}, {QStringLiteral("status"), status}});
        if (!out.json())
            out.printLine(QStringLiteral("operation #%1 %2").arg(op).arg(status));
    }
    for (const QString& n : pass.value().notStarted)
        if (!out.json())
            out.printLine(QStringLiteral("not started: %1").arg(n));
    if (out.json())
        out.printJson(QJsonObject{
            {QStringLiteral("renewals"), results},
            {QStringLiteral("not_started"), QJsonArray::fromStringList(pass.value().notStarted)}});
    else if (pass.value().operations.isEmpty())
        out.printLine(QStringLiteral("No certificate is due."));
    return failed ? 1 : 0;
}

} // namespace chom::cli
