#pragma once

#include "base/Result.h"
#include "observability/MetricsTypes.h"

#include <QHash>
#include <QObject>
#include <QQueue>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace chom {
class Store;
}

namespace chom::metrics {

class MetricsCache;
class PrometheusClient;

// What the charts show: the whole fleet, or one VPS / tenant / site, each
// applied as one label matcher added by scopeQuery() (never by text). A site
// has no node_exporter of its own: its host panels show its VPS (instance)
// and only per-site panels (HTTP) are scoped by its domain label.
struct MetricsScope
{
    enum class Kind
    {
        Fleet,
        Vps,
        Tenant,
        Site
    };
    Kind kind = Kind::Fleet;
    QString label; // instance | tenant_id | domain
    QString value;
    QString title;
    QString hostInstance = {}; // Site: its VPS's node_exporter instance (may be empty)
    static MetricsScope fleet();
    static MetricsScope vps(const QString& instance, const QString& title);
    static MetricsScope tenant(const QString& tenantId, const QString& title);
    static MetricsScope site(const QString& domain, const QString& hostInstance);
};

// The Metrics screen's engine: every query of a refresh goes out at once
// through the cache (fresh hits answer immediately, stale ones answer and
// revalidate, identical queries share one request), within an overall time
// budget, with a per-tenant rate limit. Results arrive per panel by signal.
// Lives on the GUI thread; never blocks it.
class MetricsService : public QObject
{
    Q_OBJECT
public:
    struct Request
    {
        MetricsScope scope;
        qint64 rangeS = 3600;
        qint64 endS = 0;      // 0 = now
        int widthPx = 800;    // chart plot width: step = range / width
        QStringList panelIds; // empty = all standard panels
    };

    explicit MetricsService(QNetworkAccessManager& nam, QObject* parent = nullptr);
    ~MetricsService() override;

    void setEndpoint(const EndpointConfig& config);
    void attachStore(Store& store); // persisted cache: last charts at start
    void setBudgetMs(int ms) { m_budgetMs = ms; }
    // At most `refreshes` per `perSeconds` per tenant scope; beyond, cache only.
    void setTenantRateLimit(int refreshes, int perSeconds);

    PrometheusClient& client() { return *m_client; }
    MetricsCache& cache() { return *m_cache; }

    // Step in seconds: range / width, at least 1 s, never more than 11,000
    // points per series (Prometheus' limit).
    static int stepFor(qint64 rangeS, int widthPx);
    static QString rateWindow(int stepS); // "{rate}": max(60 s, 4 steps)
    // perSite: the query has a per-site label (PanelSpec::perSite).
    static Result<QString> scoped(const QString& promql, const MetricsScope& scope, int stepS,
                                  bool perSite = false);

    // Cancels what an older refresh still waits for. Returns 0 (and runs it
    // later) while the persisted cache is still loading.
    quint64 refresh(const Request& request);
    // What the last refresh asked for (end rounded down to the step).
    qint64 lastEndS() const { return m_lastEndS; }
    const Request& lastRequest() const { return m_lastRequest; }
    int lastStepS() const { return m_lastStepS; }
    // For tests and benchmarks: "now" in epoch seconds.
    static void setClockForTests(std::function<qint64()> nowS);

Q_SIGNALS:
    // One per query of a panel (queryIndex into PanelSpec::queries).
    void panelUpdated(const QString& panelId, int queryIndex,
                      const chom::metrics::QueryResult& result);
    void refreshFinished(quint64 refreshId, int errors);
    void problem(const QString& banner); // empty = all well again
    // A new endpoint was set: every consumer re-queries (now, or when shown).
    void endpointChanged();

private:
    struct Refresh;
    void deliver(quint64 id, const QString& key, const QueryResult& r, bool fromCache);
    void budgetExpired(quint64 id);
    void finish(Refresh& r);
    bool rateLimited(const MetricsScope& scope);

    std::unique_ptr<PrometheusClient> m_client;
    std::unique_ptr<MetricsCache> m_cache;
    std::unique_ptr<Refresh> m_current;
    quint64 m_nextRefresh = 1;
    int m_budgetMs = 15000;
    Request m_lastRequest;
    Request m_deferred;
    bool m_waitingForLoad = false;
    qint64 m_lastEndS = 0;
    int m_lastStepS = 0;
    int m_rateRefreshes = 30;
    int m_ratePerSeconds = 60;
    QHash<QString, QList<qint64>> m_tenantCalls; // tenant -> recent refresh times (ms)
};

} // namespace chom::metrics
