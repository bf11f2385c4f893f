#include "observability/PrometheusClient.h"

#include "observability/ParsePool.h"
#include "observability/PrometheusReplyParser.h"
#include "observability/PrometheusRequest.h"

#include <QDateTime>
#include <QFile>
#include <QFutureWatcher>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace chom::metrics {

struct PrometheusClient::Pending
{
    QUrl url;
    BodyFn onBody;
    int attempt = 0;
    QPointer<QNetworkReply> reply;
    QTimer* deadline = nullptr; // total-time timeout ("accepts and never answers")
    QTimer* backoff = nullptr;  // between retries
    QElapsedTimer elapsed;
    bool timedOut = false;
    bool tooLarge = false;
    bool probe = false; // the breaker's half-open probe
};

PrometheusClient::PrometheusClient(QNetworkAccessManager& nam, EndpointConfig config,
                                   QObject* parent)
    : PrometheusClient(nam, std::move(config), Options{}, parent)
{
}

PrometheusClient::PrometheusClient(QNetworkAccessManager& nam, EndpointConfig config,
                                   Options options, QObject* parent)
    : QObject(parent), m_nam(nam), m_config(std::move(config)), m_options(options),
      m_breaker(options.breakerThreshold, options.breakerCoolDownMs)
{
    detail::loadTrust(m_config);
}

PrometheusClient::~PrometheusClient()
{
    const auto pending = m_pending;
    m_pending.clear();
    for (Pending* p : pending) {
        if (p->reply) {
            p->reply->disconnect(this);
            p->reply->abort();
            p->reply->deleteLater();
        }
        delete p;
    }
}

void PrometheusClient::setConfig(const EndpointConfig& config)
{
    m_config = config;
    detail::loadTrust(m_config); // a no-op when the loader already read it
}

CircuitBreaker::State PrometheusClient::breakerState() const
{
    return m_breaker.state();
}

int PrometheusClient::inFlight() const
{
    return m_pending.size() + m_parsing.size();
}

QueryResult PrometheusClient::parseQueryBody(const QByteArray& body)
{
    return detail::parseQueryBody(body);
}

MetricsError PrometheusClient::parseAlertsBody(const QByteArray& body, QVector<Alert>* alerts)
{
    return detail::parseAlertsBody(body, alerts);
}

QUrl PrometheusClient::endpoint(const QString& path,
                                const QList<QPair<QString, QString>>& params) const
{
    return detail::apiUrl(m_config.url, path, params);
}

quint64 PrometheusClient::queryRange(const RangeQuery& q, Done done)
{
    return sendQuery(endpoint(QStringLiteral("/api/v1/query_range"),
                              {{QStringLiteral("query"), q.promql},
                               {QStringLiteral("start"), QString::number(q.startS)},
                               {QStringLiteral("end"), QString::number(q.endS)},
                               {QStringLiteral("step"), QString::number(qMax(1, q.stepS))}}),
                     std::move(done));
}

quint64 PrometheusClient::query(const QString& promql, qint64 timeS, Done done)
{
    QList<QPair<QString, QString>> params{{QStringLiteral("query"), promql}};
    if (timeS > 0)
        params.append({QStringLiteral("time"), QString::number(timeS)});
    return sendQuery(endpoint(QStringLiteral("/api/v1/query"), params), std::move(done));
}

quint64 PrometheusClient::sendQuery(const QUrl& url, Done done)
{
    auto id = std::make_shared<quint64>(0);
    *id = send(
        url, [this, id, done = std::move(done)](const QByteArray& body, const MetricsError& error) {
            if (error) {
                QueryResult r;
                r.error = error;
                r.bytes = body.size();
                done(r);
                return;
            }
            deliverParsed(*id, body, done);
        });
    return *id;
}

