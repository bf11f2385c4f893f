#include "ui/inventory/SiteFilterBar.h"

#include "SiteFilterProxy.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace chom {
namespace {

QVector<QPair<Id, QString>> sortedPairs(const QHash<Id, QString>& names)
{
    QVector<QPair<Id, QString>> out;
    out.reserve(names.size());
    for (auto it = names.constBegin(); it != names.constEnd(); ++it)
        out.append({it.key(), it.value()});
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.second.compare(b.second, Qt::CaseInsensitive) < 0;
    });
    return out;
}

} // namespace

SiteFilterBar::SiteFilterBar(SiteFilterProxy& proxy, QWidget* parent)
    : QWidget(parent), m_proxy(proxy), m_search(new QLineEdit), m_status(new QComboBox),
      m_type(new QComboBox), m_vps(new QComboBox), m_tenant(new QComboBox),
      m_sslExpiring(new QCheckBox(tr("SSL expiring only"))),
      m_clear(new QPushButton(tr("Clear filters")))
{
    m_search->setObjectName(QStringLiteral("searchEdit"));
    m_search->setPlaceholderText(tr("Search domain or tenant  (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(240);
    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_type->setObjectName(QStringLiteral("typeFilter"));
    m_vps->setObjectName(QStringLiteral("vpsFilter"));
    m_tenant->setObjectName(QStringLiteral("tenantFilter"));
    m_sslExpiring->setObjectName(QStringLiteral("sslExpiringOnly"));
    m_sslExpiring->setToolTip(tr("Certificates that expire within 14 days"));
    m_clear->setObjectName(QStringLiteral("clearFilters"));

    m_status->addItem(tr("All statuses"));
    for (const QString& s : allSiteStatuses())
        m_status->addItem(s, s);
    m_type->addItem(tr("All types"));
    for (const QString& t : allSiteTypes())
        m_type->addItem(t, t);
    refill(m_vps, tr("All servers"), {});
    refill(m_tenant, tr("All tenants"), {});
    for (QComboBox* box : {m_vps, m_tenant}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(16);
    }

    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->setSpacing(8);
    row->addWidget(m_search, 2);
    row->addWidget(m_status);
    row->addWidget(m_type);
    row->addWidget(m_vps, 1);
    row->addWidget(m_tenant, 1);
    row->addWidget(m_sslExpiring);
    row->addWidget(m_clear);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kSearchDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &SiteFilterBar::applySearch);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_debounce.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &SiteFilterBar::applySearch);
    connect(m_status, &QComboBox::currentIndexChanged, this, [this] {
        const QString s = m_status->currentData().toString();
        m_proxy.setStatusFilter(s.isEmpty() ? std::nullopt : siteStatusFromString(s));
    });
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        const QString t = m_type->currentData().toString();
        m_proxy.setTypeFilter(t.isEmpty() ? std::nullopt : siteTypeFromString(t));
    });
    connect(m_vps, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy.setVpsFilter(m_vps->currentData().value<Id>()); });
    connect(m_tenant, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy.setTenantFilter(m_tenant->currentData().value<Id>()); });
    connect(m_sslExpiring, &QCheckBox::toggled, this,
            [this](bool on) { m_proxy.setSslExpiringOnly(on); });
    connect(m_clear, &QPushButton::clicked, this, &SiteFilterBar::clearAll);
}

void SiteFilterBar::applySearch()
{
    m_debounce.stop();
    m_proxy.setSearchText(m_search->text());
}

void SiteFilterBar::refill(QComboBox* box, const QString& anyText,
                           const QVector<QPair<Id, QString>>& items)
{
    const Id current = box->count() ? box->currentData().value<Id>() : 0;
    QSignalBlocker block(box);
    box->clear();
    box->addItem(anyText, Id(0));
    for (const auto& [id, name] : items)
        box->addItem(name, id);
    const int idx = box->findData(current);
    box->setCurrentIndex(idx < 0 ? 0 : idx);
}

void SiteFilterBar::setTenants(const QHash<Id, QString>& tenants)
{
    const Id before = m_tenant->currentData().value<Id>();
    refill(m_tenant, tr("All tenants"), sortedPairs(tenants));
    if (m_tenant->currentData().value<Id>() != before)
        m_proxy.setTenantFilter(0); // the filtered tenant is gone
}

void SiteFilterBar::setServers(const QHash<Id, QString>& servers)
{
    const Id before = m_vps->currentData().value<Id>();
    refill(m_vps, tr("All servers"), sortedPairs(servers));
    if (m_vps->currentData().value<Id>() != before)
        m_proxy.setVpsFilter(0);
}

void SiteFilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void SiteFilterBar::clearAll()
{
    // Reset the widgets silently, then refilter once.
    m_debounce.stop();
    for (QWidget* w : std::initializer_list<QWidget*>{m_search, m_status, m_type, m_vps, m_tenant,
                                                      m_sslExpiring})
        w->blockSignals(true);
    m_search->clear();
    m_status->setCurrentIndex(0);
    m_type->setCurrentIndex(0);
    m_vps->setCurrentIndex(0);
    m_tenant->setCurrentIndex(0);
    m_sslExpiring->setChecked(false);
    for (QWidget* w : std::initializer_list<QWidget*>{m_search, m_status, m_type, m_vps, m_tenant,
                                                      m_sslExpiring})
        w->blockSignals(false);
    m_proxy.clearFilters();
}

} // namespace chom
