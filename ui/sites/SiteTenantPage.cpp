#include "ui/sites/SiteTenantPage.h"

#include "inventory/Core.h"
#include "inventory/QuotaPolicy.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/widgets/PlainLabel.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace chom {
namespace {

QString tenantRefusal(const Tenant& t)
{
    if (t.status != TenantStatus::Active)
        return QCoreApplication::translate("chom::SiteTenantPage",
                                           "Tenant \"%1\" is %2; activate it before adding sites.")
            .arg(t.name, toString(t.status));
    const Status q = quota::canAddSites(t, 1);
    return q ? QString() : q.errorMessage();
}

} // namespace

SiteTenantPage::SiteTenantPage(AppContext& ctx, Id preselected, QWidget* parent)
    : CheckedWizardPage(parent), m_ctx(ctx), m_preselected(preselected), m_tenant(new QComboBox),
      m_error(plainLabel()), m_hint(plainLabel())
{
    setObjectName(QStringLiteral("tenantPage"));
    setTitle(tr("Tenant"));
    setSubTitle(tr("Who the site belongs to. It counts against the tenant's site quota."));
    m_tenant->setObjectName(QStringLiteral("tenantCombo"));
    m_error->setObjectName(QStringLiteral("tenantError"));
    m_error->setProperty("role", QStringLiteral("fieldError"));
    m_error->setWordWrap(true);
    m_hint->setObjectName(QStringLiteral("tenantHint"));
    m_hint->setProperty("role", QStringLiteral("fieldHint"));

    auto* form = new QFormLayout;
    form->addRow(tr("&Tenant:"), m_tenant);
    auto* col = new QVBoxLayout(this);
    col->addLayout(form);
    col->addWidget(m_hint);
    col->addWidget(m_error);
    col->addStretch(1);

    connect(m_tenant, &QComboBox::currentIndexChanged, this, [this] {
        inputChanged();
        update();
    });
    connect(&ctx.inventory(), &Inventory::tenantsChanged, this, [this] {
        fill();
        update();
    });
    ctx.inventory().ensureLoaded();
    fill();
    update();
}

QString SiteTenantPage::quotaUse(const Tenant& t)
{
    if (t.maxSites == kUnlimited)
        return tr("%1 sites (no limit)").arg(t.siteCount);
    return tr("%1 of %2 sites").arg(t.siteCount).arg(t.maxSites);
}

void SiteTenantPage::fill()
{
    const Id keep = m_tenant->count() ? tenantId() : m_preselected;
    QSignalBlocker block(m_tenant);
    m_tenant->clear();
    for (const Tenant& t : m_ctx.inventory().tenantsByName()) {
        if (t.status == TenantStatus::Active)
            m_tenant->addItem(tr("%1 — %2").arg(t.name, quotaUse(t)), QVariant::fromValue(t.id));
    }
    const int idx = m_tenant->findData(QVariant::fromValue(keep));
    m_tenant->setCurrentIndex(idx >= 0 ? idx : 0);
}

Id SiteTenantPage::tenantId() const
{
    return m_tenant->currentData().value<Id>();
}

QString SiteTenantPage::tenantName() const
{
    const auto t = m_ctx.inventory().tenant(tenantId());
    return t ? t->name : QString();
}

QString SiteTenantPage::localProblem() const
{
    if (!m_ctx.inventory().isLoaded())
        return tr("Loading tenants…");
    if (m_tenant->count() == 0)
        return tr("No active tenant: create or activate one on the Tenants page first.");
    const auto t = m_ctx.inventory().tenant(tenantId());
    return t ? tenantRefusal(*t) : tr("Choose a tenant.");
}

void SiteTenantPage::update()
{
    const auto t = m_ctx.inventory().tenant(tenantId());
    if (t)
        m_hint->setText(t->maxSites == kUnlimited ? tr("%1 tier: no site limit.").arg(t->tier)
                                                  : tr("%1 tier: room for %2 more sites.")
                                                        .arg(t->tier)
                                                        .arg(qMax(0, t->maxSites - t->siteCount)));
    m_hint->setVisible(t.has_value());
    showProblem(localProblem());
    Q_EMIT completeChanged();
}

bool SiteTenantPage::ready() const
{
    return localProblem().isEmpty();
}

// The cached counts may be behind another console's writes: ask the store.
void SiteTenantPage::check(std::function<void(const QString&)> done)
{
    m_ctx.run<Result<Tenant>>(
        this, [id = tenantId()](Core& c) { return c.tenants().get(id); },
        [done](Result<Tenant> t) { done(t ? tenantRefusal(t.value()) : t.errorMessage()); });
}

void SiteTenantPage::showProblem(const QString& problem)
{
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
}

} // namespace chom
