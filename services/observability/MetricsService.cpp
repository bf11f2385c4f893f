#include "observability/MetricsService.h"

#include "observability/MetricsCache.h"
#include "observability/MetricsPanels.h"
#include "observability/PromQlScoper.h"
#include "observability/PrometheusClient.h"

#include <QDateTime>
#include <QPointer>
#include <QSet>

namespace chom::metrics {
namespace {

std::function<qint64()>& clock()
{
    static std::function<qint64()> c;
    return c;
}

qint64 nowS()
{
    return clock() ? clock()() : QDateTime::currentSecsSinceEpoch();
}

} // namespace

void MetricsService::setClockForTests(std::function<qint64()> now)
{
    clock() = std::move(now);
}

MetricsScope MetricsScope::fleet()
{
    return {Kind::Fleet, {}, {}, QStringLiteral("Whole fleet")};
}

MetricsScope MetricsScope::vps(const QString& instance, const QString& title)
{
    return {Kind::Vps, QStringLiteral("instance"), instance, title};
}

MetricsScope MetricsScope::tenant(const QString& tenantId, const QString& title)
{
    return {Kind::Tenant, tenantLabel(), tenantId, title};
}

MetricsScope MetricsScope::site(const QString& domain, const QString& hostInstance)
{
    return {Kind::Site, QStringLiteral("domain"), domain, domain, hostInstance};
}

struct MetricsService::Refresh
{
    quint64 id = 0;
    QSet<QString> waiting;                      // "panel#query" not answered yet
    QHash<QString, QPair<QString, int>> target; // key -> panel, query index
    int errors = 0;
    QString banner;
    QTimer budget;
};

MetricsService::MetricsService(QNetworkAccessManager& nam, QObject* parent)
    : QObject(parent), m_client(std::make_unique<PrometheusClient>(nam, EndpointConfig{})),
      m_cache(std::make_unique<MetricsCache>())
{
    qRegisterMetaType<chom::metrics::QueryResult>();
}

MetricsService::~MetricsService() = default;

void MetricsService::setEndpoint(const EndpointConfig& config)
{
    m_client->setConfig(config);
    Q_EMIT endpointChanged();
}

void MetricsService::attachStore(Store& store)
{
    m_cache->attachStore(store);
}

void MetricsService::setTenantRateLimit(int refreshes, int perSeconds)
{
    m_rateRefreshes = qMax(1, refreshes);
    m_ratePerSeconds = qMax(1, perSeconds);
}

int MetricsService::stepFor(qint64 rangeS, int widthPx)
{
    const qint64 byWidth = (rangeS + qMax(1, widthPx) - 1) / qMax(1, widthPx);
    const qint64 byLimit = (rangeS + 10999) / 11000; // <= 11,000 points
    return int(qMax<qint64>(1, qMax(byWidth, byLimit)));
}

QString MetricsService::rateWindow(int stepS)
{
    return QStringLiteral("%1s").arg(qMax(60, 4 * stepS));
}

Result<QString> MetricsService::scoped(const QString& promql, const MetricsScope& scope, int stepS,
                                       bool perSite)
{
    QString q = promql;
    q.replace(QLatin1String("{rate}"), rateWindow(stepS));
    if (scope.kind == MetricsScope::Kind::Fleet)
        return q;
    if (scope.kind == MetricsScope::Kind::Site && !perSite) {
        if (scope.hostInstance.isEmpty())
            return makeError(
                QStringLiteral("site_unplaced"),
                tr("Site %1 is not placed on a VPS: no host metrics.").arg(scope.value));
        return scopeQuery(q, QStringLiteral("instance"), scope.hostInstance);
    }
    return scopeQuery(q, scope.label, scope.value);
}

bool MetricsService::rateLimited(const MetricsScope& scope)
{
    if (scope.kind != MetricsScope::Kind::Tenant)
        return false;
    const qint64 now = nowS() * 1000;
    QList<qint64>& calls = m_tenantCalls[scope.value];
    while (!calls.isEmpty() && calls.first() < now - m_ratePerSeconds * 1000LL)
        calls.removeFirst();
    if (calls.size() >= m_rateRefreshes)
        return true;
    calls.append(now);
    return false;
}

quint64 MetricsService::refresh(const Request& request)
{
    // At start the stored charts are still loading: asking now would miss
    // them (and paint nothing while Prometheus is down). Ask once they are in.
    if (m_cache->isLoading()) {
        m_deferred = request;
        if (!m_waitingForLoad) {
            m_waitingForLoad = true;
            connect(
                m_cache.get(), &MetricsCache::loaded, this,
                [this] {
                    m_waitingForLoad = false;
                    refresh(m_deferred);
                },
                Qt::SingleShotConnection);
        }
        return 0;
    }
    m_current = std::make_unique<Refresh>();
    Refresh& r = *m_current;
    r.id = m_nextRefresh++;
    const quint64 id = r.id;
    const int step = stepFor(request.rangeS, request.widthPx);
    // Rounded down to the step: the same screen asked again within one step
    // is the same cache key (and Prometheus aligns the points anyway).
    const qint64 end = (request.endS > 0 ? request.endS : nowS()) / step * step;
    m_lastEndS = end;
    m_lastRequest = request;
    m_lastStepS = step;
    const bool limited = rateLimited(request.scope);
    QVector<std::pair<QString, RangeQuery>> sends;
    for (const PanelSpec& panel : standardPanels()) {
        if (!request.panelIds.isEmpty() && !request.panelIds.contains(panel.id))
            continue;
        for (int i = 0; i < panel.queries.size(); ++i) {
            const QString key = panel.id + QLatin1Char('#') + QString::number(i);
            auto q = scoped(panel.queries.at(i).promql, request.scope, step, panel.perSite);
            if (!q) {
                QueryResult bad;
                bad.error = {ErrorKind::ScopeRefused, q.errorMessage(), 0, {}};
                ++r.errors;
                Q_EMIT panelUpdated(panel.id, i, bad);
                continue;
            }
            r.waiting.insert(key);
            r.target.insert(key, {panel.id, i});
            sends.append(
                {key, RangeQuery{q.value(), end - request.rangeS, end, step, request.endS <= 0}});
        }
    }
    r.budget.setSingleShot(true);
    connect(&r.budget, &QTimer::timeout, this, [this, id] { budgetExpired(id); });
    r.budget.start(m_budgetMs);
    // Everything goes out now; answers come back in any order.
    for (const auto& [key, q] : sends) {
        QPointer<MetricsService> self(this);
        if (limited) {
            QueryResult cached;
            if (const QueryResult* hit = m_cache->peek(MetricsCache::keyFor(q)))
                cached = *hit;
            cached.stale = true;
            cached.error = {ErrorKind::RateLimited,
                            tr("Tenant refresh limit reached (%1 per %2 s): showing cached data.")
                                .arg(m_rateRefreshes)
                                .arg(m_ratePerSeconds),
                            0,
                            {}};
            deliver(id, key, cached, true);
            continue;
        }
        m_cache->fetch(
            q,
            [self, q](std::function<void(const QueryResult&)> cb) {
                if (self)
                    self->m_client->queryRange(q, std::move(cb));
            },
            [self, id, key](const QueryResult& res, bool fromCache) {
                if (self)
                    self->deliver(id, key, res, fromCache);
            });
    }
    if (m_current && m_current->id == id && m_current->waiting.isEmpty())
        finish(*m_current);
    return id;
}

void MetricsService::deliver(quint64 id, const QString& key, const QueryResult& res, bool fromCache)
{
    if (!m_current || m_current->id != id)
        return; // an older refresh: its screen is gone
    Refresh& r = *m_current;
    const auto target = r.target.value(key);
    if (target.first.isEmpty())
        return;
    if (res.error) {
        ++r.errors;
        if (r.banner.isEmpty() || isConnectionError(res.error.kind) ||
            res.error.kind == ErrorKind::BreakerOpen)
            r.banner = res.error.message;
    }
    Q_EMIT panelUpdated(target.first, target.second, res);
    // A stale answer is followed by the revalidated one: keep waiting.
    if (!(fromCache && res.stale && !res.error))
        r.waiting.remove(key);
    if (r.waiting.isEmpty())
        finish(r);
}

void MetricsService::budgetExpired(quint64 id)
{
    if (!m_current || m_current->id != id || m_current->waiting.isEmpty())
        return;
    Refresh& r = *m_current;
    for (const QString& key : std::as_const(r.waiting)) {
        const auto target = r.target.value(key);
        QueryResult late;
        late.error = {ErrorKind::Budget,
                      tr("Prometheus did not answer within the %1 s refresh budget.")
                          .arg(m_budgetMs / 1000.0),
                      0,
                      {}};
        ++r.errors;
        r.banner = late.error.message;
        Q_EMIT panelUpdated(target.first, target.second, late);
    }
    r.waiting.clear();
    finish(r);
}

void MetricsService::finish(Refresh& r)
{
    r.budget.stop();
    Q_EMIT problem(r.errors ? r.banner : QString());
    Q_EMIT refreshFinished(r.id, r.errors);
}

} // namespace chom::metrics
