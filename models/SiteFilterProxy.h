#pragma once

#include "Domain.h"

#include <QSortFilterProxyModel>

#include <optional>

namespace chom {

class SiteTableModel;

// Search + filters + sort over SiteTableModel, reading rows directly (no
// QVariant round trips) so 100k rows filter within a keystroke.
class SiteFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit SiteFilterProxy(QObject* parent = nullptr);

    void setSourceModel(QAbstractItemModel* model) override;

    void setSearchText(const QString& text); // domain or tenant name, case-insensitive
    void setStatusFilter(std::optional<SiteStatus> status);
    void setTypeFilter(std::optional<SiteType> type);
    void setVpsFilter(Id vpsId);       // 0 = any
    void setTenantFilter(Id tenantId); // 0 = any
    void setSslExpiringOnly(bool on);
    void clearFilters();

    QString searchText() const { return m_search; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refilter();
    SiteTableModel* m_sites = nullptr;
    QString m_search;
    std::optional<SiteStatus> m_status;
    std::optional<SiteType> m_type;
    Id m_vps = 0;
    Id m_tenant = 0;
    bool m_sslExpiring = false;
};

} // namespace chom
