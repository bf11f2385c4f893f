#include "observability/GrafanaClient.h"

#include "observability/PrometheusReplyParser.h"
#include "observability/PrometheusRequest.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

namespace chom::metrics {

namespace {

MetricsError makeError(ErrorKind kind, const QString& message, int status = 0)
{
    return MetricsError::make(kind, message, status);
}

// The base URL's path without trailing slashes ("" or "/grafana").
QString basePath(const QUrl& base)
{
    QString p = base.path();
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    return p;
}

QUrl withPath(const QUrl& base, const QString& path)
{
    QUrl u = base;
    u.setQuery(QString());
    u.setFragment(QString());
    u.setUserInfo(QString()); // never hand credentials to a browser
    u.setPath(basePath(base) + path);
    return u;
}

} // namespace

GrafanaClient::GrafanaClient(QNetworkAccessManager& nam, EndpointConfig config, QObject* parent)
    : QObject(parent), m_nam(nam), m_config(std::move(config))
{
    qRegisterMetaType<GrafanaDashboard>();
    qRegisterMetaType<QVector<GrafanaDashboard>>();
    detail::loadTrust(m_config);
}

GrafanaClient::~GrafanaClient()
{
    m_waiting.clear();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void GrafanaClient::setConfig(const EndpointConfig& config)
{
    m_config = config;
    detail::loadTrust(m_config); // a no-op when the loader already read it
    m_cache.clear();
    m_hasCache = false;
    m_cachedAtMs = 0;
}

qint64 GrafanaClient::now() const
{
    return m_now ? m_now() : QDateTime::currentMSecsSinceEpoch();
}

bool GrafanaClient::cacheValid() const
{
    return m_hasCache && now() - m_cachedAtMs < m_ttlMs;
}

void GrafanaClient::dashboards(Done done, bool forceRefresh)
{
    if (!forceRefresh && cacheValid()) {
        const QVector<GrafanaDashboard> list = m_cache;
        QMetaObject::invokeMethod(
            this, [done = std::move(done), list] { done(list, {}); }, Qt::QueuedConnection);
        return;
    }
    m_waiting.append(std::move(done));
    if (m_reply)
        return; // in flight: share it
    if (!m_config.isConfigured()) {
        QMetaObject::invokeMethod(
            this,
            [this] {
                answer(makeError(ErrorKind::Unconfigured,
                                 tr("No Grafana URL is configured (Settings > Endpoints).")));
            },
            Qt::QueuedConnection);
        return;
    }
    const QUrl url = detail::apiUrl(m_config.url, QStringLiteral("/api/search"),
                                    {{QStringLiteral("type"), QStringLiteral("dash-db")}});
    MetricsError buildError;
    const QNetworkRequest request = detail::buildRequest(m_config, url, &buildError);
    if (buildError) {
        QMetaObject::invokeMethod(
            this, [this, buildError] { answer(buildError); }, Qt::QueuedConnection);
        return;
    }
    ++m_requests;
    QNetworkReply* reply = m_nam.get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::downloadProgress, this, [reply](qint64 received, qint64) {
        if (received > kMaxBodyBytes) {
            reply->setProperty("chomTooLarge", true);
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finished(reply); });
}

void GrafanaClient::finished(QNetworkReply* reply)
{
    reply->deleteLater();
    if (m_reply != reply)
        return;
    m_reply = nullptr;
    detail::ReplyFacts f = detail::ReplyFacts::from(reply);
    f.tooLarge = reply->property("chomTooLarge").toBool();
    f.maxBodyBytes = kMaxBodyBytes;
    f.timeoutMs = m_config.timeoutMs;
    if (!f.tooLarge && reply->isOpen())
        f.body = reply->readAll();

    if (f.code == QNetworkReply::InsecureRedirectError) { // buildRequest's policy refused it
        answer(makeError(ErrorKind::Http, detail::redirectRefused(f.url, f.redirectTarget),
                         f.httpStatus));
        return;
    }
    if (f.httpStatus != 0 && (f.httpStatus < 200 || f.httpStatus >= 300)) {
        // Grafana explains itself in {"message": "..."}.
        const QString said = QJsonDocument::fromJson(f.body)
                                 .object()
                                 .value(QLatin1String("message"))
                                 .toString()
                                 .simplified()
                                 .left(300);
        QString hint;
        if (f.httpStatus == 401 || f.httpStatus == 403)
            hint = tr(" Check the Grafana API key or user/password (Settings > Endpoints).");
        answer(
            makeError(ErrorKind::Http,
                      tr("Grafana answered HTTP %1 on /api/search%2%3")
                          .arg(f.httpStatus)
                          .arg(said.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + said)
                          .arg(hint),
                      f.httpStatus));
        return;
    }
    MetricsError e = detail::classifyReply(f);
    if (e) {
        // The shared classifier speaks of Prometheus; this is Grafana.
        e.message.replace(QLatin1String("Prometheus"), QLatin1String("Grafana"));
        answer(e);
        return;
    }
    QVector<GrafanaDashboard> list;
    e = parseSearchBody(f.body, &list);
    if (e) {
        answer(e);
        return;
    }
    m_cache = list;
    m_hasCache = true;
    m_cachedAtMs = now();
    Q_EMIT dashboardsChanged(m_cache);
    answer({});
}

void GrafanaClient::answer(const MetricsError& error)
{
    if (error.message != m_lastError) {
        m_lastError = error.message;
        Q_EMIT errorChanged(m_lastError);
    }
    const QList<Done> waiting = std::exchange(m_waiting, {});
    for (const Done& d : waiting)
        d(m_cache, error);
}

MetricsError GrafanaClient::parseSearchBody(const QByteArray& body, QVector<GrafanaDashboard>* out)
{
    out->clear();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &pe);
    if (pe.error != QJsonParseError::NoError)
        return makeError(ErrorKind::InvalidJson,
                         tr("Grafana's /api/search answer is not JSON (%1 at offset %2).")
                             .arg(pe.errorString())
                             .arg(pe.offset));
    if (!doc.isArray())
        return makeError(ErrorKind::InvalidJson,
                         tr("Grafana's /api/search answer is not the documented JSON (expected "
                            "an array of dashboards)."));
    for (const QJsonValue& v : doc.array()) {
        if (!v.isObject())
            return makeError(ErrorKind::InvalidJson,
                             tr("Grafana's /api/search answer holds an entry that is not an "
                                "object."));
        const QJsonObject o = v.toObject();
        const QString type = o.value(QLatin1String("type")).toString();
        if (!type.isEmpty() && type != QLatin1String("dash-db"))
            continue; // folders and the like
        GrafanaDashboard d;
        d.uid = o.value(QLatin1String("uid")).toString();
        d.title = o.value(QLatin1String("title")).toString();
        d.url = o.value(QLatin1String("url")).toString();
        d.folderTitle = o.value(QLatin1String("folderTitle")).toString();
        for (const QJsonValue& t : o.value(QLatin1String("tags")).toArray())
            d.tags << t.toString();
        if (d.url.isEmpty() && d.uid.isEmpty())
            return makeError(ErrorKind::InvalidJson,
                             tr("Grafana's /api/search answer holds a dashboard without uid "
                                "and url."));
        if (d.url.isEmpty())
            d.url = QStringLiteral("/d/") + d.uid;
        *out << d;
    }
    return {};
}

QUrl GrafanaClient::dashboardUrl(const GrafanaDashboard& dashboard, const QString& tenantId) const
{
    return dashboardUrl(m_config.url, dashboard.url, tenantId);
}

QUrl GrafanaClient::dashboardUrl(const QUrl& base, const QString& dashboardPath,
                                 const QString& tenantId)
{
    if (!base.isValid() || base.isEmpty())
        return {};
    // Only the path of what Grafana gave: never its query or another host.
    QString path = QUrl(dashboardPath).path();
    if (!path.startsWith(QLatin1Char('/')))
        path.prepend(QLatin1Char('/'));
    const QString prefix = basePath(base);
    // Behind a sub-path Grafana's urls already carry it (root_url).
    if (!prefix.isEmpty() &&
        (path == prefix || path.startsWith(QString(prefix + QLatin1Char('/')))))
        path = path.mid(prefix.size());
    QUrl u = withPath(base, path);
    QByteArray query;
    if (!tenantId.isEmpty())
        query = "var-tenant_id=" + QUrl::toPercentEncoding(tenantId) + '&';
    query += "kiosk";
    u.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return u;
}

QUrl GrafanaClient::prometheusLink(const EndpointConfig& prometheus)
{
    return prometheus.isConfigured() ? withPath(prometheus.url, QStringLiteral("/graph")) : QUrl();
}

QUrl GrafanaClient::grafanaLink(const EndpointConfig& grafana)
{
    return grafana.isConfigured() ? withPath(grafana.url, QStringLiteral("/")) : QUrl();
}

QUrl GrafanaClient::alertmanagerLink(const EndpointConfig& alertmanager)
{
    if (!alertmanager.isConfigured())
        return {};
    QUrl u = withPath(alertmanager.url, QStringLiteral("/"));
    u.setFragment(QStringLiteral("/alerts"));
    return u;
}

} // namespace chom::metrics