void PrometheusClient::deliverParsed(quint64 id, const QByteArray& body, const Done& done)
{
    const qint64 fetchedAt = QDateTime::currentMSecsSinceEpoch();
    if (body.size() <= m_options.parseOffThreadBytes) {
        QueryResult r = detail::parseQueryBody(body);
        r.fetchedAtMs = fetchedAt;
        done(r);
        return;
    }
    // Big body: parse on the pool; the watcher lives (and signals) on this
    // object's thread and dies with it, so nothing runs after destruction.
    m_parsing.insert(id);
    auto* watcher = new QFutureWatcher<QueryResult>(this);
    connect(watcher, &QFutureWatcher<QueryResult>::finished, this,
            [this, watcher, id, done, fetchedAt] {
                watcher->deleteLater();
                if (!m_parsing.remove(id))
                    return; // cancelled meanwhile
                QueryResult r = watcher->result();
                r.fetchedAtMs = fetchedAt;
                done(r);
            });
    watcher->setFuture(QtConcurrent::run(&parsePool(), [body] {
        lowerParseThreadPriority();
        return detail::parseQueryBody(body);
    }));
}

quint64
PrometheusClient::alerts(std::function<void(const QVector<Alert>&, const MetricsError&)> done)
{
    return send(endpoint(QStringLiteral("/api/v1/alerts")),
                [done = std::move(done)](const QByteArray& body, const MetricsError& error) {
                    QVector<Alert> list;
                    if (error) {
                        done(list, error);
                        return;
                    }
                    const MetricsError parseError = detail::parseAlertsBody(body, &list);
                    done(list, parseError);
                });
}

quint64 PrometheusClient::healthy(std::function<void(const MetricsError&, qint64 ms)> done)
{
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return send(endpoint(QStringLiteral("/-/healthy")),
                [timer, done = std::move(done)](const QByteArray&, const MetricsError& error) {
                    done(error, timer->elapsed());
                });
}

void PrometheusClient::cancel(quint64 requestId)
{
    m_parsing.remove(requestId);
    Pending* p = m_pending.take(requestId);
    if (!p)
        return;
    if (p->reply) {
        p->reply->disconnect(this);
        if (p->probe) {
            // Let the probe finish so the breaker learns the outcome.
            QNetworkReply* reply = p->reply;
            connect(reply, &QNetworkReply::finished, this, [this, reply] {
                reply->deleteLater();
                if (reply->error() == QNetworkReply::NoError ||
                    reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() > 0)
                    m_breaker.recordSuccess();
                else
                    m_breaker.recordFailure();
                noteBreaker();
            });
        } else {
            p->reply->abort();
            p->reply->deleteLater();
        }
    }
    delete p->deadline;
    delete p->backoff;
    delete p;
}

quint64 PrometheusClient::send(const QUrl& url, BodyFn onBody)
{
    const quint64 id = m_nextId++;
    auto* p = new Pending;
    p->url = url;
    p->onBody = std::move(onBody);
    m_pending.insert(id, p);
    if (!m_config.isConfigured()) {
        MetricsError e;
        e.kind = ErrorKind::Unconfigured;
        e.message = QStringLiteral("No Prometheus URL is configured (Settings > Endpoints, or "
                                   "--prometheus / CHOM_PROMETHEUS_URL for chomctl).");
        failLater(id, e);
        return id;
    }
    attempt(id);
    return id;
}

void PrometheusClient::failLater(quint64 id, const MetricsError& error)
{
    // `done` never runs before the caller has the request id.
    QMetaObject::invokeMethod(
        this, [this, id, error] { complete(id, QByteArray(), error); }, Qt::QueuedConnection);
}

MetricsError PrometheusClient::breakerOpenError() const
{
    MetricsError e;
    e.kind = ErrorKind::BreakerOpen;
    const qint64 ms = m_breaker.msUntilProbe();
    const QString when = ms > 0 ? QStringLiteral("in %1 s (at %2)")
                                      .arg(QString::number(double(ms) / 1000.0, 'f', 1),
                                           QDateTime::currentDateTime().addMSecs(ms).toString(
                                               QStringLiteral("HH:mm:ss")))
                                : QStringLiteral("as soon as the current probe finishes");
    e.message = QStringLiteral("Prometheus at %1 is marked unreachable after %2 connection "
                               "failures (circuit breaker open); next probe %3.")
                    .arg(m_config.url.toString(QUrl::RemoveUserInfo))
                    .arg(qMax(m_options.breakerThreshold, m_breaker.consecutiveFailures()))
                    .arg(when);
    return e;
}

