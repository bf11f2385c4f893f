#include "SiteFilterProxy.h"

#include "SiteTableModel.h"

#include <QDateTime>

#include <algorithm>

namespace chom {

SiteFilterProxy::SiteFilterProxy(QObject* parent) : QAbstractProxyModel(parent) {}

void SiteFilterProxy::setSourceModel(QAbstractItemModel* model)
{
    beginResetModel();
    if (sourceModel())
        disconnect(sourceModel(), nullptr, this, nullptr);
    QAbstractProxyModel::setSourceModel(model);
    m_sites = qobject_cast<SiteTableModel*>(model);
    m_domains.invalidate();
    if (model) {
        connect(model, &QAbstractItemModel::modelReset, this, &SiteFilterProxy::onSourceReset);
        connect(model, &QAbstractItemModel::rowsInserted, this, &SiteFilterProxy::onRowsInserted);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &SiteFilterProxy::onRowsRemoved);
        connect(model, &QAbstractItemModel::dataChanged, this, &SiteFilterProxy::onDataChanged);
        connect(model, &QAbstractItemModel::headerDataChanged, this,
                &QAbstractItemModel::headerDataChanged);
        // Source row moves become one proxy layout change, opened before the
        // source changes so persistent indexes are captured by site id.
        connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { beginLayout(); });
        connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] { beginLayout(); });
    }
    rebuildOrder();
    refilter(false);
    endResetModel();
}

// ---- filtering -------------------------------------------------------------

void SiteFilterProxy::prepareSearch()
{
    m_now = QDateTime::currentSecsSinceEpoch();
    if (m_sites)
        m_sites->setNow(m_now);
    m_matchingTenants.clear();
    // Stored domains are lower-case ASCII (punycode), so a lower-case needle
    // allows the much faster case-sensitive search.
    m_needle = m_search.toLower();
    if (m_search.isEmpty() || !m_sites)
        return;
    if (!m_domains.valid())
        m_domains.rebuild(m_sites->rows());
    m_domains.match(m_needle, m_domainMatch);
    const QHash<Id, QString>& names = m_sites->tenantNames();
    for (auto it = names.begin(); it != names.end(); ++it) // once per tenant, not per row
        if (it.value().contains(m_search, Qt::CaseInsensitive))
            m_matchingTenants.insert(it.key());
}

bool SiteFilterProxy::accepts(int sourceRow) const
{
    const Site& s = m_sites->rowAt(sourceRow);
    if (m_status && s.status != *m_status)
        return false;
    if (m_type && s.type != *m_type)
        return false;
    if (m_vps && s.vpsId != m_vps)
        return false;
    if (m_tenant && s.tenantId != m_tenant)
        return false;
    if (m_sslExpiring && sslState(s.sslEnabled, s.sslExpiresAt, m_now) != SslState::Expiring)
        return false;
    if (m_search.isEmpty())
        return true;
    return m_domainMatch[sourceRow] ||
           (!m_matchingTenants.isEmpty() && m_matchingTenants.contains(s.tenantId));
}

void SiteFilterProxy::refilter(bool asLayoutChange)
{
    refilterFrom(m_order, asLayoutChange);
}

void SiteFilterProxy::beginLayout()
{
    Q_EMIT layoutAboutToBeChanged();
    m_pendingPersistent = persistentIndexList();
    m_pendingIds.clear();
    for (const QModelIndex& p : std::as_const(m_pendingPersistent))
        m_pendingIds << (p.row() < m_visible.size() ? m_sites->rowAt(m_visible[p.row()]).id
                                                    : Id(0));
}

void SiteFilterProxy::endLayout()
{
    QModelIndexList to;
    for (int i = 0; i < m_pendingPersistent.size(); ++i) {
        const int src = m_pendingIds[i] ? m_sites->rowOf(m_pendingIds[i]) : -1;
        const int row = src >= 0 ? m_sourceToProxy.value(src, -1) : -1;
        to << (row >= 0 ? createIndex(row, m_pendingPersistent[i].column()) : QModelIndex());
    }
    changePersistentIndexList(m_pendingPersistent, to);
    m_pendingPersistent.clear();
    m_pendingIds.clear();
    Q_EMIT layoutChanged();
}

