#pragma once

#include "base/Result.h"
#include "observability/MetricsTypes.h"

#include <QString>
#include <QVector>

namespace chom {
class SecretStore;
}

namespace chom::metrics {

// The four observability endpoints of the Settings page, kept in QSettings
// under "endpoints/<kind>" (url, auth, user, caFile, timeoutS, secretStored):
// never the secret. The bearer token or basic-auth password lives in the
// SecretStore under "endpoint/<kind>"; load() combines both.
//
// Environment override (for chomctl and the tests): CHOM_PROMETHEUS_URL, when
// set and non-empty, replaces the Prometheus URL on every load (the saved
// value is left as it is).
//
// The QSettings functions are cheap and safe on any thread. Everything that
// takes a SecretStore blocks (keychain event loop, scrypt): workers only.
namespace endpoints {

using Kind = EndpointConfig::Kind;
using Auth = EndpointConfig::Auth;

QVector<Kind> allKinds();
QString kindKey(Kind kind);  // "prometheus", "loki", "grafana", "alertmanager"
QString kindName(Kind kind); // "Prometheus", "Loki", "Grafana", "Alertmanager"
QString authKey(Auth auth);  // "none", "bearer", "basic"
Auth authFromKey(const QString& key);
QString secretName(Kind kind); // "endpoint/<kind>" in the SecretStore

constexpr int kMinTimeoutS = 1;
constexpr int kMaxTimeoutS = 120;
constexpr int kDefaultTimeoutS = 10;

// One validation failure: the field it belongs to ("url", "timeout",
// "caFile", "user", "secret") and a sentence for the operator.
struct FieldError
{
    QString field;
    QString message;
};

// URL http(s) with a host; timeout 1..120 s; the CA file, when set, exists and
// holds at least one PEM certificate; basic auth needs a user; bearer/basic
// need a secret unless one is stored already (`secretStored`). An unset URL
// is valid (the endpoint is simply unconfigured) when nothing else is set.
QVector<FieldError> validate(const EndpointConfig& config, bool secretStored = false);
// The first error of validate() as a Status (code "invalid_endpoint").
Status check(const EndpointConfig& config, bool secretStored = false);

// QSettings only: the config without its secret (secret empty).
EndpointConfig loadPublic(Kind kind);
// Whether a secret was saved for this endpoint (a flag, not the secret).
bool secretStored(Kind kind);

// Validates and writes the public fields only (the stored secret is left
// alone). Non-blocking: fine on the GUI thread.
Status savePublic(const EndpointConfig& config);
// Whether save() has to touch the SecretStore for this config: a new secret
// to write, or a stored one to remove because auth became none.
bool needsSecretStore(const EndpointConfig& config);
// Validates, then writes the secret (when given; removed when auth is none)
// and the public fields. An empty secret with bearer/basic keeps the stored
// one. Blocking.
Status save(const EndpointConfig& config, SecretStore& store);
// loadPublic() plus the secret from the store (when auth needs one). Blocking.
Result<EndpointConfig> load(Kind kind, SecretStore& store);
// All four, in allKinds() order. Blocking.
Result<QVector<EndpointConfig>> loadAll(SecretStore& store);

} // namespace endpoints
} // namespace chom::metrics
