#include "ui/observability/ObservabilityHealthPanel.h"
#include "ui/widgets/PlainLabel.h"

#include "observability/EndpointSettings.h"
#include "runtime/Runtime.h"
#include "ui/shell/AppContext.h"

#include <QGridLayout>
#include <QLabel>
#include <QPushButton>

namespace chom {

namespace ep = metrics::endpoints;
using metrics::EndpointConfig;
using metrics::OverallHealth;

ObservabilityHealthPanel::ObservabilityHealthPanel(AppContext& ctx, QNetworkAccessManager* nam,
                                                   QWidget* parent)
    : QGroupBox(tr("Observability health"), parent), m_ctx(ctx),
      m_health(new metrics::ObservabilityHealth(nam, this)),
      m_checkAll(new QPushButton(tr("Check all"))), m_overall(plainLabel(tr("Not checked yet.")))
{
    setObjectName(QStringLiteral("observabilityHealthPanel"));
    m_checkAll->setObjectName(QStringLiteral("checkAllButton"));
    m_checkAll->setToolTip(tr("Probe Prometheus, Loki, Grafana and Alertmanager in parallel"));
    m_overall->setObjectName(QStringLiteral("overallHealth"));
    auto* grid = new QGridLayout(this);
    grid->addWidget(m_overall, 0, 0, 1, 2);
    grid->addWidget(m_checkAll, 0, 2, Qt::AlignRight);
    int row = 1;
    for (auto kind : ep::allKinds()) {
        auto* status = plainLabel(QStringLiteral("—"));
        status->setObjectName(ep::kindKey(kind) + QStringLiteral("Health"));
        status->setWordWrap(true);
        status->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto* time = plainLabel();
        time->setObjectName(ep::kindKey(kind) + QStringLiteral("HealthMs"));
        time->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        grid->addWidget(plainLabel(ep::kindName(kind)), row, 0);
        grid->addWidget(status, row, 1);
        grid->addWidget(time, row, 2);
        m_status.insert(int(kind), status);
        m_time.insert(int(kind), time);
        ++row;
    }
    grid->setColumnStretch(1, 1);
    connect(m_checkAll, &QPushButton::clicked, this, &ObservabilityHealthPanel::checkAll);
    connect(m_health, &metrics::ObservabilityHealth::finished, this,
            &ObservabilityHealthPanel::show);
}

void ObservabilityHealthPanel::checkAll()
{
    if (m_checking)
        return;
    m_checking = true;
    m_checkAll->setEnabled(false);
    m_overall->setText(tr("Checking…"));
    QVector<EndpointConfig> configs;
    bool needStore = false;
    for (auto kind : ep::allKinds()) {
        configs.append(ep::loadPublic(kind));
        needStore = needStore ||
                    (configs.last().isConfigured() &&
                     configs.last().auth != EndpointConfig::Auth::None && ep::secretStored(kind));
    }
    if (!needStore) {
        probe(configs);
        return;
    }
    // Secrets come from the store, which blocks: on a worker.
    using Loaded = Result<QVector<EndpointConfig>>;
    m_ctx.runtime().withSecrets<Loaded>(
        this, [](SecretStore& store) { return ep::loadAll(store); },
        [this, configs](Loaded loaded) {
            if (!loaded) {
                Q_EMIT message(loaded.errorMessage(), true);
                probe(configs); // without the secrets: the probe says 401
                return;
            }
            probe(loaded.value());
        });
}

void ObservabilityHealthPanel::probe(const QVector<EndpointConfig>& configs)
{
    m_health->check(configs);
}

void ObservabilityHealthPanel::show(const QVector<metrics::EndpointHealth>& results,
                                    OverallHealth overall)
{
    m_checking = false;
    m_checkAll->setEnabled(true);
    for (const auto& r : results) {
        QLabel* status = m_status.value(int(r.kind));
        QLabel* time = m_time.value(int(r.kind));
        if (!status)
            continue;
        if (!r.configured)
            status->setText(tr("Not configured"));
        else if (r.ok())
            status->setText(tr("OK"));
        else
            status->setText(tr("%1: %2").arg(metrics::toString(r.error), r.message));
        status->setStyleSheet(r.configured && !r.ok() ? QStringLiteral("color: #c62828;")
                                                      : QString());
        time->setText(r.configured && r.ms >= 0 ? tr("%1 ms").arg(r.ms) : QString());
    }
    QString text;
    switch (overall) {
    case OverallHealth::Healthy:
        text = tr("Healthy: every endpoint answers.");
        break;
    case OverallHealth::Degraded:
        text = tr("Degraded: some endpoints are failing.");
        break;
    case OverallHealth::Partial:
        text = tr("Partial: the configured endpoints answer; some are not configured.");
        break;
    case OverallHealth::Unconfigured:
        text = tr("Unconfigured: no observability endpoint is set below.");
        break;
    }
    m_overall->setText(text);
    m_overall->setProperty("overall", metrics::toString(overall));
    Q_EMIT checked(overall);
}

} // namespace chom