void SiteFilterProxy::refilterFrom(const QVector<int>& candidates, bool asLayoutChange)
{
    if (asLayoutChange)
        beginLayout();
    prepareSearch();
    const QVector<int> from = candidates; // may alias m_visible
    m_visible.clear();
    const int n = m_sites ? m_sites->rowCount() : 0;
    m_sourceToProxy.fill(-1, n);
    if (m_sites) {
        m_visible.reserve(from.size());
        for (int src : from) {
            if (accepts(src)) {
                m_sourceToProxy[src] = m_visible.size();
                m_visible.append(src);
            }
        }
    }
    if (asLayoutChange)
        endLayout();
}

void SiteFilterProxy::setSearchText(const QString& text)
{
    const QString t = text.trimmed();
    if (t == m_search)
        return;
    // Typing more of the same word can only narrow the result: test the
    // current survivors (already in order) instead of every row.
    const bool narrows = !m_search.isEmpty() && t.contains(m_search, Qt::CaseInsensitive);
    m_search = t;
    if (narrows)
        refilterFrom(m_visible, true);
    else
        refilter(true);
}

void SiteFilterProxy::setStatusFilter(std::optional<SiteStatus> status)
{
    m_status = status;
    refilter(true);
}

void SiteFilterProxy::setTypeFilter(std::optional<SiteType> type)
{
    m_type = type;
    refilter(true);
}

void SiteFilterProxy::setVpsFilter(Id vpsId)
{
    m_vps = vpsId;
    refilter(true);
}

void SiteFilterProxy::setTenantFilter(Id tenantId)
{
    m_tenant = tenantId;
    refilter(true);
}

void SiteFilterProxy::setSslExpiringOnly(bool on)
{
    m_sslExpiring = on;
    refilter(true);
}

void SiteFilterProxy::clearFilters()
{
    m_search.clear();
    m_status.reset();
    m_type.reset();
    m_vps = m_tenant = 0;
    m_sslExpiring = false;
    refilter(true);
}

// ---- sorting ---------------------------------------------------------------

bool SiteFilterProxy::less(int ra, int rb) const
{
    const Site& a = m_sites->rowAt(ra);
    const Site& b = m_sites->rowAt(rb);
    auto cmp = [&]() -> int {
        switch (m_sortColumn) {
        case SiteTableModel::Domain:
            return a.domain.compare(b.domain);
        case SiteTableModel::Tenant:
            return m_sites->tenantName(a.tenantId)
                .compare(m_sites->tenantName(b.tenantId), Qt::CaseInsensitive);
        case SiteTableModel::Server:
            return m_sites->vpsName(a.vpsId).compare(m_sites->vpsName(b.vpsId));
        case SiteTableModel::Type:
            return int(a.type) - int(b.type);
        case SiteTableModel::Php:
            return a.phpVersion.compare(b.phpVersion);
        case SiteTableModel::Status:
            return int(a.status) - int(b.status);
        case SiteTableModel::Ssl:
        case SiteTableModel::SslExpires: {
            const qint64 x = a.sslEnabled ? a.sslExpiresAt : 0,
                         y = b.sslEnabled ? b.sslExpiresAt : 0;
            return x < y ? -1 : x > y ? 1 : 0;
        }
        case SiteTableModel::Storage:
            return a.storageUsedMb < b.storageUsedMb   ? -1
                   : a.storageUsedMb > b.storageUsedMb ? 1
                                                       : 0;
        case SiteTableModel::Created:
            return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
        default:
            return 0;
        }
    }();
    if (cmp == 0) // stable, total order: ties by id
        return (a.id < b.id) == (m_sortOrder == Qt::AscendingOrder);
    return m_sortOrder == Qt::AscendingOrder ? cmp < 0 : cmp > 0;
}

void SiteFilterProxy::rebuildOrder()
{
    const int n = m_sites ? m_sites->rowCount() : 0;
    m_order.resize(n);
    for (int i = 0; i < n; ++i)
        m_order[i] = i;
    if (m_sortColumn >= 0 && m_sites)
        std::sort(m_order.begin(), m_order.end(), [this](int a, int b) { return less(a, b); });
}