void PrometheusClient::attempt(quint64 id)
{
    Pending* p = m_pending.value(id);
    if (!p)
        return;
    // Build first: a bad CA file must not take the breaker's probe slot.
    MetricsError buildError;
    const QNetworkRequest request = detail::buildRequest(m_config, p->url, &buildError);
    if (buildError) {
        failLater(id, buildError);
        return;
    }
    const CircuitBreaker::State before = m_breaker.state();
    if (!m_breaker.allowRequest()) {
        noteBreaker();
        failLater(id, breakerOpenError());
        return;
    }
    p->probe = before == CircuitBreaker::State::HalfOpen;
    noteBreaker();
    p->timedOut = false;
    p->tooLarge = false;
    p->elapsed.start();

    QNetworkReply* reply = m_nam.get(request);
    p->reply = reply;
    const qint64 cap = m_options.maxBodyBytes;
    connect(reply, &QNetworkReply::metaDataChanged, this, [p, reply, cap] {
        const QVariant len = reply->header(QNetworkRequest::ContentLengthHeader);
        if (len.isValid() && len.toLongLong() > cap) {
            p->tooLarge = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::downloadProgress, this,
            [p, reply, cap](qint64 received, qint64) {
                if (received > cap && !p->tooLarge) {
                    p->tooLarge = true;
                    reply->abort();
                }
            });
    connect(reply, &QNetworkReply::finished, this, [this, id, reply] { finished(id, reply); });
    if (!p->deadline) {
        p->deadline = new QTimer(this);
        p->deadline->setSingleShot(true);
        connect(p->deadline, &QTimer::timeout, this, [p] {
            p->timedOut = true;
            if (p->reply)
                p->reply->abort();
        });
    }
    p->deadline->start(m_config.timeoutMs);
}

void PrometheusClient::finished(quint64 id, QNetworkReply* reply)
{
    reply->deleteLater();
    Pending* p = m_pending.value(id);
    if (!p || p->reply != reply)
        return;
    p->reply = nullptr;
    if (p->deadline)
        p->deadline->stop();

    detail::ReplyFacts f = detail::ReplyFacts::from(reply);
    f.timedOut = p->timedOut;
    f.tooLarge = p->tooLarge;
    f.maxBodyBytes = m_options.maxBodyBytes;
    f.timeoutMs = m_config.timeoutMs;
    f.url = p->url;
    if (!f.tooLarge && reply->isOpen())
        f.body = reply->readAll();
    if (!f.tooLarge && f.body.size() > m_options.maxBodyBytes)
        f.tooLarge = true;
    const MetricsError error = detail::classifyReply(f);

    if (isConnectionError(error.kind)) {
        m_breaker.recordFailure();
        noteBreaker();
        if (p->attempt < m_options.retries && m_breaker.state() == CircuitBreaker::State::Closed) {
            // 100, 200, 400 ... ms, each +-50 % so clients do not retry in step.
            const int base = m_options.backoffBaseMs * (1 << qMin(p->attempt, 10));
            const int delay = base / 2 + int(QRandomGenerator::global()->bounded(base + 1));
            ++p->attempt;
            if (!p->backoff) {
                p->backoff = new QTimer(this);
                p->backoff->setSingleShot(true);
                connect(p->backoff, &QTimer::timeout, this, [this, id] { attempt(id); });
            }
            p->backoff->start(delay);
            return;
        }
    } else {
        m_breaker.recordSuccess(); // the endpoint answered: not an outage
        noteBreaker();
    }
    complete(id, f.body, error);
}

void PrometheusClient::complete(quint64 id, const QByteArray& body, const MetricsError& error)
{
    Pending* p = m_pending.take(id);
    if (!p)
        return; // cancelled
    BodyFn onBody = std::move(p->onBody);
    delete p->deadline;
    delete p->backoff;
    delete p;
    onBody(body, error);
}

void PrometheusClient::noteBreaker()
{
    QString now;
    switch (m_breaker.state()) {
    case CircuitBreaker::State::Closed:
        now = QStringLiteral("closed");
        break;
    case CircuitBreaker::State::Open:
        now = QStringLiteral("open");
        break;
    case CircuitBreaker::State::HalfOpen:
        now = QStringLiteral("half_open");
        break;
    }
    if (now == m_lastBreaker)
        return;
    m_lastBreaker = now;
    Q_EMIT breakerChanged(now);
}

} // namespace chom::metrics
