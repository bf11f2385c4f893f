#include "ui/inventory/TenantDialog.h"

#include "inventory/Core.h"
#include "inventory/QuotaPolicy.h"
#include "inventory/Validation.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>

namespace chom {
namespace {

QString limitText(int v, const QString& unit)
{
    return v == kUnlimited ? QObject::tr("unlimited %1").arg(unit)
                           : QStringLiteral("%1 %2").arg(v).arg(unit);
}

} // namespace

TenantDialog::TenantDialog(AppContext& ctx, std::optional<Tenant> existing, QWidget* parent)
    : FormDialog(parent), m_ctx(ctx), m_existing(std::move(existing)), m_name(new QLineEdit),
      m_org(new QComboBox), m_tier(new QComboBox)
{
    setObjectName(QStringLiteral("tenantDialog"));
    setWindowTitle(m_existing ? tr("Edit tenant") : tr("New tenant"));
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setMaxLength(255);
    m_org->setObjectName(QStringLiteral("organizationCombo"));
    m_org->setEditable(true);
    m_org->setInsertPolicy(QComboBox::NoInsert);
    m_org->lineEdit()->setPlaceholderText(tr("Defaults to the tenant name"));
    m_tier->setObjectName(QStringLiteral("tierCombo"));

    fillLookups();

    m_nameError = addField(tr("&Name:"), m_name, QStringLiteral("nameError"));
    addField(tr("&Organization:"), m_org, QStringLiteral("organizationError"));
    m_orgHint = addHint(m_org, QStringLiteral("organizationHint"));
    m_tierError = addField(tr("&Tier:"), m_tier, QStringLiteral("tierError"));
    m_usage = addHint(m_tier, QStringLiteral("usageLabel"));

    if (m_existing) {
        m_name->setText(m_existing->name);
        m_org->setCurrentText(m_existing->organizationName);
        m_org->setEnabled(false); // a tenant stays in its organization
        m_org->setToolTip(tr("A tenant cannot move to another organization"));
        m_tier->setCurrentIndex(qMax(0, m_tier->findData(m_existing->tier)));
        setMessage(m_usage, tr("Sites used: %1 · storage %2")
                                .arg(quota::describeSites(*m_existing),
                                     quota::describeStorage(*m_existing)));
    } else {
        m_org->setCurrentIndex(-1);
        m_tier->setCurrentIndex(qMax(0, m_tier->findData(QStringLiteral("starter"))));
    }
    finishLayout(m_existing ? tr("Save") : tr("Create tenant"));

    connect(m_name, &QLineEdit::textChanged, this, &TenantDialog::revalidate);
    connect(m_org, &QComboBox::currentTextChanged, this, &TenantDialog::revalidate);
    connect(m_tier, &QComboBox::currentIndexChanged, this, &TenantDialog::revalidate);
    // Opened before the lists arrived (just after startup): fill them then.
    connect(&ctx.inventory(), &Inventory::tenantsChanged, this, [this] {
        if (m_tier->count() == 0) {
            fillLookups();
            m_tier->setCurrentIndex(qMax(
                0, m_tier->findData(m_existing ? m_existing->tier : QStringLiteral("starter"))));
            revalidate();
        }
    });
    ctx.inventory().ensureLoaded();
}

void TenantDialog::fillLookups()
{
    const QString orgText = m_org->currentText();
    for (const Organization& o : m_ctx.inventory().organizations())
        m_org->addItem(o.name, o.id);
    m_org->setEditText(orgText);
    for (const TierLimit& t : m_ctx.inventory().tiers())
        m_tier->addItem(tr("%1 — %2, %3")
                            .arg(t.name.isEmpty() ? t.tier : t.name,
                                 limitText(t.maxSites, tr("sites")),
                                 limitText(t.maxStorageGb, tr("GB"))),
                        t.tier);
}

bool TenantDialog::validate()
{
    bool ok = true;
    const auto name = validation::validateName(tr("Tenant name"), m_name->text(), 255);
    setMessage(m_nameError, m_name->text().isEmpty() ? QString() : name.errorMessage());
    ok = name.ok();

    if (!m_existing) {
        const QString org = m_org->currentText().trimmed();
        const bool known = org.isEmpty() || m_org->findText(org, Qt::MatchFixedString) >= 0;
        setMessage(m_orgHint,
                   known ? QString() : tr("A new organization “%1” will be created.").arg(org));
    }

    QString tierProblem;
    if (m_tier->count() == 0) {
        tierProblem = m_ctx.inventory().isLoaded() ? tr("No tiers are defined in the store.")
                                                   : tr("Loading tiers…");
    } else if (m_existing) {
        const QString key = m_tier->currentData().toString();
        for (const TierLimit& t : m_ctx.inventory().tiers()) {
            if (t.tier == key && key != m_existing->tier)
                tierProblem = quota::canMoveToTier(*m_existing, t).errorMessage();
        }
    }
    setMessage(m_tierError, tierProblem);
    return ok && tierProblem.isEmpty();
}

void TenantDialog::save()
{
    Tenant t = m_existing.value_or(Tenant{});
    t.name = m_name->text().trimmed();
    t.tier = m_tier->currentData().toString();
    if (!m_existing) {
        const QString org = m_org->currentText().trimmed();
        const int idx = org.isEmpty() ? -1 : m_org->findText(org, Qt::MatchFixedString);
        t.organizationId = idx >= 0 ? m_org->itemData(idx).value<Id>() : 0;
        t.organizationName = org;
    }
    m_ctx.run<Status>(
        this,
        [t, create = !m_existing](Core& c) -> Status {
            if (!create)
                return c.tenants().update(t);
            auto id = c.tenants().create(t);
            return id ? okStatus() : Status(id.error());
        },
        [this, name = t.name](Status st) {
            if (st)
                Q_EMIT saved(name);
            saveFinished(st.errorMessage());
        });
}

} // namespace chom