void SiteFilterProxy::sort(int column, Qt::SortOrder order)
{
    if (column == m_sortColumn && order == m_sortOrder)
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    beginLayout();
    rebuildOrder();
    refilter(false);
    endLayout();
}

// ---- source changes --------------------------------------------------------

void SiteFilterProxy::placeRows(const QVector<int>& sourceRows)
{
    // Binary insertion keeps the permutation sorted in O(n) per row.
    for (int src : sourceRows) {
        auto at = m_sortColumn >= 0 ? std::lower_bound(m_order.begin(), m_order.end(), src,
                                                       [this](int a, int b) { return less(a, b); })
                                    : m_order.end();
        m_order.insert(at, src);
    }
}

void SiteFilterProxy::onSourceReset()
{
    m_domains.invalidate();
    beginResetModel();
    rebuildOrder();
    refilter(false);
    endResetModel();
}

void SiteFilterProxy::onRowsInserted(const QModelIndex&, int first, int last)
{
    m_domains.invalidate();
    const int count = last - first + 1;
    for (int& r : m_order)
        if (r >= first)
            r += count;
    QVector<int> fresh;
    for (int r = first; r <= last; ++r)
        fresh << r;
    placeRows(fresh);
    refilter(false);
    endLayout(); // opened in rowsAboutToBeInserted
}

void SiteFilterProxy::onRowsRemoved(const QModelIndex&, int first, int last)
{
    m_domains.invalidate();
    const int count = last - first + 1;
    QVector<int> kept;
    kept.reserve(m_order.size());
    for (int r : std::as_const(m_order)) {
        if (r < first)
            kept << r;
        else if (r > last)
            kept << r - count;
    }
    m_order = kept;
    refilter(false);
    endLayout(); // opened in rowsAboutToBeRemoved
}

void SiteFilterProxy::onDataChanged(const QModelIndex& tl, const QModelIndex& br)
{
    m_domains.invalidate();
    if (!tl.isValid())
        return;
    beginLayout();
    if (br.row() - tl.row() > 64) { // lookups (names) changed: re-sort all
        rebuildOrder();
        refilter(false);
        endLayout();
        return;
    }
    QVector<int> rows;
    for (int r = tl.row(); r <= br.row(); ++r)
        rows << r;
    m_order.erase(std::remove_if(m_order.begin(), m_order.end(),
                                 [&](int r) { return r >= tl.row() && r <= br.row(); }),
                  m_order.end());
    placeRows(rows);
    refilter(false);
    endLayout();
    for (int r : rows) {
        const int p = m_sourceToProxy.value(r, -1);
        if (p >= 0)
            Q_EMIT dataChanged(index(p, 0), index(p, columnCount() - 1));
    }
}

// ---- structure ---------------------------------------------------------------

QModelIndex SiteFilterProxy::index(int row, int column, const QModelIndex& parent) const
{
    if (parent.isValid() || row < 0 || column < 0 || row >= m_visible.size() ||
        column >= columnCount())
        return {};
    return createIndex(row, column);
}

int SiteFilterProxy::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_visible.size();
}

int SiteFilterProxy::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !sourceModel() ? 0 : sourceModel()->columnCount();
}

QModelIndex SiteFilterProxy::mapToSource(const QModelIndex& proxyIndex) const
{
    if (!proxyIndex.isValid() || !sourceModel() || proxyIndex.row() >= m_visible.size())
        return {};
    return sourceModel()->index(m_visible[proxyIndex.row()], proxyIndex.column());
}

QModelIndex SiteFilterProxy::mapFromSource(const QModelIndex& sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.row() >= m_sourceToProxy.size())
        return {};
    const int row = m_sourceToProxy[sourceIndex.row()];
    return row < 0 ? QModelIndex() : createIndex(row, sourceIndex.column());
}

QModelIndex SiteFilterProxy::sibling(int row, int column, const QModelIndex&) const
{
    return index(row, column);
}

} // namespace chom
