#include "ui/settings/SettingsPage.h"
#include "ui/widgets/PlainLabel.h"

#include "observability/EndpointSettings.h"
#include "ui/observability/ObservabilityHealthPanel.h"
#include "ui/settings/EndpointSection.h"
#include "ui/shell/AppContext.h"

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QScrollArea>
#include <QShortcut>
#include <QVBoxLayout>

namespace chom {

namespace ep = metrics::endpoints;

SettingsPage::SettingsPage(AppContext& ctx, QWidget* parent)
    : Page(ctx, parent), m_nam(new QNetworkAccessManager(this))
{
    setObjectName(QStringLiteral("settingsPage"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(24, 20, 24, 12);
    addHeader(outer, tr("Settings"),
              tr("Observability endpoints. Tokens and passwords stay in the secret store."));

    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("settingsScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* body = new QWidget;
    auto* col = new QVBoxLayout(body);
    col->setContentsMargins(0, 0, 8, 0);
    col->setSpacing(14);
    m_panel = new ObservabilityHealthPanel(ctx, m_nam);
    col->addWidget(m_panel);
    connect(m_panel, &ObservabilityHealthPanel::message, this,
            [this](const QString& text, bool isError) { isError ? error(text) : info(text); });
    for (auto kind : ep::allKinds()) {
        auto* s = new EndpointSection(ctx, kind, m_nam);
        connect(s, &EndpointSection::message, this,
                [this](const QString& text, bool isError) { isError ? error(text) : info(text); });
        // The Metrics page uses the new Prometheus endpoint from now on.
        connect(s, &EndpointSection::saved, this, [this](metrics::EndpointConfig::Kind k) {
            if (k == metrics::EndpointConfig::Kind::Prometheus)
                this->ctx().reloadMetricsEndpoint();
        });
        col->addWidget(s);
        m_sections.append(s);
    }
    auto* about =
        plainLabel(tr("Data directory: %1\nVersion: %2")
                       .arg(QDir::toNativeSeparators(ctx.dataDir()), QStringLiteral(CHOM_VERSION)));
    about->setObjectName(QStringLiteral("aboutText"));
    about->setTextInteractionFlags(Qt::TextSelectableByMouse);
    col->addWidget(about);
    col->addStretch(1);
    scroll->setWidget(body);
    outer->addWidget(scroll, 1);

    auto* saveKey = new QShortcut(QKeySequence::Save, this);
    saveKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(saveKey, &QShortcut::activated, this, &SettingsPage::saveFocusedSection);
}

void SettingsPage::refresh()
{
    for (EndpointSection* s : m_sections)
        s->reload();
}

EndpointSection* SettingsPage::section(metrics::EndpointConfig::Kind kind) const
{
    for (EndpointSection* s : m_sections) {
        if (s->kind() == kind)
            return s;
    }
    return nullptr;
}

EndpointSection* SettingsPage::focusedSection() const
{
    for (QWidget* w = QApplication::focusWidget(); w; w = w->parentWidget()) {
        if (auto* s = qobject_cast<EndpointSection*>(w))
            return s;
        if (w == this)
            break;
    }
    return nullptr;
}

void SettingsPage::saveFocusedSection()
{
    if (EndpointSection* s = focusedSection())
        s->save();
    else
        info(tr("Click into an endpoint's fields, then Ctrl+S saves that endpoint."));
}

} // namespace chom
