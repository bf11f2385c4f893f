#pragma once

#include "Domain.h"
#include "ui/widgets/FormDialog.h"

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;

namespace chom {

class AppContext;

// Create a tenant (name, organization, tier) or edit its name and tier. A
// tier that cannot hold the tenant's current sites is refused inline.
class TenantDialog : public FormDialog
{
    Q_OBJECT
public:
    TenantDialog(AppContext& ctx, std::optional<Tenant> existing, QWidget* parent = nullptr);

Q_SIGNALS:
    void saved(const QString& name);

protected:
    bool validate() override;
    void save() override;

private:
    void fillLookups();

    AppContext& m_ctx;
    std::optional<Tenant> m_existing;
    QLineEdit* m_name;
    QComboBox* m_org;
    QComboBox* m_tier;
    QLabel* m_nameError;
    QLabel* m_orgHint;
    QLabel* m_tierError;
    QLabel* m_usage;
};

} // namespace chom
