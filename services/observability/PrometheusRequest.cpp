#include "observability/PrometheusRequest.h"

#include <QCoreApplication>
#include <QSslCertificate>
#include <QSslConfiguration>

#include <algorithm>

namespace chom::metrics::detail {

QUrl apiUrl(const QUrl& base, const QString& path, const QList<QPair<QString, QString>>& params)
{
    QUrl url = base;
    QString prefix = url.path();
    while (prefix.endsWith(QLatin1Char('/')))
        prefix.chop(1);
    url.setPath(prefix + path);
    QByteArray query;
    for (const auto& [key, value] : params) {
        if (!query.isEmpty())
            query += '&';
        query += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    url.setQuery(query.isEmpty() ? QString() : QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

bool headerSafe(const QString& value)
{
    return std::none_of(value.cbegin(), value.cend(),
                        [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; });
}

void loadTrust(EndpointConfig& config)
{
    if (config.caFile.isEmpty() || config.caCertificates)
        return;
    config.caCertificates = std::make_shared<const QList<QSslCertificate>>(
        QSslCertificate::fromPath(config.caFile, QSsl::Pem));
}

QNetworkRequest buildRequest(const EndpointConfig& config, const QUrl& url, MetricsError* error)
{
    *error = {};
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(config.timeoutMs);
    // Credentials travel only to the configured origin: with auth, a redirect
    // to another scheme, host or port is refused (InsecureRedirectError)
    // rather than followed with the Authorization header Qt would copy.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         config.auth == EndpointConfig::Auth::None
                             ? QNetworkRequest::NoLessSafeRedirectPolicy
                             : QNetworkRequest::SameOriginRedirectPolicy);
    if (config.auth != EndpointConfig::Auth::None && !headerSafe(config.secret)) {
        // A line break would end the header and start another of its choosing.
        error->kind = ErrorKind::Unconfigured;
        error->message = QStringLiteral("The saved secret holds a line break or control "
                                        "character and is not sent (Settings > Endpoints).");
        return request;
    }
    if (config.auth == EndpointConfig::Auth::Bearer) {
        request.setRawHeader("Authorization", "Bearer " + config.secret.toUtf8());
    } else if (config.auth == EndpointConfig::Auth::Basic) {
        request.setRawHeader(
            "Authorization",
            "Basic " + (config.user + QLatin1Char(':') + config.secret).toUtf8().toBase64());
    }
    if (!config.caFile.isEmpty() && url.scheme() == QLatin1String("https")) {
        const QList<QSslCertificate> extra =
            config.caCertificates ? *config.caCertificates : QList<QSslCertificate>();
        if (extra.isEmpty()) {
            error->kind = ErrorKind::Tls;
            error->message = QStringLiteral("The CA file \"%1\" is missing or holds no readable "
                                            "PEM certificate (Settings > Endpoints).")
                                 .arg(config.caFile);
            return request;
        }
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.addCaCertificates(extra);
        request.setSslConfiguration(ssl);
    }
    return request;
}

QString shownUrl(const QUrl& url)
{
    return url.adjusted(QUrl::RemoveQuery | QUrl::RemoveUserInfo | QUrl::RemoveFragment).toString();
}

QString redirectRefused(const QUrl& from, const QUrl& target)
{
    return QCoreApplication::translate(
               "chom::PrometheusRequest",
               "%1 redirected to another origin%2. Credentials go only to the configured "
               "endpoint, so the redirect was not followed; if the new address is right, set it "
               "in Settings > Endpoints.")
        .arg(shownUrl(from),
             target.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(shownUrl(target)));
}

} // namespace chom::metrics::detail
