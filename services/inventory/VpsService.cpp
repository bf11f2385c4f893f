#include "inventory/VpsService.h"

#include "base/ChangeNotifier.h"
#include "inventory/Validation.h"
#include "store/AuditLog.h"
#include "store/Mutation.h"
#include "store/VpsRepository.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace chom {
namespace {

Error bad(const QString& message)
{
    return makeError(QStringLiteral("invalid_vps"), message);
}

Status checkUnique(Store& store, const Vps& v)
{
    auto taken = VpsRepository(store).hostnameTaken(v.hostname, v.id);
    if (!taken)
        return taken.error();
    if (taken.value())
        return makeError(
            QStringLiteral("duplicate_hostname"),
            QCoreApplication::translate("chom::VpsService", "A VPS named %1 already exists.")
                .arg(v.hostname));
    return okStatus();
}

} // namespace

Result<Vps> VpsService::normalized(const Vps& input)
{
    Vps v = input;
    auto host = validation::normalizeHostname(input.hostname);
    if (!host)
        return host.error();
    v.hostname = host.value();
    auto ip = validation::normalizeIpAddress(input.ipAddress);
    if (!ip)
        return ip.error();
    v.ipAddress = ip.value();
    auto port = validation::validatePort(input.sshPort);
    if (!port)
        return port.error();
    static const QRegularExpression user(QStringLiteral("^[a-z_][a-z0-9_-]{0,31}$"));
    if (!user.match(v.sshUser).hasMatch())
        return bad(QStringLiteral("\"%1\" is not a valid SSH user name.").arg(v.sshUser.left(40)));
    for (const auto& [what, value] : {std::pair{QStringLiteral("The provider"), v.provider},
                                      std::pair{QStringLiteral("The region"), v.region}})
        if (auto t = validation::validateText(what, value, 50); !t)
            return t.error();
    if (v.specCpu < 1 || v.specCpu > 128)
        return bad(QStringLiteral("CPU count must be 1–128."));
    if (v.specMemoryMb < 512 || v.specMemoryMb > 524288)
        return bad(QStringLiteral("Memory must be 512–524288 MB."));
    if (v.specDiskGb < 10 || v.specDiskGb > 10000)
        return bad(QStringLiteral("Disk must be 10–10000 GB."));
    return v;
}

Result<Id> VpsService::create(const Vps& input)
{
    auto norm = normalized(input);
    if (!norm)
        return norm.error();
    auto id = inTransaction<Id>(m_store, [&]() -> Result<Id> {
        auto u = checkUnique(m_store, norm.value());
        if (!u)
            return u.error();
        auto id = VpsRepository(m_store).insert(norm.value());
        if (!id)
            return id;
        auto a = AuditLog(m_store).append(QStringLiteral("vps.created"), QStringLiteral("vps"),
                                          QString::number(id.value()),
                                          QStringLiteral("hostname=%1 ip=%2:%3")
                                              .arg(norm.value().hostname, norm.value().ipAddress)
                                              .arg(norm.value().sshPort));
        if (!a)
            return a.error();
        return id;
    });
    if (id)
        m_notifier.notify(ChangeNotifier::Entity::Vps, {id.value()});
    return id;
}

Status VpsService::update(const Vps& input)
{
    auto norm = normalized(input);
    if (!norm)
        return norm.error();
    auto st = inTransaction<Unit>(m_store, [&]() -> Status {
        VpsRepository repo(m_store);
        auto before = repo.get(input.id);
        if (!before)
            return before.error();
        auto u = checkUnique(m_store, norm.value());
        if (!u)
            return u;
        auto w = repo.update(norm.value());
        if (!w)
            return w;
        return AuditLog(m_store).append(
            QStringLiteral("vps.updated"), QStringLiteral("vps"), QString::number(input.id),
            QStringLiteral("hostname %1→%2; ip %3→%4; status %5→%6")
                .arg(before.value().hostname, norm.value().hostname, before.value().ipAddress,
                     norm.value().ipAddress, toString(before.value().status),
                     toString(norm.value().status)));
    });
    if (st)
        m_notifier.notify(ChangeNotifier::Entity::Vps, {input.id});
    return st;
}

Status VpsService::setStatus(Id id, VpsStatus status)
{
    auto before = VpsRepository(m_store).get(id);
    if (!before)
        return before.error();
    Vps v = before.value();
    v.status = status;
    return update(v);
}

Status VpsService::remove(Id id)
{
    auto st = inTransaction<Unit>(m_store, [&]() -> Status {
        VpsRepository repo(m_store);
        auto before = repo.get(id);
        if (!before)
            return before.error();
        if (before.value().siteCount > 0)
            return makeError(
                QStringLiteral("has_sites"),
                QCoreApplication::translate(
                    "chom::VpsService", "VPS %1 still hosts %2 site(s); move or delete them first.")
                    .arg(before.value().hostname)
                    .arg(before.value().siteCount));
        auto r = repo.remove(id);
        if (!r)
            return r;
        return AuditLog(m_store).append(QStringLiteral("vps.deleted"), QStringLiteral("vps"),
                                        QString::number(id),
                                        QStringLiteral("hostname=%1").arg(before.value().hostname));
    });
    if (st)
        m_notifier.notify(ChangeNotifier::Entity::Vps, {id});
    return st;
}

Result<QVector<Vps>> VpsService::list() const
{
    return VpsRepository(m_store).list();
}

Result<Vps> VpsService::get(Id id) const
{
    return VpsRepository(m_store).get(id);
}

} // namespace chom
