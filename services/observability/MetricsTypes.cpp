#include "observability/MetricsTypes.h"

#include "base/Result.h"

namespace chom::metrics {

QString toString(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::None:
        return QStringLiteral("none");
    case ErrorKind::Unconfigured:
        return QStringLiteral("unconfigured");
    case ErrorKind::Resolve:
        return QStringLiteral("resolve");
    case ErrorKind::Refused:
        return QStringLiteral("refused");
    case ErrorKind::Timeout:
        return QStringLiteral("timeout");
    case ErrorKind::Reset:
        return QStringLiteral("reset");
    case ErrorKind::Tls:
        return QStringLiteral("tls");
    case ErrorKind::Http:
        return QStringLiteral("http");
    case ErrorKind::Prometheus:
        return QStringLiteral("prometheus");
    case ErrorKind::InvalidJson:
        return QStringLiteral("invalid_json");
    case ErrorKind::TooLarge:
        return QStringLiteral("too_large");
    case ErrorKind::BreakerOpen:
        return QStringLiteral("breaker_open");
    case ErrorKind::Budget:
        return QStringLiteral("budget");
    case ErrorKind::RateLimited:
        return QStringLiteral("rate_limited");
    case ErrorKind::ScopeRefused:
        return QStringLiteral("scope_refused");
    case ErrorKind::Cancelled:
        return QStringLiteral("cancelled");
    }
    return QStringLiteral("unknown");
}

bool isConnectionError(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::Resolve:
    case ErrorKind::Refused:
    case ErrorKind::Timeout:
    case ErrorKind::Reset:
        return true;
    default:
        return false;
    }
}

Error toError(const MetricsError& e, const QString& source)
{
    chom::ErrorKind kind = chom::ErrorKind::Remote;
    switch (e.kind) {
    case ErrorKind::Resolve:
    case ErrorKind::Refused:
    case ErrorKind::Timeout:
    case ErrorKind::Reset:
    case ErrorKind::Tls:
    case ErrorKind::BreakerOpen:
        kind = chom::ErrorKind::Transport;
        break;
    case ErrorKind::Unconfigured:
        kind = chom::ErrorKind::Usage;
        break;
    case ErrorKind::Budget:
    case ErrorKind::ScopeRefused:
        kind = chom::ErrorKind::Rule;
        break;
    case ErrorKind::Cancelled:
        kind = chom::ErrorKind::Cancelled;
        break;
    case ErrorKind::None:
        kind = chom::ErrorKind::Internal; // not an error: a caller's mistake
        break;
    default:
        break;
    }
    return makeError(kind, source + QLatin1Char('_') + toString(e.kind), e.message);
}

} // namespace chom::metrics
