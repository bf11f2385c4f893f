#include "SiteFilterProxy.h"

#include "SiteTableModel.h"

#include <QDateTime>

namespace chom {

SiteFilterProxy::SiteFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
}

void SiteFilterProxy::setSourceModel(QAbstractItemModel* model)
{
    m_sites = qobject_cast<SiteTableModel*>(model);
    QSortFilterProxyModel::setSourceModel(model);
}

void SiteFilterProxy::refilter()
{
    if (m_sites)
        m_sites->setNow(QDateTime::currentSecsSinceEpoch());
    invalidateFilter();
}

void SiteFilterProxy::setSearchText(const QString& text)
{
    const QString t = text.trimmed();
    if (t == m_search)
        return;
    m_search = t;
    refilter();
}

void SiteFilterProxy::setStatusFilter(std::optional<SiteStatus> status)
{
    m_status = status;
    refilter();
}

void SiteFilterProxy::setTypeFilter(std::optional<SiteType> type)
{
    m_type = type;
    refilter();
}

void SiteFilterProxy::setVpsFilter(Id vpsId)
{
    m_vps = vpsId;
    refilter();
}

void SiteFilterProxy::setTenantFilter(Id tenantId)
{
    m_tenant = tenantId;
    refilter();
}

void SiteFilterProxy::setSslExpiringOnly(bool on)
{
    m_sslExpiring = on;
    refilter();
}

void SiteFilterProxy::clearFilters()
{
    m_search.clear();
    m_status.reset();
    m_type.reset();
    m_vps = m_tenant = 0;
    m_sslExpiring = false;
    refilter();
}

bool SiteFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex&) const
{
    if (!m_sites)
        return true;
    const Site& s = m_sites->rowAt(sourceRow);
    if (m_status && s.status != *m_status)
        return false;
    if (m_type && s.type != *m_type)
        return false;
    if (m_vps && s.vpsId != m_vps)
        return false;
    if (m_tenant && s.tenantId != m_tenant)
        return false;
    if (m_sslExpiring) {
        const qint64 now = m_sites->now() ? m_sites->now() : QDateTime::currentSecsSinceEpoch();
        if (sslState(s.sslEnabled, s.sslExpiresAt, now) != SslState::Expiring)
            return false;
    }
    if (m_search.isEmpty())
        return true;
    return s.domain.contains(m_search, Qt::CaseInsensitive) ||
           m_sites->tenantName(s.tenantId).contains(m_search, Qt::CaseInsensitive);
}

bool SiteFilterProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    if (!m_sites)
        return QSortFilterProxyModel::lessThan(left, right);
    const Site& a = m_sites->rowAt(left.row());
    const Site& b = m_sites->rowAt(right.row());
    switch (left.column()) {
    case SiteTableModel::Domain: return a.domain < b.domain;
    case SiteTableModel::Tenant:
        return m_sites->tenantName(a.tenantId).compare(m_sites->tenantName(b.tenantId), Qt::CaseInsensitive) < 0;
    case SiteTableModel::Server: return m_sites->vpsName(a.vpsId) < m_sites->vpsName(b.vpsId);
    case SiteTableModel::Type: return a.type < b.type;
    case SiteTableModel::Php: return a.phpVersion < b.phpVersion;
    case SiteTableModel::Status: return a.status < b.status;
    case SiteTableModel::Ssl:
    case SiteTableModel::SslExpires:
        return (a.sslEnabled ? a.sslExpiresAt : 0) < (b.sslEnabled ? b.sslExpiresAt : 0);
    case SiteTableModel::Storage: return a.storageUsedMb < b.storageUsedMb;
    case SiteTableModel::Created: return a.createdAt < b.createdAt;
    default: return a.id < b.id;
    }
}

} // namespace chom
