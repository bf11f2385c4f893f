#pragma once

#include <QWizardPage>

#include <functional>

namespace chom {

// A wizard page whose Next (or Finish) waits for a check off the GUI thread:
// validatePage() starts the check and refuses; a pass moves the wizard on by
// itself, a refusal is the page's to show. Editing the input meanwhile drops
// the answer (inputChanged()), so a check never passes stale input.
class CheckedWizardPage : public QWizardPage
{
    Q_OBJECT
public:
    using QWizardPage::QWizardPage;

    bool validatePage() override;
    bool isComplete() const override;
    bool isChecking() const { return m_checking; }

protected:
    // The local rules hold (what enables Next before any check).
    virtual bool ready() const = 0;
    // Starts the check; `done` gets the refusal, or an empty string to pass.
    virtual void check(std::function<void(const QString& problem)> done) = 0;
    virtual void showProblem(const QString& problem) = 0;
    // Call on every edit: a check under way no longer counts.
    void inputChanged();

private:
    bool m_checking = false;
    bool m_passed = false;
    int m_generation = 0;
};

} // namespace chom
