#pragma once

#include "Args.h"
#include "observability/MetricsTypes.h"

#include <QStringList>

namespace chom::cli::endpointopts {

// The Prometheus connection options of chomctl metrics' query actions:
// --prometheus URL, --timeout S, --ca-file PEM, --auth none|bearer|basic,
// --user NAME, --secret-file PATH. The secret (token or password) comes from
// --secret-file or $CHOM_PROMETHEUS_SECRET only: argv is visible in ps.
QStringList valueOptions();
QString helpText(); // the "Options for the queries" block of the usage text

// Builds the endpoint, or a usage error. Without --prometheus and
// $CHOM_PROMETHEUS_URL it falls back to the endpoint saved on the console's
// Settings page (QSettings only; options still override its fields). The
// console's SecretStore is never opened: it may ask for a master passphrase
// or unlock a keychain, which a script cannot answer.
Result<metrics::EndpointConfig> resolve(const Args& a);

} // namespace chom::cli::endpointopts
