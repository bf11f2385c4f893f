#pragma once

#include "RowTableModel.h"
#include "ServedSsl.h"

namespace chom {

// All sites across tenants. Tenant and VPS names come from lookups so a
// rename shows at once and 100k rows don't each carry copies.
class SiteTableModel : public RowTableModel<Site>
{
    Q_OBJECT
public:
    enum Column
    {
        Domain,
        Tenant,
        Server,
        Type,
        Php,
        Status,
        Ssl,
        SslExpires,
        Storage,
        Created,
        ColumnCount
    };
    Q_ENUM(Column)

    using RowTableModel<Site>::RowTableModel;

    int columnCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

    void setTenantNames(QHash<Id, QString> names);
    void setVpsNames(QHash<Id, QString> names);
    QString tenantName(Id id) const { return m_tenantNames.value(id); }
    QString vpsName(Id id) const { return m_vpsNames.value(id); }
    const QHash<Id, QString>& tenantNames() const { return m_tenantNames; }

    // Frozen "now" for SSL state so sorting and filtering agree within a pass.
    void setNow(qint64 now) { m_now = now; }
    qint64 now() const { return m_now; }

    // The probed certificate of a site replaces the stored date's verdict in
    // the SSL column (its detail in the tooltip); sorting and the filters
    // keep using the stored date.
    void setServed(Id siteId, ServedSsl served);
    const ServedSsl* served(Id siteId) const;

private:
    QHash<Id, QString> m_tenantNames;
    QHash<Id, QString> m_vpsNames;
    qint64 m_now = 0;
    QHash<Id, ServedSsl> m_served;
};

} // namespace chom
