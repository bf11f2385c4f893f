#pragma once

#include "Domain.h"
#include "ui/sites/CheckedWizardPage.h"

class QComboBox;
class QLabel;

namespace chom {

class AppContext;

// Create Site, step 1: the tenant (active ones, with their quota use). A
// tenant at its site quota is refused here, from the cached list as the
// operator chooses and from the store on Next.
class SiteTenantPage : public CheckedWizardPage
{
    Q_OBJECT
public:
    SiteTenantPage(AppContext& ctx, Id preselected, QWidget* parent = nullptr);

    Id tenantId() const;
    QString tenantName() const;
    // "3 of 5 sites", "3 sites (no limit)".
    static QString quotaUse(const Tenant& t);

protected:
    bool ready() const override;
    void check(std::function<void(const QString&)> done) override;
    void showProblem(const QString& problem) override;

private:
    void fill();
    void update();
    QString localProblem() const;

    AppContext& m_ctx;
    Id m_preselected;
    QComboBox* m_tenant;
    QLabel* m_error;
    QLabel* m_hint;
};

} // namespace chom
