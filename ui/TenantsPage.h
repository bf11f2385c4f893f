#pragma once

#include "TablePage.h"

class QPushButton;

namespace chom {

// Tenants with their tier and quota use ("n / max"): create, edit, suspend,
// activate, delete (the service refuses while a tenant has sites).
class TenantsPage : public TablePage
{
    Q_OBJECT
public:
    explicit TenantsPage(AppContext& ctx, QWidget* parent = nullptr);

    QString title() const override { return tr("Tenants"); }
    void refresh() override;
    void createNew() override;
    void deleteSelected() override;
    void editSelected();
    void setSelectedStatus(TenantStatus status);

protected:
    void load() override;
    void onSelectionChanged() override;

private:
    void showContextMenu(const QPoint& pos);
    void changeStatus(const Tenant& t, TenantStatus status);

    QPushButton* m_edit;
    QPushButton* m_suspend;
    QPushButton* m_activate;
    QPushButton* m_delete;
};

} // namespace chom
