#include "base/Result.h"

#include <QStringList>

namespace chom {

QString toString(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Usage:
        return QStringLiteral("usage");
    case ErrorKind::NotFound:
        return QStringLiteral("not_found");
    case ErrorKind::Rule:
        return QStringLiteral("rule");
    case ErrorKind::Conflict:
        return QStringLiteral("conflict");
    case ErrorKind::Store:
        return QStringLiteral("store");
    case ErrorKind::Transport:
        return QStringLiteral("transport");
    case ErrorKind::Remote:
        return QStringLiteral("remote");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    case ErrorKind::Internal:
        break;
    }
    return QStringLiteral("internal");
}

// One table for every layer's codes (inventory rules, store, SSH categories,
// agent codes, metrics errors), so no front-end keeps its own list.
ErrorKind Error::kindOfCode(const QString& c)
{
    static const QStringList usage{QStringLiteral("usage"), QStringLiteral("invalid_argument"),
                                   QStringLiteral("invalid_input")};
    static const QStringList rule{
        QStringLiteral("quota_exceeded"),  QStringLiteral("has_sites"),
        QStringLiteral("not_empty"),       QStringLiteral("tenant_inactive"),
        QStringLiteral("vps_unavailable"), QStringLiteral("not_cancellable"),
        QStringLiteral("not_retryable"),   QStringLiteral("no_targets"),
        QStringLiteral("invalid_recipe"),  QStringLiteral("no_fleet")};
    static const QStringList conflict{QStringLiteral("conflict")};
    static const QStringList transport{
        QStringLiteral("resolve"),         QStringLiteral("refused"),
        QStringLiteral("timeout"),         QStringLiteral("disconnected"),
        QStringLiteral("breaker_open"),    QStringLiteral("auth_failed"),
        QStringLiteral("transport"),       QStringLiteral("host_key_changed"),
        QStringLiteral("host_key_unknown")};
    if (usage.contains(c) || c.startsWith(QLatin1String("usage_")))
        return ErrorKind::Usage;
    if (c == QLatin1String("not_found") || c.endsWith(QLatin1String("_not_found")))
        return ErrorKind::NotFound;
    if (rule.contains(c) || c.startsWith(QLatin1String("invalid_")))
        return ErrorKind::Rule;
    if (conflict.contains(c) || c.startsWith(QLatin1String("duplicate")))
        return ErrorKind::Conflict;
    if (c == QLatin1String("store") || c == QLatin1String("migration") ||
        c.startsWith(QLatin1String("store_")))
        return ErrorKind::Store;
    if (c == QLatin1String("cancelled"))
        return ErrorKind::Cancelled;
    if (transport.contains(c) || c.startsWith(QLatin1String("prometheus_connection")) ||
        c.startsWith(QLatin1String("prometheus_tls")) ||
        c.startsWith(QLatin1String("prometheus_timeout")))
        return ErrorKind::Transport;
    if (!c.isEmpty() && c == c.toUpper()) // the agent's own codes: INVALID_DOMAIN
        return ErrorKind::Remote;
    if (c.startsWith(QLatin1String("prometheus_")) || c.startsWith(QLatin1String("agent_")))
        return ErrorKind::Remote;
    return ErrorKind::Internal;
}

} // namespace chom
