#include "ui/fleet/ConnectionResultPanel.h"
#include "ui/widgets/PlainLabel.h"

#include "runtime/Runtime.h"

#include "ui/shell/AppContext.h"
#include "ui/shell/Inventory.h"

#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>

namespace chom {

ConnectionResultPanel::ConnectionResultPanel(AppContext& ctx, QWidget* parent)
    : QFrame(parent), m_ctx(ctx), m_rows(new QVBoxLayout(this))
{
    setObjectName(QStringLiteral("connectionResults"));
    m_rows->setContentsMargins(0, 0, 0, 0);
    m_rows->setSpacing(4);
    hide();
}

QString ConnectionResultPanel::categoryText(const QString& category)
{
    static const QHash<QString, QString> words = {
        {QStringLiteral("ok"), tr("connected")},
        {QStringLiteral("resolve"), tr("name does not resolve")},
        {QStringLiteral("refused"), tr("connection refused")},
        {QStringLiteral("timeout"), tr("timed out")},
        {QStringLiteral("auth_failed"), tr("authentication failed")},
        {QStringLiteral("host_key_unknown"), tr("host key unknown")},
        {QStringLiteral("host_key_changed"), tr("host key changed")},
        {QStringLiteral("agent_missing"), tr("agent missing")},
        {QStringLiteral("agent_outdated"), tr("agent outdated")},
        {QStringLiteral("breaker_open"), tr("circuit breaker open")},
        {QStringLiteral("unsupported_shell"), tr("login shell not POSIX")},
        {QStringLiteral("error"), tr("error")},
    };
    return words.value(category, category);
}

QFrame* ConnectionResultPanel::rowFor(Id vpsId)
{
    if (QFrame* old = m_byHost.take(vpsId))
        old->deleteLater();
    auto* row = new QFrame;
    row->setObjectName(QStringLiteral("connectionResult_%1").arg(vpsId));
    row->setFrameShape(QFrame::StyledPanel);
    m_byHost.insert(vpsId, row);
    m_rows->addWidget(row);
    show();
    return row;
}

void ConnectionResultPanel::showPending(Id vpsId, const QString& hostname)
{
    QFrame* row = rowFor(vpsId);
    auto* l = new QHBoxLayout(row);
    auto* text = plainLabel(tr("%1: testing…").arg(hostname));
    text->setObjectName(QStringLiteral("resultText"));
    l->addWidget(text, 1);
}

void ConnectionResultPanel::showResult(const ConnectionTest& r)
{
    const auto vps = m_ctx.inventory().vps(r.vpsId);
    const QString host = vps ? vps->hostname : QStringLiteral("#%1").arg(r.vpsId);
    QFrame* row = rowFor(r.vpsId);
    row->setProperty("category", r.category);
    auto* l = new QHBoxLayout(row);
    l->setContentsMargins(8, 4, 4, 4);
    QString text = tr("%1: %2 — %3").arg(host, categoryText(r.category), r.message);
    if (!r.agentVersion.isEmpty())
        text += tr(" (agent %1)").arg(r.agentVersion);
    if (r.category == QLatin1String("host_key_unknown"))
        text += tr("\nFingerprint: %1").arg(r.fingerprint);
    else if (r.category == QLatin1String("host_key_changed"))
        text += tr("\nTrusted: %1\nServer now: %2").arg(r.oldFingerprint, r.fingerprint);
    if (r.category == QLatin1String("host_key_unknown") ||
        r.category == QLatin1String("host_key_changed"))
        m_shown.insert(r.vpsId, r.fingerprint);
    else
        m_shown.remove(r.vpsId);
    auto* label = plainLabel(text);
    label->setObjectName(QStringLiteral("resultText"));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    l->addWidget(label, 1);
    const Id id = r.vpsId;
    if (r.category == QLatin1String("host_key_unknown")) {
        auto* b = new QPushButton(tr("Trust this key"));
        b->setObjectName(QStringLiteral("trustKeyButton"));
        connect(b, &QPushButton::clicked, this, [this, id, b] {
            b->setEnabled(false);
            trust(id);
        });
        l->addWidget(b);
    } else if (r.category == QLatin1String("host_key_changed")) {
        auto* b = new QPushButton(tr("Replace trusted key…"));
        b->setObjectName(QStringLiteral("replaceKeyButton"));
        connect(b, &QPushButton::clicked, this, [this, id] { confirmReplace(id); });
        l->addWidget(b);
    }
    auto* close = new QToolButton;
    close->setText(QStringLiteral("✕"));
    close->setObjectName(QStringLiteral("closeResultButton"));
    connect(close, &QToolButton::clicked, this, [this, id] {
        if (QFrame* f = m_byHost.take(id))
            f->deleteLater();
        m_shown.remove(id);
        if (m_byHost.isEmpty())
            hide();
    });
    l->addWidget(close);
}

void ConnectionResultPanel::confirmReplace(Id vpsId)
{
    const auto vps = m_ctx.inventory().vps(vpsId);
    if (!vps || shownFingerprint(vpsId).isEmpty())
        return;
    auto* dlg = new QInputDialog(this);
    dlg->setObjectName(QStringLiteral("replaceKeyDialog"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setWindowTitle(tr("Replace trusted host key"));
    dlg->setLabelText(tr("The server's key changed. That can mean a reinstall — or an attack.\n"
                         "New key: %1\n"
                         "Type the hostname %2 to trust exactly this key.")
                          .arg(shownFingerprint(vpsId), vps->hostname));
    const QString hostname = vps->hostname;
    connect(dlg, &QInputDialog::textValueSelected, this, [this, vpsId, hostname](const QString& t) {
        if (t.trimmed() == hostname)
            trust(vpsId);
        else
            Q_EMIT trusted(vpsId, false,
                           tr("The hostname did not match; the key was not replaced."));
    });
    dlg->open();
}

void ConnectionResultPanel::trust(Id vpsId)
{
    const QString fingerprint = shownFingerprint(vpsId);
    if (!m_ctx.fleet() || fingerprint.isEmpty())
        return;
    // trustHostKeyNow blocks on the network: on the runtime's fleet-call
    // pool, which the runtime joins before the fleet goes.
    auto pinned = std::make_shared<QString>();
    m_ctx.runtime().runWithFleet(
        this,
        [vpsId, fingerprint, pinned](FleetService& f) -> Status {
            auto r = f.trustHostKeyNow(vpsId, fingerprint);
            if (!r)
                return r.error();
            *pinned = r.value();
            return okStatus();
        },
        [this, vpsId, pinned](Status st) {
            Q_EMIT trusted(vpsId, st.ok(), st.ok() ? *pinned : st.errorMessage());
        });
}

} // namespace chom
