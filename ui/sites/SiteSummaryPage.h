#pragma once

#include "Domain.h"
#include "sites/SiteOperations.h"
#include "ui/sites/CheckedWizardPage.h"

#include <QPair>
#include <QVector>

class QFormLayout;
class QLabel;

namespace chom {

class AppContext;

// Create Site, last step: what will be created, and Finish, which records
// the site and starts its provisioning (SiteOperations::startCreate, which
// checks everything again before any server is touched). A refusal is shown
// here and the wizard stays open with everything entered.
class SiteSummaryPage : public CheckedWizardPage
{
    Q_OBJECT
public:
    using Lines = QVector<QPair<QString, QString>>; // label, value
    SiteSummaryPage(AppContext& ctx, std::function<Site()> request, std::function<Lines()> lines,
                    QWidget* parent = nullptr);

    void initializePage() override;
    QString serviceError() const;

Q_SIGNALS:
    void created(chom::Id siteId, chom::Id operationId, const QString& domain);

protected:
    bool ready() const override { return true; }
    void check(std::function<void(const QString&)> done) override;
    void showProblem(const QString& problem) override;

private:
    AppContext& m_ctx;
    std::function<Site()> m_request;
    std::function<Lines()> m_lines;
    QFormLayout* m_form;
    QLabel* m_busy;
    QLabel* m_error;
};

} // namespace chom
