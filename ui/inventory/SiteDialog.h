#pragma once

#include "Domain.h"
#include "ui/widgets/FormDialog.h"

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace chom {

class AppContext;

// Add or edit a site. Checks what it can locally (domain rules, tenant
// quota from the cached tenant list); SiteService re-checks everything on
// save, and its refusal (duplicate domain, quota) is shown here.
class SiteDialog : public FormDialog
{
    Q_OBJECT
public:
    SiteDialog(AppContext& ctx, std::optional<Site> existing, QWidget* parent = nullptr);

Q_SIGNALS:
    void saved(chom::Id id, const QString& domain);

protected:
    bool validate() override;
    void save() override;

private:
    void fillTenants();
    void fillServers();
    Site collect() const;

    AppContext& m_ctx;
    std::optional<Site> m_existing;
    QString m_normalizedDomain;
    QLineEdit* m_domain;
    QComboBox* m_tenant;
    QComboBox* m_vps;
    QComboBox* m_type;
    QComboBox* m_php;
    QSpinBox* m_storage;
    QLabel* m_domainError;
    QLabel* m_domainHint;
    QLabel* m_tenantError;
    QLabel* m_quota;
};

} // namespace chom
