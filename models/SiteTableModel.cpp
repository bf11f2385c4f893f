#include "SiteTableModel.h"
#include "PlainText.h"

#include <QDateTime>
#include <QLocale>

namespace chom {

QString formatTime(qint64 secs)
{
    if (secs <= 0)
        return QStringLiteral("—");
    return QDateTime::fromSecsSinceEpoch(secs).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString formatDate(qint64 secs)
{
    if (secs <= 0)
        return QStringLiteral("—");
    return QDateTime::fromSecsSinceEpoch(secs).toString(QStringLiteral("yyyy-MM-dd"));
}

void SiteTableModel::setTenantNames(QHash<Id, QString> names)
{
    m_tenantNames = std::move(names);
    refreshAll();
}

void SiteTableModel::setVpsNames(QHash<Id, QString> names)
{
    m_vpsNames = std::move(names);
    refreshAll();
}

void SiteTableModel::setServed(Id siteId, ServedSsl served)
{
    m_served.insert(siteId, std::move(served));
    const int row = rowOf(siteId);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, Ssl), index(row, Ssl));
}

const ServedSsl* SiteTableModel::served(Id siteId) const
{
    const auto it = m_served.constFind(siteId);
    return it == m_served.constEnd() ? nullptr : &it.value();
}

QVariant SiteTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Site& s = rowAt(index.row());
    if (role == IdRole)
        return s.id;
    const qint64 now = m_now ? m_now : QDateTime::currentSecsSinceEpoch();
    if (role == SortRole) {
        switch (index.column()) {
        case SslExpires:
            return s.sslEnabled ? s.sslExpiresAt : 0;
        case Storage:
            return s.storageUsedMb;
        case Created:
            return s.createdAt;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Status && !s.failureReason.isEmpty())
        return plainToolTip(s.failureReason);
    const ServedSsl* probed = index.column() == Ssl ? served(s.id) : nullptr;
    if (role == Qt::ToolTipRole && probed)
        return plainToolTip(probed->detail);
    if (role == Qt::TextAlignmentRole && index.column() == Storage)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Domain:
        return s.domain;
    case Tenant:
        return m_tenantNames.value(s.tenantId, QStringLiteral("#%1").arg(s.tenantId));
    case Server:
        return s.vpsId ? m_vpsNames.value(s.vpsId, QStringLiteral("#%1").arg(s.vpsId))
                       : QStringLiteral("—");
    case Type:
        return toString(s.type);
    case Php:
        return s.phpVersion;
    case Status:
        return toString(s.status);
    case Ssl:
        return probed ? probed->state : toString(sslState(s.sslEnabled, s.sslExpiresAt, now));
    case SslExpires:
        return s.sslEnabled ? formatDate(s.sslExpiresAt) : QStringLiteral("—");
    case Storage:
        return formatMb(s.storageUsedMb);
    case Created:
        return formatDate(s.createdAt);
    default:
        return {};
    }
}

QVariant SiteTableModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Domain:
        return tr("Domain");
    case Tenant:
        return tr("Tenant");
    case Server:
        return tr("Server");
    case Type:
        return tr("Type");
    case Php:
        return tr("PHP");
    case Status:
        return tr("Status");
    case Ssl:
        return tr("SSL");
    case SslExpires:
        return tr("SSL expires");
    case Storage:
        return tr("Storage");
    case Created:
        return tr("Created");
    default:
        return {};
    }
}

} // namespace chom
