#include "ui/sites/SiteDomainPage.h"

#include "inventory/Core.h"
#include "inventory/Validation.h"
#include "ui/shell/AppContext.h"
#include "ui/widgets/PlainLabel.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace chom {

SiteDomainPage::SiteDomainPage(AppContext& ctx, QWidget* parent)
    : CheckedWizardPage(parent), m_ctx(ctx), m_edit(new QLineEdit), m_error(plainLabel()),
      m_hint(plainLabel())
{
    setObjectName(QStringLiteral("domainPage"));
    setTitle(tr("Domain"));
    setSubTitle(tr("The name the site answers to. Every domain is used by one site only."));
    m_edit->setObjectName(QStringLiteral("domainEdit"));
    m_edit->setPlaceholderText(QStringLiteral("example.com"));
    m_error->setObjectName(QStringLiteral("domainError"));
    m_error->setProperty("role", QStringLiteral("fieldError"));
    m_error->setWordWrap(true);
    m_error->hide();
    m_hint->setObjectName(QStringLiteral("domainHint"));
    m_hint->setProperty("role", QStringLiteral("fieldHint"));
    m_hint->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("&Domain:"), m_edit);
    auto* col = new QVBoxLayout(this);
    col->addLayout(form);
    col->addWidget(m_error);
    col->addWidget(m_hint);
    col->addStretch(1);
    connect(m_edit, &QLineEdit::textChanged, this, &SiteDomainPage::onEdited);
}

void SiteDomainPage::onEdited()
{
    inputChanged();
    const QString typed = m_edit->text();
    const auto d = validation::normalizeDomain(typed);
    m_normalized = d ? d.value() : QString();
    // Nothing to say until the operator types; Next stays disabled meanwhile.
    showProblem(typed.isEmpty() || d ? QString() : d.errorMessage());
    const bool idn = d && d.value() != typed.trimmed().toLower();
    m_hint->setText(idn ? tr("Stored as %1").arg(d.value()) : QString());
    m_hint->setVisible(idn);
    Q_EMIT completeChanged();
}

void SiteDomainPage::check(std::function<void(const QString&)> done)
{
    m_hint->setText(tr("Checking that %1 is free…").arg(m_normalized));
    m_hint->show();
    m_ctx.run<Result<Site>>(
        this, [d = m_normalized](Core& c) { return c.sites().byDomain(d); },
        [this, done, d = m_normalized](Result<Site> existing) {
            m_hint->hide();
            if (existing)
                done(tr("The domain %1 is already used by another site.").arg(d));
            else if (existing.error().code == QLatin1String("not_found"))
                done(QString());
            else
                done(existing.errorMessage());
        });
}

void SiteDomainPage::showProblem(const QString& problem)
{
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
}

} // namespace chom
