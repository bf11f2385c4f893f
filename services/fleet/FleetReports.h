#pragma once

#include "Domain.h"

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace chom {

// Outcome of "Test connection", one category an operator can act on.
struct ConnectionTest
{
    Id vpsId = 0;
    QString category; // ok | resolve | refused | timeout | auth_failed | host_key_unknown |
                      // host_key_changed | agent_missing | agent_outdated | breaker_open | error
    QString message;  // human sentence
    QString fingerprint;
    QString oldFingerprint; // host_key_changed
    QString agentVersion;   // when the agent answered
    qint64 durationMs = 0;
};

// One row of a health sweep.
struct HealthReport
{
    Id vpsId = 0;
    QString hostname;
    bool reachable = false;
    VpsHealth health = VpsHealth::Unknown;
    double load1 = 0;
    double memoryPercent = 0;
    double diskPercent = 0;
    QStringList issues;
    QString error;     // transport error or the agent's own error, as it said it
    QString errorCode; // agent code (e.g. INVALID_DOMAIN) or ssh error kind
    qint64 durationMs = 0;
};

QJsonObject toJson(const HealthReport& r);
QJsonObject toJson(const ConnectionTest& t);

} // namespace chom

Q_DECLARE_METATYPE(chom::HealthReport)
Q_DECLARE_METATYPE(chom::ConnectionTest)
