#include "ui/sites/CheckedWizardPage.h"

#include <QPointer>
#include <QWizard>

namespace chom {

bool CheckedWizardPage::validatePage()
{
    if (m_passed) {
        m_passed = false;
        return true;
    }
    if (m_checking || !ready())
        return false;
    m_checking = true;
    Q_EMIT completeChanged();
    check([self = QPointer<CheckedWizardPage>(this),
           generation = m_generation](const QString& problem) {
        if (!self || generation != self->m_generation)
            return;
        self->m_checking = false;
        self->showProblem(problem);
        Q_EMIT self->completeChanged();
        if (!problem.isEmpty() || !self->wizard())
            return;
        self->m_passed = true;
        QWizard* w = self->wizard();
        if (w->currentPage() != self)
            return;
        if (w->nextId() == -1)
            w->accept();
        else
            w->next();
        self->m_passed = false; // consumed, or the wizard refused for its own reasons
    });
    return false;
}

bool CheckedWizardPage::isComplete() const
{
    return !m_checking && ready();
}

void CheckedWizardPage::inputChanged()
{
    ++m_generation;
    m_checking = false;
    m_passed = false;
    Q_EMIT completeChanged();
}

} // namespace chom
