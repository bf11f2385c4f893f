#include "ui/sites/SiteSummaryPage.h"

#include "ui/shell/AppContext.h"
#include "ui/widgets/PlainLabel.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <memory>

namespace chom {

SiteSummaryPage::SiteSummaryPage(AppContext& ctx, std::function<Site()> request,
                                 std::function<Lines()> lines, QWidget* parent)
    : CheckedWizardPage(parent), m_ctx(ctx), m_request(std::move(request)),
      m_lines(std::move(lines)), m_form(new QFormLayout), m_busy(plainLabel()),
      m_error(plainLabel())
{
    setObjectName(QStringLiteral("summaryPage"));
    setTitle(tr("Summary"));
    setSubTitle(tr("Finish records the site and provisions it on its VPS; the operation "
                   "opens on the Operations page."));
    setFinalPage(true);
    m_form->setVerticalSpacing(8);
    m_busy->setObjectName(QStringLiteral("summaryBusy"));
    m_busy->setProperty("role", QStringLiteral("fieldHint"));
    m_busy->hide();
    m_error->setObjectName(QStringLiteral("serviceError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    auto* col = new QVBoxLayout(this);
    col->addLayout(m_form);
    col->addSpacing(8);
    col->addWidget(m_busy);
    col->addWidget(m_error);
    col->addStretch(1);
}

void SiteSummaryPage::initializePage()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    for (const auto& [label, value] : m_lines()) {
        QLabel* v = plainLabel(value);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_form->addRow(label, v);
    }
}

QString SiteSummaryPage::serviceError() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void SiteSummaryPage::check(std::function<void(const QString&)> done)
{
    const Site s = m_request();
    showProblem({});
    m_busy->setText(tr("Creating %1…").arg(s.domain));
    m_busy->show();
    // Written on the store thread before `done` is queued back here.
    auto start = std::make_shared<SiteStart>();
    m_ctx.startSiteOperation(
        this,
        [s, start](SiteOperations& ops) -> Result<Id> {
            auto r = ops.startCreate(s);
            if (!r)
                return r.error();
            *start = r.value();
            return r->operationId;
        },
        [this, done, start, domain = s.domain](Result<Id> op) {
            m_busy->hide();
            if (!op) {
                done(op.errorMessage());
                return;
            }
            Q_EMIT created(start->siteId, op.value(), domain);
            done(QString());
        });
}

void SiteSummaryPage::showProblem(const QString& problem)
{
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
}

} // namespace chom
