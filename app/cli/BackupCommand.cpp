#include "BackupCommand.h"

#include "ByteFormat.h"
#include "Format.h"
#include "Lookup.h"
#include "backups/SiteBackups.h"
#include "inventory/Core.h"
#include "inventory/SiteService.h"
#include "runtime/Runtime.h"
#include "store/OperationJournal.h"

#include <QJsonArray>

namespace chom::cli {
namespace {

QJsonObject toJson(const SiteBackup& b)
{
    return {{QStringLiteral("id"), b.id},
            {QStringLiteral("site_id"), b.siteId},
            {QStringLiteral("domain"), b.domain},
            {QStringLiteral("type"), b.backupType},
            {QStringLiteral("status"), b.status},
            {QStringLiteral("vps_id"), b.vpsId},
            {QStringLiteral("backup_uid"), b.backupUid},
            {QStringLiteral("snapshot_id"), b.snapshotId},
            {QStringLiteral("size_bytes"), b.sizeBytes},
            {QStringLiteral("database_sha256"), b.checksum},
            {QStringLiteral("created_at"), b.createdAt},
            {QStringLiteral("completed_at"), b.completedAt},
            {QStringLiteral("expires_at"), b.expiresAt},
            {QStringLiteral("verified_at"), b.verifiedAt},
            {QStringLiteral("error"), b.error}};
}

} // namespace

QString BackupCommand::summary() const
{
    return QStringLiteral("Back up sites into their VPS's restic repository; list backups");
}

QString BackupCommand::usage() const
{
    return QStringLiteral(
        "Usage:\n"
        "  chomctl backup create SITE... [--type full|files|database] [--parallel N]\n"
        "                          back up each site (ID or domain) into its VPS's\n"
        "                          repository: one operation, a row per site\n"
        "  chomctl backup list [--site SITE] [--limit N]\n"
        "                          the backups the store records, newest first\n"
        "\n"
        "A full backup holds the site's files and a consistent dump of its database\n"
        "in one snapshot; the repository password of each VPS is made on first use and\n"
        "kept in the console's secret store. Exit status: 0 when every site was backed\n"
        "up, 1 otherwise.");
}

int BackupCommand::run(Core& core, const QStringList& args, Output& out)
{
    const QString action = args.value(0, QStringLiteral("list"));
    if (action == QLatin1String("create"))
        return create(core, args.mid(1), out);
    if (action == QLatin1String("list"))
        return list(core, args.mid(1), out);
    return unknownAction(out, action);
}

int BackupCommand::create(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("type"), QStringLiteral("parallel")}, {}, a, out, &code))
        return code;
    if (a.positionals().isEmpty())
        return out.usage(QStringLiteral("backup create needs at least one site"), name());
    SiteBackups::Request request;
    request.type =
        a.has(QStringLiteral("type")) ? a.value(QStringLiteral("type")) : QStringLiteral("full");
    auto parallel = a.integer(QStringLiteral("parallel"), 4, 1, 32);
    if (!parallel)
        return fail(out, parallel.error());
    request.parallel = int(parallel.value());
    for (const QString& ref : a.positionals()) {
        auto s = findSite(core, ref);
        if (!s)
            return fail(out, s.error());
        request.siteIds << s.value().id;
    }
    auto opened = FleetSession::open(core, *m_ssh);
    if (!opened)
        return fail(out, opened.error());
    auto op = opened.value()->backups().startCreate(request);
    if (!op)
        return fail(out, op.error());
    const QString status = opened.value()->wait(op.value(), out, !out.json());
    QJsonArray rows;
    QVector<QStringList> table;
    for (Id site : request.siteIds) {
        auto b = core.sites().backups(site, 1);
        if (!b || b.value().isEmpty())
            continue;
        const SiteBackup& last = b.value().first();
        rows.append(toJson(last));
        table << QStringList{last.domain, last.status, last.snapshotId, formatBytes(last.sizeBytes),
                             last.error};
    }
    // A step that failed before its backup row existed (no password, the
    // site gone) says why only in the journal.
    QJsonArray errors;
    if (auto steps = core.operations().steps(op.value()))
        for (const Operation& st : steps.value())
            if (!st.error.isEmpty())
                errors.append(
                    QStringLiteral("%1: %2").arg(st.type.section(QLatin1Char('/'), 1), st.error));
    if (out.json()) {
        out.printJson(QJsonObject{{QStringLiteral("operation_id"), op.value()},
                                  {QStringLiteral("operation_status"), status},
                                  {QStringLiteral("backups"), rows},
                                  {QStringLiteral("errors"), errors}});
    } else {
        out.printTable({QStringLiteral("SITE"), QStringLiteral("STATUS"),
                        QStringLiteral("SNAPSHOT"), QStringLiteral("SIZE"),
                        QStringLiteral("ERROR")},
                       table);
        for (const QJsonValue& e : errors)
            out.printLine(e.toString());
    }
    return status == QLatin1String("completed") ? 0 : 1;
}

int BackupCommand::list(Core& core, const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("site"), QStringLiteral("limit")}, {}, a, out, &code))
        return code;
    Id site = 0;
    if (a.has(QStringLiteral("site"))) {
        auto s = findSite(core, a.value(QStringLiteral("site")));
        if (!s)
            return fail(out, s.error());
        site = s.value().id;
    }
    auto limit = a.integer(QStringLiteral("limit"), 100, 1, 100000);
    if (!limit)
        return fail(out, limit.error());
    auto rows = core.sites().backups(site, int(limit.value()));
    if (!rows)
        return fail(out, rows.error());
    QJsonArray json;
    QVector<QStringList> table;
    for (const SiteBackup& b : rows.value()) {
        json.append(toJson(b));
        table << QStringList{QString::number(b.id),
                             b.domain,
                             b.backupType,
                             b.status,
                             formatBytes(b.sizeBytes),
                             formatTime(b.createdAt),
                             formatTime(b.expiresAt),
                             b.snapshotId};
    }
    if (out.json())
        out.printJson(json);
    else
        out.printTable({QStringLiteral("ID"), QStringLiteral("SITE"), QStringLiteral("TYPE"),
                        QStringLiteral("STATUS"), QStringLiteral("SIZE"), QStringLiteral("CREATED"),
                        QStringLiteral("EXPIRES"), QStringLiteral("SNAPSHOT")},
                       table);
    return 0;
}

} // namespace chom::cli
