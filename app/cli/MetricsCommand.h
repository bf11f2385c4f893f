#pragma once

#include "Command.h"

#include <optional>

namespace chom::metrics {
struct EndpointConfig;
}

namespace chom::cli {

// chomctl metrics query|range|alerts|health|scope: Prometheus' HTTP API
// through the same PrometheusClient as the console (breaker, retries, error
// classes). The endpoint (URL, CA file, auth, secret) comes from the options
// and environment in EndpointOptions.h.
class MetricsCommand : public Command
{
public:
    QString name() const override { return QStringLiteral("metrics"); }
    QString summary() const override;
    QString usage() const override;
    int run(Core& core, const QStringList& args, Output& out) override;

private:
    int query(const QStringList& args, Output& out);
    int range(const QStringList& args, Output& out);
    int alerts(const QStringList& args, Output& out);
    int health(const QStringList& args, Output& out);
    int scope(const QStringList& args, Output& out);
    // Actions that take only the connection options (alerts, health).
    std::optional<metrics::EndpointConfig> endpointOnly(const QStringList& raw, Output& out,
                                                        int* code) const;
};

} // namespace chom::cli
