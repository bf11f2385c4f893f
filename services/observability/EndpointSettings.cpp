#include "observability/EndpointSettings.h"

#include "observability/PrometheusRequest.h"

#include "secrets/SecretStore.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>
#include <QSslCertificate>

namespace chom::metrics::endpoints {
namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("EndpointSettings", text);
}

QString group(Kind kind)
{
    return QStringLiteral("endpoints/") + kindKey(kind);
}

bool needsSecret(Auth auth)
{
    return auth != Auth::None;
}

} // namespace

QVector<Kind> allKinds()
{
    return {Kind::Prometheus, Kind::Loki, Kind::Grafana, Kind::Alertmanager};
}

QString kindKey(Kind kind)
{
    switch (kind) {
    case Kind::Prometheus:
        return QStringLiteral("prometheus");
    case Kind::Loki:
        return QStringLiteral("loki");
    case Kind::Grafana:
        return QStringLiteral("grafana");
    case Kind::Alertmanager:
        return QStringLiteral("alertmanager");
    }
    return QString();
}

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::Prometheus:
        return QStringLiteral("Prometheus");
    case Kind::Loki:
        return QStringLiteral("Loki");
    case Kind::Grafana:
        return QStringLiteral("Grafana");
    case Kind::Alertmanager:
        return QStringLiteral("Alertmanager");
    }
    return QString();
}

QString authKey(Auth auth)
{
    switch (auth) {
    case Auth::None:
        return QStringLiteral("none");
    case Auth::Bearer:
        return QStringLiteral("bearer");
    case Auth::Basic:
        return QStringLiteral("basic");
    }
    return QStringLiteral("none");
}

Auth authFromKey(const QString& key)
{
    if (key == QLatin1String("bearer"))
        return Auth::Bearer;
    if (key == QLatin1String("basic"))
        return Auth::Basic;
    return Auth::None;
}

QString secretName(Kind kind)
{
    return QStringLiteral("endpoint/") + kindKey(kind);
}

QVector<FieldError> validate(const EndpointConfig& c, bool secretStored)
{
    QVector<FieldError> errors;
    const QString name = kindName(c.kind);
    const bool urlEmpty = c.url.isEmpty();
    if (urlEmpty) {
        if (c.auth != Auth::None || !c.caFile.isEmpty())
            errors.append({QStringLiteral("url"),
                           tr("Enter the %1 URL, or clear the other fields to leave %1 "
                              "unconfigured.")
                               .arg(name)});
    } else if (!c.url.isValid()) {
        errors.append({QStringLiteral("url"),
                       tr("The %1 URL is not a valid URL: %2.").arg(name, c.url.errorString())});
    } else if (c.url.scheme() != QLatin1String("http") &&
               c.url.scheme() != QLatin1String("https")) {
        errors.append({QStringLiteral("url"),
                       tr("The %1 URL must start with http:// or https://.").arg(name)});
    } else if (c.url.host().isEmpty()) {
        errors.append({QStringLiteral("url"), tr("The %1 URL has no host name.").arg(name)});
    } else if (!c.url.userInfo().isEmpty()) {
        errors.append({QStringLiteral("url"),
                       tr("The %1 URL must not hold a user name or password (the URL is saved "
                          "in clear): choose basic authentication and enter them there.")
                           .arg(name)});
    }
    if (c.timeoutMs < kMinTimeoutS * 1000 || c.timeoutMs > kMaxTimeoutS * 1000)
        errors.append(
            {QStringLiteral("timeout"), tr("The timeout must be between %1 and %2 seconds.")
                                            .arg(kMinTimeoutS)
                                            .arg(kMaxTimeoutS)});
    if (!c.caFile.isEmpty()) {
        const QFileInfo fi(c.caFile);
        if (!fi.exists() || !fi.isFile())
            errors.append(
                {QStringLiteral("caFile"), tr("The CA file %1 does not exist.").arg(c.caFile)});
        else if (!fi.isReadable())
            errors.append(
                {QStringLiteral("caFile"), tr("The CA file %1 cannot be read.").arg(c.caFile)});
        else if (QSslCertificate::fromPath(c.caFile, QSsl::Pem).isEmpty())
            errors.append({QStringLiteral("caFile"),
                           tr("The CA file %1 holds no PEM certificate.").arg(c.caFile)});
    }
    if (c.auth == Auth::Basic && c.user.trimmed().isEmpty())
        errors.append({QStringLiteral("user"), tr("Basic authentication needs a user name.")});
    if (!detail::headerSafe(c.secret) || !detail::headerSafe(c.user))
        errors.append({QStringLiteral("secret"),
                       tr("The user name, token or password holds a line break or control "
                          "character.")});
    if (needsSecret(c.auth) && c.secret.isEmpty() && !secretStored)
        errors.append({QStringLiteral("secret"), c.auth == Auth::Bearer
                                                     ? tr("Enter the bearer token.")
                                                     : tr("Enter the password.")});
    return errors;
}

Status check(const EndpointConfig& config, bool secretStored)
{
    const auto errors = validate(config, secretStored);
    if (errors.isEmpty())
        return okStatus();
    return makeError(QStringLiteral("invalid_endpoint"), errors.first().message);
}

