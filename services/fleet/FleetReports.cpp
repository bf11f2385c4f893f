// The fleet's reports as JSON (chomctl --json, journal step outputs).
#include "fleet/FleetReports.h"

#include <QJsonArray>

namespace chom {

QJsonObject toJson(const HealthReport& r)
{
    return {{QStringLiteral("vps_id"), r.vpsId},
            {QStringLiteral("hostname"), r.hostname},
            {QStringLiteral("reachable"), r.reachable},
            {QStringLiteral("health"), toString(r.health)},
            {QStringLiteral("load1"), r.load1},
            {QStringLiteral("memory_percent"), r.memoryPercent},
            {QStringLiteral("disk_percent"), r.diskPercent},
            {QStringLiteral("issues"), QJsonArray::fromStringList(r.issues)},
            {QStringLiteral("error"), r.error},
            {QStringLiteral("error_code"), r.errorCode},
            {QStringLiteral("duration_ms"), r.durationMs}};
}

QJsonObject toJson(const ConnectionTest& t)
{
    return {{QStringLiteral("vps_id"), t.vpsId},
            {QStringLiteral("category"), t.category},
            {QStringLiteral("message"), t.message},
            {QStringLiteral("fingerprint"), t.fingerprint},
            {QStringLiteral("old_fingerprint"), t.oldFingerprint},
            {QStringLiteral("agent_version"), t.agentVersion},
            {QStringLiteral("duration_ms"), t.durationMs}};
}

} // namespace chom
