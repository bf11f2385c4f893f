#include "backups/SiteBackups.h"

#include "base/Json.h"

#include "backups/BackupPasswords.h"
#include "fleet/AgentProtocol.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "ops/OperationKind.h"
#include "ops/OperationRunner.h"
#include "store/AuditLog.h"
#include "store/BackupRepository.h"
#include "store/Mutation.h"
#include "store/SiteRepository.h"
#include "store/TenantRepository.h"
#include "store/VpsRepository.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>

namespace chom {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("chom::SiteBackups", text);
}

// backup.create: input {"site_ids": [N, ...], "type", "parallel"}; step i
// backed up site_ids[i]. A retry runs only the sites whose step failed.
class CreateKind final : public OperationKind
{
public:
    explicit CreateKind(SiteBackups& backups) : m_backups(backups) {}
    QString type() const override { return optype::kBackupCreate; }
    Status validateInput(const QJsonObject& input) const override
    {
        return requireIds(input, QStringLiteral("site_ids"), QStringLiteral("site"));
    }
    Result<Id> retry(const Operation& op, const QJsonObject& input,
                     const QVector<Operation>& steps) override
    {
        SiteBackups::Request r;
        r.type = input.value(QStringLiteral("type")).toString(QStringLiteral("full"));
        r.parallel = input.value(QStringLiteral("parallel")).toInt(4);
        r.siteIds = notCompleted(input.value(QStringLiteral("site_ids")).toArray(), steps);
        if (r.siteIds.isEmpty())
            return makeError(
                QStringLiteral("not_retryable"),
                tr("Every site of operation #%1 was backed up; nothing to retry.").arg(op.id));
        return m_backups.startCreate(r);
    }

private:
    SiteBackups& m_backups;
};

} // namespace

QString SiteBackups::newBackupUid()
{
    return QStringLiteral("b%1-%2")
        .arg(QDateTime::currentSecsSinceEpoch(), 0, 36)
        .arg(QRandomGenerator::system()->generate64() & 0xffffffffffffULL, 0, 36);
}

Status SiteBackups::check(const Request& request, QVector<Site>* sites) const
{
    static const QStringList types{QStringLiteral("full"), QStringLiteral("files"),
                                   QStringLiteral("database")};
    if (request.siteIds.isEmpty())
        return makeError(QStringLiteral("invalid_input"), tr("No site is selected."));
    if (!types.contains(request.type))
        return makeError(QStringLiteral("invalid_input"),
                         tr("A backup is full, files or database, not \"%1\".").arg(request.type));
    SiteRepository repo(m_fleet.core().store());
    for (Id id : request.siteIds) {
        auto s = repo.get(id);
        if (!s)
            return s.error();
        if (!s.value().vpsId)
            return makeError(
                QStringLiteral("not_placed"),
                tr("%1 is not on a VPS: there is nothing to back up.").arg(s.value().domain));
        if (request.type == QLatin1String("database") && s.value().type == SiteType::Html)
            return makeError(
                QStringLiteral("no_database"),
                tr("%1 is a static html site: it has no database.").arg(s.value().domain));
        *sites << s.value();
    }
    return okStatus();
}

Result<Id> SiteBackups::startCreate(const Request& request)
{
    QVector<Site> sites;
    if (auto st = check(request, &sites); !st)
        return st.error();
    Recipe r;
    r.type = optype::kBackupCreate;
    r.targetType = sites.size() == 1 ? QStringLiteral("site") : QStringLiteral("fleet");
    r.targetId = sites.size() == 1 ? sites.first().id : 0;
    r.tenantId = sites.size() == 1 ? sites.first().tenantId : 0;
    r.mode = Recipe::Mode::Parallel;
    r.parallelLimit = qBound(1, request.parallel, 32);
    r.policy = Recipe::Policy::ContinueAndReport;
    QJsonArray ids;
    for (const Site& s : sites) {
        ids.append(s.id);
        r.steps << createStep(s.id, request.type);
        r.steps.last().name = s.domain;
        r.steps.last().timeoutMs = 6 * 3600 * 1000; // a big site's first backup
    }
    r.inputJson = compactJson({{QStringLiteral("site_ids"), ids},
                               {QStringLiteral("type"), request.type},
                               {QStringLiteral("parallel"), r.parallelLimit}});
    return m_fleet.runner().start(std::move(r));
}

