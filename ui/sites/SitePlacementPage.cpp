#include "ui/sites/SitePlacementPage.h"

#include "inventory/Core.h"
#include "sites/SitePlacement.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"
#include "ui/widgets/PlainLabel.h"

#include <QLabel>
#include <QListWidget>
#include <QRadioButton>
#include <QSignalBlocker>
#include <QStyle>
#include <QVBoxLayout>

namespace chom {

SitePlacementPage::SitePlacementPage(AppContext& ctx, QWidget* parent)
    : QWizardPage(parent), m_ctx(ctx), m_auto(new QRadioButton(tr("&Automatic placement"))),
      m_manual(new QRadioButton(tr("&Choose a VPS:"))), m_autoLabel(plainLabel()),
      m_list(new QListWidget)
{
    setObjectName(QStringLiteral("placementPage"));
    setTitle(tr("VPS"));
    setSubTitle(tr("Where the site runs. Automatic placement takes the least-loaded active, "
                   "healthy VPS when the site is provisioned."));
    m_auto->setObjectName(QStringLiteral("autoRadio"));
    m_manual->setObjectName(QStringLiteral("manualRadio"));
    m_auto->setChecked(true);
    m_autoLabel->setObjectName(QStringLiteral("autoChoice"));
    m_autoLabel->setProperty("role", QStringLiteral("fieldHint"));
    m_autoLabel->setWordWrap(true);
    m_autoLabel->setContentsMargins(22, 0, 0, 6);
    m_list->setObjectName(QStringLiteral("vpsList"));
    m_list->setMinimumHeight(120);

    auto* col = new QVBoxLayout(this);
    col->addWidget(m_auto);
    col->addWidget(m_autoLabel);
    col->addWidget(m_manual);
    col->addWidget(m_list, 1);

    connect(m_auto, &QRadioButton::toggled, this, &SitePlacementPage::update);
    connect(m_list, &QListWidget::currentRowChanged, this, &SitePlacementPage::update);
    // Picking a server in the list means "choose by hand".
    connect(m_list, &QListWidget::itemPressed, this, [this] { m_manual->setChecked(true); });
    connect(&ctx.inventory(), &Inventory::vpsChanged, this, [this] {
        fillServers();
        refreshAutomatic();
    });
    fillServers();
    update();
}

void SitePlacementPage::initializePage()
{
    refreshAutomatic();
}

void SitePlacementPage::fillServers()
{
    const Id keep =
        m_list->currentItem() ? m_list->currentItem()->data(Qt::UserRole).value<Id>() : 0;
    QSignalBlocker block(m_list);
    m_list->clear();
    for (const Vps& v : m_ctx.inventory().vpsByHostname()) {
        if (v.status != VpsStatus::Active)
            continue;
        auto* item = new QListWidgetItem(tr("%1 — %2 sites, %3 CPU, %4")
                                             .arg(v.hostname)
                                             .arg(v.siteCount)
                                             .arg(v.specCpu)
                                             .arg(toString(v.health)),
                                         m_list);
        item->setData(Qt::UserRole, QVariant::fromValue(v.id));
        if (v.id == keep)
            m_list->setCurrentItem(item);
    }
    update();
}

void SitePlacementPage::refreshAutomatic()
{
    if (!m_choosing.begin())
        return;
    if (!m_wouldChoose)
        m_autoLabel->setText(tr("Working out which VPS it would be…"));
    m_ctx.run<Result<Vps>>(
        this,
        [](Core& c) -> Result<Vps> {
            auto fleet = c.vps().list();
            if (!fleet)
                return fleet.error();
            return chooseVps(fleet.value());
        },
        [this](Result<Vps> v) {
            const bool again = m_choosing.end();
            m_wouldChoose = std::move(v);
            update();
            if (again)
                refreshAutomatic();
        });
}

void SitePlacementPage::update()
{
    if (m_wouldChoose && *m_wouldChoose)
        m_autoLabel->setText(tr("Now that would be %1 (%2 sites on %3 CPU).")
                                 .arg(m_wouldChoose->value().hostname)
                                 .arg(m_wouldChoose->value().siteCount)
                                 .arg(m_wouldChoose->value().specCpu));
    else if (m_wouldChoose)
        m_autoLabel->setText(m_wouldChoose->errorMessage());
    m_autoLabel->setProperty("role", m_wouldChoose && !*m_wouldChoose
                                         ? QStringLiteral("fieldError")
                                         : QStringLiteral("fieldHint"));
    m_autoLabel->style()->unpolish(m_autoLabel);
    m_autoLabel->style()->polish(m_autoLabel);
    if (m_list->count() == 0 && m_manual->isChecked())
        m_auto->setChecked(true);
    m_manual->setEnabled(m_list->count() > 0);
    Q_EMIT completeChanged();
}

bool SitePlacementPage::isAutomatic() const
{
    return m_auto->isChecked();
}

Id SitePlacementPage::chosenVpsId() const
{
    if (isAutomatic() || !m_list->currentItem())
        return 0;
    return m_list->currentItem()->data(Qt::UserRole).value<Id>();
}

QString SitePlacementPage::describe() const
{
    if (!isAutomatic())
        return m_list->currentItem() ? m_ctx.inventory().vpsNames().value(chosenVpsId())
                                     : QString();
    if (m_wouldChoose && *m_wouldChoose)
        return tr("Automatic (now %1)").arg(m_wouldChoose->value().hostname);
    return tr("Automatic");
}

bool SitePlacementPage::isComplete() const
{
    if (isAutomatic())
        return m_wouldChoose && m_wouldChoose->ok();
    return chosenVpsId() != 0;
}

} // namespace chom
