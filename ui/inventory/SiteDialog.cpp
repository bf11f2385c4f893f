#include "ui/inventory/SiteDialog.h"

#include "inventory/Core.h"
#include "inventory/QuotaPolicy.h"
#include "inventory/Validation.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace chom {

SiteDialog::SiteDialog(AppContext& ctx, std::optional<Site> existing, QWidget* parent)
    : FormDialog(parent), m_ctx(ctx), m_existing(std::move(existing)), m_domain(new QLineEdit),
      m_tenant(new QComboBox), m_vps(new QComboBox), m_type(new QComboBox), m_php(new QComboBox),
      m_storage(new QSpinBox)
{
    setObjectName(QStringLiteral("siteDialog"));
    setWindowTitle(m_existing ? tr("Edit site") : tr("New site"));
    m_domain->setObjectName(QStringLiteral("domainEdit"));
    m_domain->setPlaceholderText(QStringLiteral("example.com"));
    m_tenant->setObjectName(QStringLiteral("tenantCombo"));
    m_vps->setObjectName(QStringLiteral("vpsCombo"));
    m_type->setObjectName(QStringLiteral("typeCombo"));
    m_php->setObjectName(QStringLiteral("phpCombo"));
    m_storage->setObjectName(QStringLiteral("storageSpin"));
    m_storage->setRange(0, 10 * 1024 * 1024);
    m_storage->setSuffix(QStringLiteral(" MB"));
    m_storage->setToolTip(tr("Storage the site uses now; counted against the tenant's quota"));
    m_type->addItems(allSiteTypes());
    m_php->addItems(supportedPhpVersions());

    m_domainError = addField(tr("&Domain:"), m_domain, QStringLiteral("domainError"));
    m_domainHint = addHint(m_domain, QStringLiteral("domainHint"));
    m_tenantError = addField(tr("&Tenant:"), m_tenant, QStringLiteral("tenantError"));
    m_quota = addHint(m_tenant, QStringLiteral("quotaLabel"));
    addField(tr("&Server:"), m_vps, QStringLiteral("vpsError"));
    addField(tr("T&ype:"), m_type);
    addField(tr("&PHP:"), m_php);
    addField(tr("S&torage:"), m_storage);

    fillTenants();
    fillServers();
    if (m_existing) {
        m_domain->setText(m_existing->domain);
        m_type->setCurrentText(toString(m_existing->type));
        m_php->setCurrentText(m_existing->phpVersion);
        m_storage->setValue(int(qMin<qint64>(m_existing->storageUsedMb, m_storage->maximum())));
    }
    finishLayout(m_existing ? tr("Save") : tr("Create site"));

    connect(m_domain, &QLineEdit::textChanged, this, &SiteDialog::revalidate);
    connect(m_tenant, &QComboBox::currentIndexChanged, this, &SiteDialog::revalidate);
    // Lists may still be loading, and quotas move as other sites are added.
    connect(&ctx.inventory(), &Inventory::tenantsChanged, this, [this] {
        fillTenants();
        revalidate();
    });
    connect(&ctx.inventory(), &Inventory::vpsChanged, this, &SiteDialog::fillServers);
    ctx.inventory().ensureLoaded();
    m_domain->setFocus();
}

namespace {

// Replaces the items only when they differ, keeping the chosen id selected,
// so a background refresh never disturbs what the operator picked.
void refill(QComboBox* box, const QVector<QPair<Id, QString>>& items, Id keep)
{
    bool same = box->count() == items.size();
    for (int i = 0; same && i < items.size(); ++i)
        same =
            box->itemData(i).value<Id>() == items[i].first && box->itemText(i) == items[i].second;
    if (same)
        return;
    QSignalBlocker block(box);
    box->clear();
    for (const auto& [id, label] : items)
        box->addItem(label, id);
    const int idx = box->findData(QVariant::fromValue<Id>(keep));
    box->setCurrentIndex(idx >= 0 ? idx : 0);
}

} // namespace

