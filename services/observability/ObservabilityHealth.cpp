#include "observability/ObservabilityHealth.h"

#include "observability/EndpointSettings.h"
#include "observability/PrometheusReplyParser.h"
#include "observability/PrometheusRequest.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

#include <memory>

namespace chom::metrics {
namespace {

constexpr qint64 kBodyCap = 64 * 1024; // health answers are tiny

QString tr(const char* text)
{
    return QCoreApplication::translate("ObservabilityHealth", text);
}

QString hostPort(const QUrl& url)
{
    const int port = url.port(url.scheme() == QLatin1String("https") ? 443 : 80);
    return QStringLiteral("%1:%2").arg(url.host()).arg(port);
}

struct ProbeState
{
    QElapsedTimer clock;
    bool timedOut = false;
    QString sslError;
};

EndpointHealth classify(const EndpointConfig& c, QNetworkReply* reply, const ProbeState& st,
                        int timeoutMs)
{
    EndpointHealth h;
    h.kind = c.kind;
    h.configured = true;
    h.ms = st.clock.elapsed();
    const QString name = endpoints::kindName(c.kind);
    const QUrl url = reply->url();
    if (st.timedOut) {
        h.error = ErrorKind::Timeout;
        h.message =
            tr("%1 at %2 did not answer within %3 ms.").arg(name, hostPort(url)).arg(timeoutMs);
        return h;
    }
    if (reply->error() == QNetworkReply::InsecureRedirectError) {
        h.error = ErrorKind::Http;
        h.httpStatus = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const detail::ReplyFacts f = detail::ReplyFacts::from(reply);
        h.message = detail::redirectRefused(f.url, f.redirectTarget);
        return h;
    }
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (status.isValid() && status.toInt() > 0) {
        h.httpStatus = status.toInt();
        const QByteArray body = reply->read(kBodyCap);
        if (h.httpStatus < 200 || h.httpStatus > 299) {
            h.error = ErrorKind::Http;
            const QString reason =
                reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            const QString snippet = QString::fromUtf8(body.left(200)).simplified();
            h.message =
                tr("%1 answered HTTP %2 %3 on %4%5")
                    .arg(name)
                    .arg(h.httpStatus)
                    .arg(reason, url.path(),
                         snippet.isEmpty() ? QStringLiteral(".") : QStringLiteral(": ") + snippet);
            return h;
        }
        if (c.kind == EndpointConfig::Kind::Grafana) {
            const QJsonDocument doc = QJsonDocument::fromJson(body);
            const QJsonValue db = doc.object().value(QStringLiteral("database"));
            if (!doc.isObject() || !db.isString()) {
                h.error = ErrorKind::InvalidJson;
                h.message = tr("Grafana's /api/health answer is not the documented JSON "
                               "(no \"database\" field).");
                return h;
            }
            if (db.toString() != QLatin1String("ok")) {
                h.error = ErrorKind::Http;
                h.message =
                    tr("Grafana answers but reports its database as \"%1\".").arg(db.toString());
                return h;
            }
        }
        h.error = ErrorKind::None;
        h.message = tr("%1 is healthy (%2 ms).").arg(name).arg(h.ms);
        return h;
    }
    switch (reply->error()) {
    case QNetworkReply::HostNotFoundError:
        h.error = ErrorKind::Resolve;
        h.message = tr("The host name \"%1\" of %2 could not be resolved.").arg(url.host(), name);
        break;
    case QNetworkReply::ConnectionRefusedError:
        h.error = ErrorKind::Refused;
        h.message = tr("%1 at %2 refused the connection: is it running?").arg(name, hostPort(url));
        break;
    case QNetworkReply::TimeoutError:
        h.error = ErrorKind::Timeout;
        h.message = tr("%1 at %2 timed out.").arg(name, hostPort(url));
        break;
    case QNetworkReply::SslHandshakeFailedError:
        h.error = ErrorKind::Tls;
        h.message = tr("The TLS connection to %1 at %2 failed: %3")
                        .arg(name, hostPort(url),
                             st.sslError.isEmpty() ? reply->errorString() : st.sslError);
        break;
    case QNetworkReply::OperationCanceledError:
        h.error = ErrorKind::Cancelled;
        h.message = tr("The %1 probe was cancelled.").arg(name);
        break;
    default:
        h.error = ErrorKind::Reset;
        h.message = tr("The connection to %1 at %2 failed: %3")
                        .arg(name, hostPort(url), reply->errorString());
        break;
    }
    return h;
}

} // namespace

QString toString(OverallHealth overall)
{
    switch (overall) {
    case OverallHealth::Healthy:
        return QStringLiteral("healthy");
    case OverallHealth::Degraded:
        return QStringLiteral("degraded");
    case OverallHealth::Partial:
        return QStringLiteral("partial");
    case OverallHealth::Unconfigured:
        return QStringLiteral("unconfigured");
    }
    return QStringLiteral("unknown");
}

ObservabilityHealth::ObservabilityHealth(QNetworkAccessManager* nam, QObject* parent)
    : QObject(parent), m_nam(nam ? nam : new QNetworkAccessManager(this))
{
    qRegisterMetaType<EndpointHealth>();
    qRegisterMetaType<OverallHealth>();
    qRegisterMetaType<QVector<EndpointHealth>>();
}

ObservabilityHealth::~ObservabilityHealth()
{
    abandon();
}

QString ObservabilityHealth::healthPath(EndpointConfig::Kind kind)
{
    switch (kind) {
    case EndpointConfig::Kind::Prometheus:
        return QStringLiteral("/-/healthy");
    case EndpointConfig::Kind::Loki:
        return QStringLiteral("/ready");
    case EndpointConfig::Kind::Grafana:
        return QStringLiteral("/api/health");
    case EndpointConfig::Kind::Alertmanager:
        return QStringLiteral("/-/healthy");
    }
    return QStringLiteral("/");
}

OverallHealth ObservabilityHealth::overall(const QVector<EndpointHealth>& results)
{
    int configured = 0;
    int failing = 0;
    for (const auto& r : results) {
        if (!r.configured)
            continue;
        ++configured;
        if (!r.ok())
            ++failing;
    }
    if (configured == 0)
        return OverallHealth::Unconfigured;
    if (failing > 0)
        return OverallHealth::Degraded;
    return configured == results.size() ? OverallHealth::Healthy : OverallHealth::Partial;
}

void ObservabilityHealth::abandon()
{
    ++m_generation;
    m_pending = 0;
    const auto replies = std::exchange(m_replies, {});
    for (const auto& r : replies) {
        if (r && r->isRunning())
            r->abort(); // its finished handler sees the old generation
    }
}

void ObservabilityHealth::check(const QVector<EndpointConfig>& endpoints)
{
    abandon();
    m_results = QVector<EndpointHealth>(endpoints.size());
    m_replies = QVector<QPointer<QNetworkReply>>(endpoints.size());
    for (int i = 0; i < endpoints.size(); ++i) {
        m_results[i].kind = endpoints[i].kind;
        if (endpoints[i].isConfigured())
            ++m_pending;
        else
            m_results[i].message =
                tr("%1 is not configured.").arg(endpoints::kindName(endpoints[i].kind));
    }
    const quint64 gen = m_generation;
    if (m_pending == 0) {
        QMetaObject::invokeMethod(
            this,
            [this, gen] {
                if (gen == m_generation)
                    Q_EMIT finished(m_results, overall(m_results));
            },
            Qt::QueuedConnection);
        return;
    }
    for (int i = 0; i < endpoints.size(); ++i) {
        if (endpoints[i].isConfigured()) {
            EndpointConfig c = endpoints[i];
            detail::loadTrust(c); // a no-op when the loader read it
            start(i, c);
        }
    }
}

void ObservabilityHealth::start(int index, const EndpointConfig& c)
{
    QUrl url = c.url;
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path + healthPath(c.kind));
    url.setQuery(QString());
    url.setFragment(QString());
    MetricsError buildError;
    QNetworkRequest req = detail::buildRequest(c, url, &buildError);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    if (buildError) {
        EndpointHealth h;
        h.kind = c.kind;
        h.configured = true;
        h.error = buildError.kind;
        h.message = buildError.message;
        QMetaObject::invokeMethod(
            this,
            [this, index, h, gen = m_generation] {
                if (gen == m_generation)
                    settle(index, h);
            },
            Qt::QueuedConnection);
        return;
    }
    const int timeoutMs = qMax(1, qMin(m_timeoutMs, c.timeoutMs > 0 ? c.timeoutMs : m_timeoutMs));
    auto st = std::make_shared<ProbeState>();
    st->clock.start();
    QNetworkReply* reply = m_nam->get(req);
    m_replies[index] = reply;
    auto* timer = new QTimer(reply);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, reply, [reply, st] {
        st->timedOut = true;
        reply->abort();
    });
    timer->start(timeoutMs);
    connect(reply, &QNetworkReply::sslErrors, reply, [st](const QList<QSslError>& errors) {
        if (!errors.isEmpty())
            st->sslError = errors.first().errorString();
    });
    const quint64 gen = m_generation;
    connect(reply, &QNetworkReply::finished, this, [this, reply, st, c, gen, index, timeoutMs] {
        reply->deleteLater();
        if (gen != m_generation)
            return;
        settle(index, classify(c, reply, *st, timeoutMs));
    });
}

void ObservabilityHealth::settle(int index, const EndpointHealth& health)
{
    m_results[index] = health;
    m_replies[index] = nullptr;
    if (--m_pending > 0)
        return;
    const quint64 gen = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, gen] {
            if (gen == m_generation)
                Q_EMIT finished(m_results, overall(m_results));
        },
        Qt::QueuedConnection);
}

} // namespace chom::metrics
