#pragma once

#include "Domain.h"
#include "DomainSearchIndex.h"

#include <QAbstractProxyModel>
#include <QSet>
#include <QVector>

#include <optional>

namespace chom {

class SiteTableModel;

// Search + filters + sort over SiteTableModel for 100k rows within a
// keystroke. Unlike QSortFilterProxyModel, which re-sorts the survivors on
// every filter change, it keeps one sorted permutation of the source rows
// (rebuilt only when the sort key changes, patched in O(n) on row edits) and
// a filter pass is a linear walk over it that reads rows directly.
class SiteFilterProxy : public QAbstractProxyModel
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

    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    // QAbstractItemModel / QAbstractProxyModel
    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex&) const override { return {}; }
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    bool hasChildren(const QModelIndex& parent = {}) const override { return !parent.isValid(); }
    QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;
    QModelIndex sibling(int row, int column, const QModelIndex& idx) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    bool accepts(int sourceRow) const;
    bool less(int a, int b) const;
    void prepareSearch();
    void rebuildOrder();                // full sort of the permutation
    void refilter(bool asLayoutChange); // linear pass over the permutation
    void refilterFrom(const QVector<int>& candidates, bool asLayoutChange);
    void placeRows(const QVector<int>& sourceRows);
    void beginLayout(); // snapshot persistent indexes by site id
    void endLayout();
    void onSourceReset();
    void onRowsInserted(const QModelIndex&, int first, int last);
    void onRowsRemoved(const QModelIndex&, int first, int last);
    void onDataChanged(const QModelIndex& tl, const QModelIndex& br);

    SiteTableModel* m_sites = nullptr;
    QVector<int> m_order;         // source rows in sort order (all rows)
    QVector<int> m_visible;       // proxy row -> source row
    QVector<int> m_sourceToProxy; // source row -> proxy row or -1
    QModelIndexList m_pendingPersistent;
    QVector<Id> m_pendingIds;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;

    QString m_search;
    QString m_needle; // lower-cased search
    DomainSearchIndex m_domains;
    QVector<char> m_domainMatch; // per source row, valid while searching
    QSet<Id> m_matchingTenants;  // tenants whose name matches m_search
    std::optional<SiteStatus> m_status;
    std::optional<SiteType> m_type;
    Id m_vps = 0;
    Id m_tenant = 0;
    bool m_sslExpiring = false;
    qint64 m_now = 0;
};

} // namespace chom