EndpointConfig loadPublic(Kind kind)
{
    QSettings s;
    s.beginGroup(group(kind));
    EndpointConfig c;
    c.kind = kind;
    c.url = QUrl(s.value(QStringLiteral("url")).toString());
    c.url.setUserInfo(QString()); // never shown or sent from here (see load())
    c.auth = authFromKey(s.value(QStringLiteral("auth")).toString());
    c.user = s.value(QStringLiteral("user")).toString();
    c.caFile = s.value(QStringLiteral("caFile")).toString();
    c.timeoutMs = s.value(QStringLiteral("timeoutS"), kDefaultTimeoutS).toInt() * 1000;
    if (kind == Kind::Prometheus) {
        const QString env = qEnvironmentVariable("CHOM_PROMETHEUS_URL").trimmed();
        if (!env.isEmpty())
            c.url = QUrl(env);
    }
    return c;
}

bool secretStored(Kind kind)
{
    QSettings s;
    return s.value(group(kind) + QStringLiteral("/secretStored"), false).toBool();
}

Status savePublic(const EndpointConfig& c)
{
    if (Status ok = check(c, secretStored(c.kind) || !c.secret.isEmpty()); !ok)
        return ok;
    QSettings s;
    s.beginGroup(group(c.kind));
    s.setValue(QStringLiteral("url"), c.url.toString());
    s.setValue(QStringLiteral("auth"), authKey(c.auth));
    s.setValue(QStringLiteral("user"), c.auth == Auth::Basic ? c.user : QString());
    s.setValue(QStringLiteral("caFile"), c.caFile);
    s.setValue(QStringLiteral("timeoutS"), c.timeoutMs / 1000);
    s.endGroup();
    s.sync();
    if (s.status() != QSettings::NoError)
        return makeError(QStringLiteral("settings"),
                         tr("The %1 settings could not be written.").arg(kindName(c.kind)));
    return okStatus();
}

bool needsSecretStore(const EndpointConfig& c)
{
    if (!needsSecret(c.auth))
        return secretStored(c.kind);
    return !c.secret.isEmpty();
}

Status save(const EndpointConfig& c, SecretStore& store)
{
    const bool stored = secretStored(c.kind);
    if (Status ok = check(c, stored); !ok)
        return ok;
    QSettings s;
    const QString flag = group(c.kind) + QStringLiteral("/secretStored");
    if (!needsSecret(c.auth)) {
        if (stored) {
            const Status removed = store.remove(secretName(c.kind));
            if (!removed && removed.error().code != QLatin1String("not_found"))
                return makeError(removed.error().code,
                                 tr("The %1 secret could not be removed from the secret store: %2")
                                     .arg(kindName(c.kind), removed.errorMessage()));
            s.setValue(flag, false);
        }
    } else if (!c.secret.isEmpty()) {
        const Status written = store.write(secretName(c.kind), c.secret.toUtf8());
        if (!written)
            return makeError(written.error().code,
                             tr("The %1 secret could not be saved in the secret store: %2")
                                 .arg(kindName(c.kind), written.errorMessage()));
        s.setValue(flag, true);
    }
    s.sync();
    return savePublic(c);
}

namespace {

// Settings written before URLs were checked may hold user:password@ in the
// URL: the password moves to the secret store (basic authentication) and
// the URL is saved without them.
Status moveUserInfoToSecrets(Kind kind, SecretStore& store)
{
    QSettings s;
    s.beginGroup(group(kind));
    QUrl url(s.value(QStringLiteral("url")).toString());
    if (url.userInfo().isEmpty())
        return okStatus();
    const QString user = url.userName();
    const QString password = url.password();
    if (!password.isEmpty()) {
        if (Status written = store.write(secretName(kind), password.toUtf8()); !written)
            return written;
        s.setValue(QStringLiteral("auth"), authKey(Auth::Basic));
        s.setValue(QStringLiteral("user"), user);
        s.setValue(QStringLiteral("secretStored"), true);
    }
    url.setUserInfo(QString());
    s.setValue(QStringLiteral("url"), url.toString());
    s.endGroup();
    s.sync();
    return okStatus();
}

} // namespace

Result<EndpointConfig> load(Kind kind, SecretStore& store)
{
    if (Status moved = moveUserInfoToSecrets(kind, store); !moved)
        return makeError(moved.error().code,
                         tr("The password in the saved %1 URL could not be moved to the secret "
                            "store: %2")
                             .arg(kindName(kind), moved.errorMessage()));
    EndpointConfig c = loadPublic(kind);
    detail::loadTrust(c); // here, on the loading worker, not per request
    if (!needsSecret(c.auth))
        return c;
    auto secret = store.read(secretName(kind));
    if (secret) {
        c.secret = QString::fromUtf8(secret.value());
        return c;
    }
    if (secret.error().code == QLatin1String("not_found"))
        return c; // configured without a secret: the probe will say 401
    return makeError(secret.error().code,
                     tr("The %1 secret could not be read from the secret store: %2")
                         .arg(kindName(kind), secret.errorMessage()));
}

Result<QVector<EndpointConfig>> loadAll(SecretStore& store)
{
    QVector<EndpointConfig> all;
    for (Kind k : allKinds()) {
        auto c = load(k, store);
        if (!c)
            return c.error();
        all.append(c.value());
    }
    return all;
}

} // namespace chom::metrics::endpoints