Result<SiteBackup> SiteBackups::begin(const Site& site, const Vps& vps, const QString& type)
{
    Store& store = m_fleet.core().store();
    int retention = 7;
    if (auto t = TenantRepository(store).get(site.tenantId))
        if (auto tier = TierRepository(store).get(t.value().tier))
            retention = tier.value().backupRetentionDays;
    SiteBackup b;
    b.siteId = site.id;
    b.domain = site.domain;
    b.vpsId = vps.id;
    b.backupType = type;
    b.backupUid = newBackupUid();
    b.status = QStringLiteral("running");
    b.retentionDays = retention;
    b.storagePath = QStringLiteral("restic:%1").arg(vps.hostname);
    auto id = inTransaction<Id>(store, [&]() -> Result<Id> {
        auto inserted = BackupRepository(store).insert(b);
        if (!inserted)
            return inserted;
        if (auto st = AuditLog(store).append(
                QStringLiteral("backup.started"), QStringLiteral("backup"),
                QString::number(inserted.value()),
                QStringLiteral("%1 %2 on %3").arg(site.domain, type, vps.hostname));
            !st)
            return st.error();
        return inserted;
    });
    if (!id)
        return id.error();
    b.id = id.value();
    m_fleet.core().notifier().notify(ChangeNotifier::Entity::Backups, {b.id});
    return b;
}

Status SiteBackups::finish(SiteBackup b, const QString& action, const QString& detail)
{
    Store& store = m_fleet.core().store();
    auto st = inTransaction<Unit>(store, [&]() -> Status {
        if (auto u = BackupRepository(store).updateOutcome(b); !u)
            return u;
        return AuditLog(store).append(action, QStringLiteral("backup"), QString::number(b.id),
                                      detail);
    });
    m_fleet.core().notifier().notify(ChangeNotifier::Entity::Backups, {b.id});
    return st;
}

Step SiteBackups::createStep(Id siteId, const QString& type)
{
    return {QString(), [this, siteId, type](StepContext& ctx) {
                Store& store = m_fleet.core().store();
                auto site = SiteRepository(store).get(siteId);
                if (!site)
                    return StepOutcome::failure(site.errorMessage());
                auto vps = VpsRepository(store).get(site.value().vpsId);
                if (!vps)
                    return StepOutcome::failure(vps.errorMessage());
                auto password = m_passwords.forVps(vps.value().id);
                if (!password)
                    return StepOutcome::failure(password.errorMessage());
                auto row = begin(site.value(), vps.value(), type);
                if (!row)
                    return StepOutcome::failure(row.errorMessage());
                SiteBackup b = row.value();
                ctx.log(tr("backup %1 of %2 into the repository on %3")
                            .arg(b.backupUid, b.domain, vps.value().hostname));
                const AgentReply a =
                    m_fleet.callAgent(vps.value(), QStringLiteral("backup:create"),
                                      {password.value(), site.value().domain, b.backupUid, type});
                const qint64 now = QDateTime::currentSecsSinceEpoch();
                b.completedAt = now;
                if (!a.ok()) {
                    b.status = QStringLiteral("failed");
                    b.error = QStringLiteral("%1: %2").arg(a.code, a.message);
                    (void)finish(b, QStringLiteral("backup.failed"), b.error.left(300));
                    return StepOutcome::failure(b.error);
                }
                const QJsonObject summary = a.data.value(QStringLiteral("summary")).toObject();
                const QJsonObject manifest = a.data.value(QStringLiteral("manifest")).toObject();
                b.status = QStringLiteral("completed");
                b.snapshotId = summary.value(QStringLiteral("snapshot_id")).toString();
                b.sizeBytes = summary.value(QStringLiteral("total_bytes_processed")).toInteger();
                b.checksum = manifest.value(QStringLiteral("database_sha256")).toString();
                b.expiresAt = now + qint64(b.retentionDays) * 86400;
                if (auto st = finish(b, QStringLiteral("backup.completed"),
                                     QStringLiteral("%1 snapshot %2").arg(b.domain, b.snapshotId));
                    !st)
                    return StepOutcome::failure(st.errorMessage());
                ctx.log(tr("snapshot %1, %2 bytes").arg(b.snapshotId).arg(b.sizeBytes));
                return StepOutcome::success(
                    compactJson({{QStringLiteral("backup_id"), b.id},
                                 {QStringLiteral("backup_uid"), b.backupUid},
                                 {QStringLiteral("snapshot_id"), b.snapshotId},
                                 {QStringLiteral("size_bytes"), b.sizeBytes}}));
            }};
}

std::unique_ptr<OperationKind> SiteBackups::createKind()
{
    return std::make_unique<CreateKind>(*this);
}

} // namespace chom
