#include "FleetSession.h"

#include "runtime/Runtime.h"
#include "secrets/SessionPassphrase.h"

#include "Format.h"
#include "base/AppIdentity.h"
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "ssh/SshIdentitySettings.h"
#include "ssh/SshPool.h"
#include "store/OperationJournal.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>

namespace chom::cli {

Result<SshIdentity> SshOptions::identity() const
{
    // The file the console writes its settings to (app/gui/main.cpp's names).
    QSettings console(consoleOrganization(), consoleApplication());
    return SshIdentitySettings(console).resolveForCli(
        {keyPath, useAgent}, qEnvironmentVariable("CHOM_SSH_KEY"),
        QDir::homePath() + QStringLiteral("/.ssh/id_ed25519"));
}

FleetSession::FleetSession(Core& core, const SshOptions& options, const SshIdentity& identity)
    // The run's data directory: its SecretStore keeps the backup passwords.
    : m_core(core),
      m_runtime(std::make_unique<Runtime>(core, SessionPassphrase::instance().secretsDir()))
{
    SshPool::Config config;
    config.trustNewHostKeys = options.trustNewHostKeys;
    m_runtime->startFleet(config);
    fleet().setIdentity(identity);
}

Result<std::unique_ptr<FleetSession>> FleetSession::open(Core& core, const SshOptions& options)
{
    auto id = options.identity();
    if (!id)
        return id.error();
    return std::make_unique<FleetSession>(core, options, id.value());
}

FleetSession::~FleetSession() = default;

FleetService& FleetSession::fleet()
{
    return *m_runtime->fleet();
}

OperationRunner& FleetSession::runner()
{
    return *m_runtime->runner();
}

SshPool& FleetSession::pool()
{
    return *m_runtime->pool();
}

SiteOperations& FleetSession::sites()
{
    return *m_runtime->sites();
}

SiteTools& FleetSession::siteTools()
{
    return *m_runtime->siteTools();
}

SiteCoherency& FleetSession::coherency()
{
    return *m_runtime->coherency();
}

SiteBackups& FleetSession::backups()
{
    return *m_runtime->backups();
}

TenantSites& FleetSession::tenantSites()
{
    return *m_runtime->tenantSites();
}

QString FleetSession::wait(Id operationId, Output& out, bool progress)
{
    QMetaObject::Connection started, finished;
    if (progress && !out.json()) {
        // Called on the runner's threads while this thread waits; the
        // waiting thread prints nothing meanwhile.
        finished = QObject::connect(
            &runner(), &OperationRunner::stepFinished, &runner(),
            [&out, operationId](Id op, int step, bool ok, const QString& error) {
                if (op != operationId)
                    return;
                out.printLine(QStringLiteral("[step %1] %2%3")
                                  .arg(step + 1)
                                  .arg(ok ? QStringLiteral("ok") : QStringLiteral("failed"))
                                  .arg(error.isEmpty() ? QString() : QStringLiteral(": ") + error));
            },
            Qt::DirectConnection);
        started = QObject::connect(
            &runner(), &OperationRunner::stepStarted, &runner(),
            [&out, operationId](Id op, int step, const QString& name) {
                if (op == operationId)
                    out.printLine(QStringLiteral("[step %1] %2 …").arg(step + 1).arg(name));
            },
            Qt::DirectConnection);
    }
    runner().waitForFinished(operationId);
    QObject::disconnect(started);
    QObject::disconnect(finished);
    auto op = m_core.operations().get(operationId);
    return op ? toString(op.value().status) : QStringLiteral("unknown");
}

int printSweep(Core& core, Id operationId, Output& out)
{
    auto steps = core.operations().steps(operationId);
    if (!steps)
        return out.fail(steps.error());
    bool allReachable = true;
    QVector<QStringList> rows;
    if (out.json())
        out.beginJsonArray();
    for (const Operation& s : steps.value()) {
        const QJsonObject r = QJsonDocument::fromJson(s.outputJson.toUtf8()).object();
        const bool reachable = r.value(QStringLiteral("reachable")).toBool(false);
        allReachable = allReachable && reachable;
        if (out.json()) {
            out.printJsonItem(r.isEmpty() ? QJsonObject{{QStringLiteral("step"), s.type},
                                                        {QStringLiteral("reachable"), false},
                                                        {QStringLiteral("error"), s.error}}
                                          : r);
            continue;
        }
        const auto pct = [&](const char* key) {
            return reachable && r.value(QLatin1String("error")).toString().isEmpty()
                       ? QString::number(r.value(QLatin1String(key)).toDouble(), 'f', 1)
                       : QStringLiteral("-");
        };
        QString error = r.value(QStringLiteral("error")).toString();
        if (error.isEmpty())
            error = r.value(QStringLiteral("issues"))
                        .toVariant()
                        .toStringList()
                        .join(QStringLiteral("; "));
        rows << QStringList{
            r.value(QStringLiteral("hostname")).toString(s.type.section(QLatin1Char(' '), 1)),
            r.value(QStringLiteral("health")).toString(QStringLiteral("unknown")),
            pct("load1"),
            pct("memory_percent"),
            pct("disk_percent"),
            error.isEmpty() ? s.error : error};
    }
    if (out.json()) {
        out.endJsonArray();
    } else {
        out.printTable({QStringLiteral("HOSTNAME"), QStringLiteral("HEALTH"),
                        QStringLiteral("LOAD"), QStringLiteral("MEM%"), QStringLiteral("DISK%"),
                        QStringLiteral("ERROR")},
                       rows);
        out.printLine(QStringLiteral("Operation #%1: %2 of %3 host(s) reachable.")
                          .arg(operationId)
                          .arg(std::count_if(steps.value().cbegin(), steps.value().cend(),
                                             [](const Operation& s) {
                                                 return s.status == OperationStatus::Completed;
                                             }))
                          .arg(steps.value().size()));
    }
    return allReachable ? ExitOk : ExitFailed;
}

int printOperation(Core& core, Id operationId, Output& out)
{
    OperationJournal& journal = core.operations();
    auto op = journal.get(operationId);
    if (!op)
        return out.fail(op.error());
    auto steps = journal.steps(operationId);
    if (!steps)
        return out.fail(steps.error());
    const Operation& o = op.value();
    const int code = o.status == OperationStatus::Completed ? ExitOk : ExitFailed;
    if (out.json()) {
        QJsonObject obj = toJson(o);
        QJsonArray arr;
        for (const Operation& s : steps.value())
            arr.append(toJson(s));
        obj.insert(QStringLiteral("steps"), arr);
        out.printJson(obj);
        return code;
    }
    out.printFields(
        {{QStringLiteral("ID"), QString::number(o.id)},
         {QStringLiteral("Type"), o.type},
         {QStringLiteral("Target"), QStringLiteral("%1 #%2").arg(o.targetType).arg(o.targetId)},
         {QStringLiteral("Status"), toString(o.status)},
         {QStringLiteral("Progress"), QStringLiteral("%1%").arg(qRound(o.progress * 100))},
         {QStringLiteral("Created"), formatTime(o.createdAt)},
         {QStringLiteral("Completed"), formatTime(o.completedAt)},
         {QStringLiteral("Error"), o.error.isEmpty() ? QStringLiteral("-") : o.error},
         {QStringLiteral("Input"), o.inputJson}});
    QVector<QStringList> rows;
    int i = 0;
    for (const Operation& s : steps.value())
        rows << QStringList{QString::number(++i), s.type.section(QLatin1Char('/'), 1),
                            toString(s.status), s.error.isEmpty() ? QStringLiteral("-") : s.error};
    out.printLine();
    out.printTable({QStringLiteral("#"), QStringLiteral("STEP"), QStringLiteral("STATUS"),
                    QStringLiteral("ERROR")},
                   rows);
    return code;
}

} // namespace chom::cli
