#pragma once

#include "ui/sites/CheckedWizardPage.h"

class QLabel;
class QLineEdit;

namespace chom {

class AppContext;

// Create Site, step 2: the domain, checked against the domain rules as it
// is typed (the reason shown under it) and against every stored site on
// Next, on the store thread.
class SiteDomainPage : public CheckedWizardPage
{
    Q_OBJECT
public:
    explicit SiteDomainPage(AppContext& ctx, QWidget* parent = nullptr);

    QString domain() const { return m_normalized; } // the stored form; empty while invalid
    QLineEdit* edit() const { return m_edit; }

protected:
    bool ready() const override { return !m_normalized.isEmpty(); }
    void check(std::function<void(const QString&)> done) override;
    void showProblem(const QString& problem) override;

private:
    void onEdited();

    AppContext& m_ctx;
    QString m_normalized;
    QLineEdit* m_edit;
    QLabel* m_error;
    QLabel* m_hint;
};

} // namespace chom
