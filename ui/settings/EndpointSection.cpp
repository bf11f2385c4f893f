#include "ui/settings/EndpointSection.h"
#include "ui/widgets/PlainLabel.h"

#include "observability/EndpointSettings.h"
#include "runtime/Runtime.h"
#include "ui/shell/AppContext.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace chom {

namespace ep = metrics::endpoints;
using metrics::EndpointConfig;

EndpointSection::EndpointSection(AppContext& ctx, EndpointConfig::Kind kind,
                                 QNetworkAccessManager* nam, QWidget* parent)
    : QGroupBox(ep::kindName(kind), parent), m_ctx(ctx), m_kind(kind),
      m_health(new metrics::ObservabilityHealth(nam, this)), m_url(new QLineEdit),
      m_auth(new QComboBox), m_user(new QLineEdit), m_secret(new QLineEdit),
      m_caFile(new QLineEdit), m_timeout(new QSpinBox), m_test(new QPushButton(tr("Test"))),
      m_save(new QPushButton(tr("Save"))), m_result(plainLabel())
{
    setObjectName(ep::kindKey(kind) + QStringLiteral("Section"));
    m_url->setObjectName(QStringLiteral("urlEdit"));
    m_auth->setObjectName(QStringLiteral("authCombo"));
    m_user->setObjectName(QStringLiteral("userEdit"));
    m_secret->setObjectName(QStringLiteral("secretEdit"));
    m_caFile->setObjectName(QStringLiteral("caFileEdit"));
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_test->setObjectName(QStringLiteral("testButton"));
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_result->setObjectName(QStringLiteral("testResult"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    const QString defaults[] = {
        QStringLiteral("http://127.0.0.1:9090"), QStringLiteral("http://127.0.0.1:3100"),
        QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("http://127.0.0.1:9093")};
    m_url->setPlaceholderText(tr("e.g. %1 (empty: not configured)").arg(defaults[int(kind)]));
    m_auth->addItem(tr("None"), ep::authKey(EndpointConfig::Auth::None));
    m_auth->addItem(tr("Bearer token"), ep::authKey(EndpointConfig::Auth::Bearer));
    m_auth->addItem(tr("Basic (user and password)"), ep::authKey(EndpointConfig::Auth::Basic));
    m_secret->setEchoMode(QLineEdit::Password);
    m_caFile->setPlaceholderText(tr("System CAs"));
    m_timeout->setRange(ep::kMinTimeoutS, ep::kMaxTimeoutS);
    m_timeout->setSuffix(tr(" s"));
    m_save->setToolTip(tr("Save this endpoint (Ctrl+S)"));

    auto* form = new QFormLayout(this);
    auto withError = [this](QWidget* w, const QString& field) {
        auto* box = new QWidget;
        auto* col = new QVBoxLayout(box);
        col->setContentsMargins(0, 0, 0, 0);
        col->setSpacing(2);
        col->addWidget(w);
        col->addWidget(addErrorLabel(field));
        return box;
    };
    form->addRow(tr("URL"), withError(m_url, QStringLiteral("url")));
    form->addRow(tr("Authentication"), m_auth);
    m_userLabel = plainLabel(tr("User"));
    form->addRow(m_userLabel, withError(m_user, QStringLiteral("user")));
    m_secretLabel = plainLabel(tr("Token"));
    form->addRow(m_secretLabel, withError(m_secret, QStringLiteral("secret")));
    auto* caRow = new QWidget;
    auto* caCol = new QHBoxLayout(caRow);
    caCol->setContentsMargins(0, 0, 0, 0);
    caCol->addWidget(m_caFile, 1);
    auto* browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(QStringLiteral("caBrowseButton"));
    caCol->addWidget(browse);
    form->addRow(tr("CA file"), withError(caRow, QStringLiteral("caFile")));
    form->addRow(tr("Timeout"), withError(m_timeout, QStringLiteral("timeout")));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_test);
    buttons->addWidget(m_result, 1);
    buttons->addWidget(m_save);
    form->addRow(buttons);

    connect(m_auth, &QComboBox::currentIndexChanged, this, &EndpointSection::updateAuthFields);
    connect(browse, &QPushButton::clicked, this, &EndpointSection::chooseCaFile);
    connect(m_save, &QPushButton::clicked, this, &EndpointSection::save);
    connect(m_test, &QPushButton::clicked, this, &EndpointSection::test);
    connect(m_health, &metrics::ObservabilityHealth::finished, this,
            [this](const QVector<metrics::EndpointHealth>& r, metrics::OverallHealth) {
                m_testing = false;
                m_test->setEnabled(true);
                if (r.isEmpty())
                    return;
                const auto& h = r.first();
                m_result->setProperty("error", !h.ok());
                m_result->setText(h.ok()
                                      ? tr("OK — %1 ms").arg(h.ms)
                                      : tr("%1 (%2)").arg(h.message, metrics::toString(h.error)));
                Q_EMIT tested(h);
            });
    reload();
}

QLabel* EndpointSection::addErrorLabel(const QString& field)
{
    auto* l = plainLabel();
    l->setObjectName(field + QStringLiteral("Error"));
    l->setStyleSheet(QStringLiteral("color: #c62828;"));
    l->setWordWrap(true);
    l->hide();
    m_errors.insert(field, l);
    return l;
}

void EndpointSection::showErrors(const QMap<QString, QString>& errors)
{
    for (auto it = m_errors.begin(); it != m_errors.end(); ++it) {
        const QString text = errors.value(it.key());
        it.value()->setText(text);
        it.value()->setVisible(!text.isEmpty());
    }
}

void EndpointSection::updateAuthFields()
{
    const auto auth = ep::authFromKey(m_auth->currentData().toString());
    m_userLabel->setVisible(auth == EndpointConfig::Auth::Basic);
    m_user->parentWidget()->setVisible(auth == EndpointConfig::Auth::Basic);
    m_secretLabel->setVisible(auth != EndpointConfig::Auth::None);
    m_secret->parentWidget()->setVisible(auth != EndpointConfig::Auth::None);
    m_secretLabel->setText(auth == EndpointConfig::Auth::Basic ? tr("Password") : tr("Token"));
}

void EndpointSection::chooseCaFile()
{
    auto* dlg = new QFileDialog(this, tr("Choose a CA certificate (PEM)"), m_caFile->text());
    dlg->setObjectName(QStringLiteral("caFileDialog"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setFileMode(QFileDialog::ExistingFile);
    dlg->setNameFilters({tr("Certificates (*.pem *.crt *.cer)"), tr("All files (*)")});
    connect(dlg, &QFileDialog::fileSelected, m_caFile, &QLineEdit::setText);
    dlg->open();
}

EndpointConfig EndpointSection::config() const
{
    EndpointConfig c;
    c.kind = m_kind;
    c.url = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
    c.auth = ep::authFromKey(m_auth->currentData().toString());
    c.user = m_user->text().trimmed();
    c.secret = m_secret->text();
    c.caFile = m_caFile->text().trimmed();
    c.timeoutMs = m_timeout->value() * 1000;
    return c;
}

void EndpointSection::reload()
{
    const EndpointConfig c = ep::loadPublic(m_kind);
    m_url->setText(c.url.toString());
    m_auth->setCurrentIndex(qMax(0, m_auth->findData(ep::authKey(c.auth))));
    m_user->setText(c.user);
    m_secret->clear();
    m_secret->setPlaceholderText(ep::secretStored(m_kind)
                                     ? tr("Stored in the secret store (leave empty to keep)")
                                     : QString());
    m_caFile->setText(c.caFile);
    m_timeout->setValue(qBound(ep::kMinTimeoutS, c.timeoutMs / 1000, ep::kMaxTimeoutS));
    showErrors({});
    updateAuthFields();
}

bool EndpointSection::save()
{
    if (m_saving)
        return false;
    const EndpointConfig c = config();
    QMap<QString, QString> errors;
    for (const auto& e : ep::validate(c, ep::secretStored(m_kind)))
        if (!errors.contains(e.field))
            errors.insert(e.field, e.message);
    showErrors(errors);
    if (!errors.isEmpty()) {
        Q_EMIT message(errors.first(), true);
        return false;
    }
    if (!ep::needsSecretStore(c)) {
        const Status st = ep::savePublic(c);
        finishSave(st ? QString() : st.errorMessage());
        return st.ok();
    }
    m_saving = true;
    m_save->setEnabled(false);
    m_ctx.runtime().withSecrets<QString>(
        this,
        [c](SecretStore& store) {
            const Status st = ep::save(c, store);
            return st ? QString() : st.errorMessage();
        },
        [this](const QString& error) {
            m_saving = false;
            m_save->setEnabled(true);
            finishSave(error);
        });
    return true;
}

void EndpointSection::finishSave(const QString& error)
{
    if (!error.isEmpty()) {
        Q_EMIT message(error, true);
        return;
    }
    reload();
    Q_EMIT message(tr("%1 endpoint saved.").arg(ep::kindName(m_kind)), false);
    Q_EMIT saved(m_kind);
}

void EndpointSection::test()
{
    if (m_testing)
        return;
    EndpointConfig c = config();
    const bool stored = ep::secretStored(m_kind);
    QMap<QString, QString> errors;
    for (const auto& e : ep::validate(c, stored))
        if (!errors.contains(e.field))
            errors.insert(e.field, e.message);
    if (!c.isConfigured())
        errors.insert(QStringLiteral("url"), tr("Enter the URL to test."));
    showErrors(errors);
    if (!errors.isEmpty())
        return;
    m_testing = true;
    m_test->setEnabled(false);
    m_result->setProperty("error", false);
    m_result->setText(tr("Testing…"));
    if (c.auth == EndpointConfig::Auth::None || !c.secret.isEmpty() || !stored) {
        probe(c);
        return;
    }
    // The stored secret is read on a worker (the store blocks).
    m_ctx.runtime().withSecrets<Result<QString>>(
        this,
        [kind = m_kind](SecretStore& store) -> Result<QString> {
            auto r = store.read(ep::secretName(kind));
            if (!r)
                return r.error();
            return QString::fromUtf8(r.value());
        },
        [this, c](const Result<QString>& secret) mutable {
            if (!secret) {
                m_testing = false;
                m_test->setEnabled(true);
                m_result->setProperty("error", true);
                m_result->setText(secret.errorMessage());
                return;
            }
            c.secret = secret.value();
            probe(c);
        });
}

void EndpointSection::probe(const EndpointConfig& config)
{
    m_health->check({config});
}

} // namespace chom
