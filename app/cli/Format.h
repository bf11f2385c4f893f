#pragma once

#include "ByteFormat.h"

#include "Domain.h"
#include "base/Result.h"

#include <QJsonObject>
#include <QJsonValue>

namespace chom {
struct DemoSummary;
}

namespace chom::cli {

// Text forms for tables.
QString formatTime(qint64 secs); // "2025-03-01 14:05 UTC", "-" when unset
QString formatDate(qint64 secs); // "2025-03-01", "-" when unset
QString sslSummary(const Site& s, qint64 now);

// JSON forms: snake_case keys, ISO-8601 UTC times (null when unset).
QJsonValue jsonTime(qint64 secs);
QJsonValue jsonId(Id id); // null when 0
QJsonObject toJson(const Tenant& t);
QJsonObject toJson(const Vps& v);
QJsonObject toJson(const Site& s, qint64 now);
QJsonObject toJson(const Operation& op);
QJsonObject toJson(const AuditEntry& e);
QJsonObject toJson(const DashboardStats& s);
QJsonObject toJson(const DemoSummary& s);

// Parses "YYYY-MM-DD", an ISO-8601 date-time, "+Nd" (days from now) or
// "none" (0) into Unix seconds.
Result<qint64> parseWhen(const QString& text, qint64 now);

} // namespace chom::cli
