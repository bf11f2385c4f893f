#include "observability/PrometheusRequest.h"

#include <QSslCertificate>
#include <QSslConfiguration>

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
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
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

} // namespace chom::metrics::detail
