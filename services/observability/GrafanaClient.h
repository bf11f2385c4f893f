#pragma once

#include "observability/MetricsTypes.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QVector>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace chom::metrics {

// One entry of Grafana's /api/search?type=dash-db answer.
struct GrafanaDashboard
{
    QString uid;
    QString title;
    QString url; // path as Grafana gives it, e.g. "/d/abc/node-exporter"
    QString folderTitle;
    QStringList tags;
};

// Grafana's HTTP API for the dashboard list, over a shared
// QNetworkAccessManager. Auth: bearer (Grafana API key / service account
// token) or basic, as configured for the Grafana endpoint. The list is cached
// for one hour: dashboards() answers from the cache until it expires or
// refresh is forced; concurrent requests share one HTTP exchange.
class GrafanaClient : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const QVector<GrafanaDashboard>&, const MetricsError&)>;
    static constexpr qint64 kDefaultTtlMs = 60 * 60 * 1000;
    static constexpr qint64 kMaxBodyBytes = 16 * 1024 * 1024;

    GrafanaClient(QNetworkAccessManager& nam, EndpointConfig config, QObject* parent = nullptr);
    ~GrafanaClient() override;

    void setConfig(const EndpointConfig& config); // drops the cache
    const EndpointConfig& config() const { return m_config; }
    void setTtlMs(qint64 ms) { m_ttlMs = ms; }
    qint64 ttlMs() const { return m_ttlMs; }
    // Test clock (epoch ms); null = the system clock.
    void setClock(std::function<qint64()> nowMs) { m_now = std::move(nowMs); }

    // `done` runs exactly once, always asynchronously. On error the cached
    // list (if any) is kept and passed along with the error.
    void dashboards(Done done, bool forceRefresh = false);
    bool cacheValid() const;
    const QVector<GrafanaDashboard>& cached() const { return m_cache; }
    qint64 cachedAtMs() const { return m_cachedAtMs; }
    int requestsSent() const { return m_requests; }

    // base URL (with its sub-path) + the dashboard's url, plus
    // ?var-tenant_id=<id>&kiosk (no tenant: ?kiosk). Values percent-encoded.
    QUrl dashboardUrl(const GrafanaDashboard& dashboard, const QString& tenantId) const;
    static QUrl dashboardUrl(const QUrl& base, const QString& dashboardPath,
                             const QString& tenantId);

    // Quick links; an empty QUrl when the endpoint is not configured.
    static QUrl prometheusLink(const EndpointConfig& prometheus);     // <base>/graph
    static QUrl grafanaLink(const EndpointConfig& grafana);           // <base>/
    static QUrl alertmanagerLink(const EndpointConfig& alertmanager); // <base>/#/alerts

    // Parses a /api/search body (an array of hits); non-dashboard hits are
    // skipped. Never throws; InvalidJson when it is not the documented JSON.
    static MetricsError parseSearchBody(const QByteArray& body, QVector<GrafanaDashboard>* out);

Q_SIGNALS:
    void dashboardsChanged(const QVector<chom::metrics::GrafanaDashboard>& dashboards);
    void errorChanged(const QString& message); // empty = fine again

private:
    qint64 now() const;
    void finished(QNetworkReply* reply);
    void answer(const MetricsError& error);

    QNetworkAccessManager& m_nam;
    EndpointConfig m_config;
    qint64 m_ttlMs = kDefaultTtlMs;
    std::function<qint64()> m_now;
    QVector<GrafanaDashboard> m_cache;
    qint64 m_cachedAtMs = 0;
    bool m_hasCache = false;
    QPointer<QNetworkReply> m_reply;
    QList<Done> m_waiting;
    QString m_lastError;
    int m_requests = 0;
};

} // namespace chom::metrics

Q_DECLARE_METATYPE(chom::metrics::GrafanaDashboard)