void SiteDialog::fillTenants()
{
    const Id keep = m_tenant->count() ? m_tenant->currentData().value<Id>()
                                      : (m_existing ? m_existing->tenantId : 0);
    QVector<QPair<Id, QString>> items;
    for (const Tenant& t : m_ctx.inventory().tenantsByName())
        items.append({t.id, t.status == TenantStatus::Active
                                ? t.name
                                : tr("%1 (%2)").arg(t.name, toString(t.status))});
    refill(m_tenant, items, keep);
}

void SiteDialog::fillServers()
{
    const Id placed = m_existing ? m_existing->vpsId : 0;
    const Id keep = m_vps->count() ? m_vps->currentData().value<Id>() : placed;
    QVector<QPair<Id, QString>> items{{0, tr("Not placed")}};
    for (const Vps& v : m_ctx.inventory().vpsByHostname()) {
        // A decommissioned server takes no new sites, but a site may stay on one.
        if (v.status == VpsStatus::Decommissioned && v.id != placed)
            continue;
        items.append(
            {v.id, tr("%1 (%2, %3 sites)").arg(v.hostname, toString(v.status)).arg(v.siteCount)});
    }
    refill(m_vps, items, keep);
}

bool SiteDialog::validate()
{
    bool ok = true;
    const auto domain = validation::normalizeDomain(m_domain->text());
    if (m_domain->text().isEmpty()) {
        // Say nothing until the operator starts typing, but keep OK disabled.
        setMessage(m_domainError, {});
        ok = false;
    } else {
        setMessage(m_domainError, domain.errorMessage());
        ok = domain.ok();
    }
    m_normalizedDomain = domain ? domain.value() : QString();
    const bool idn = domain && domain.value() != m_domain->text().trimmed().toLower();
    setMessage(m_domainHint, idn ? tr("Stored as %1").arg(domain.value()) : QString());

    const Id tenantId = m_tenant->currentData().value<Id>();
    const auto tenant = m_ctx.inventory().tenant(tenantId);
    if (!tenant) {
        setMessage(m_tenantError, !m_ctx.inventory().isLoaded() ? tr("Loading tenants…")
                                  : m_tenant->count()
                                      ? tr("Choose a tenant.")
                                      : tr("Create a tenant first (Tenants page)."));
        setMessage(m_quota, {});
        return false;
    }
    setMessage(m_quota, tr("Sites used: %1").arg(quota::describeSites(*tenant)));
    const bool joining = !m_existing || m_existing->tenantId != tenantId;
    QString tenantProblem;
    if (joining) {
        auto q = quota::canAddSites(*tenant, 1);
        if (!q)
            tenantProblem = q.errorMessage();
        else if (!m_existing && tenant->status != TenantStatus::Active)
            tenantProblem = tr("Tenant \"%1\" is %2; activate it before adding sites.")
                                .arg(tenant->name, toString(tenant->status));
    }
    setMessage(m_tenantError, tenantProblem);
    return ok && tenantProblem.isEmpty();
}

Site SiteDialog::collect() const
{
    Site s = m_existing.value_or(Site{});
    s.domain = m_normalizedDomain;
    s.tenantId = m_tenant->currentData().value<Id>();
    s.vpsId = m_vps->currentData().value<Id>();
    s.type = siteTypeFromString(m_type->currentText()).value_or(SiteType::WordPress);
    s.phpVersion = m_php->currentText();
    s.storageUsedMb = m_storage->value();
    return s;
}

void SiteDialog::save()
{
    const Site s = collect();
    if (m_existing) {
        m_ctx.run<Status>(
            this, [s](Core& c) { return c.sites().update(s); },
            [this, s](Status st) {
                if (st)
                    Q_EMIT saved(s.id, s.domain);
                saveFinished(st.errorMessage());
            });
        return;
    }
    m_ctx.run<Result<Id>>(
        this, [s](Core& c) { return c.sites().create(s); },
        [this, s](Result<Id> id) {
            if (id)
                Q_EMIT saved(id.value(), s.domain);
            saveFinished(id.errorMessage());
        });
}

} // namespace chom
