#include "ui/fleet/SshKeyButton.h"
#include "PlainText.h"

#include "base/Async.h"

#include "secrets/SecretStore.h"
#include "ssh/SshIdentitySettings.h"
#include "ssh/SshKeys.h"
#include "ssh/SshPool.h"
#include "ui/fleet/PublicKeyDialog.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/FleetRuntime.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSettings>

namespace chom {

// What the generate worker found or made.
struct SshKeyButton::KeyOutcome
{
    QString error; // human sentence; empty on success
    StoredKey key; // found in or added to the store (sshkeys::loadOrCreate)
    QString backend;
};

SshKeyButton::SshKeyButton(AppContext& ctx, QWidget* parent) : QToolButton(parent), m_ctx(ctx)
{
    setObjectName(QStringLiteral("sshKeyButton"));
    setText(tr("SSH key…"));
    setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("sshKeyMenu"));
    menu->addAction(tr("Choose private key file…"), this, &SshKeyButton::chooseKeyFile);
    menu->addAction(tr("Use ssh-agent"), this, &SshKeyButton::useAgent);
    m_generate = menu->addAction(tr("Generate Ed25519 key…"), this, &SshKeyButton::generateKey);
    m_generate->setObjectName(QStringLiteral("generateKeyAction"));
    setMenu(menu);
    setEnabled(ctx.sshPool() != nullptr);
    updateTip();
}

QString SshKeyButton::secretName()
{
    return QStringLiteral("ed25519/chom-console");
}

void SshKeyButton::updateTip()
{
    QSettings settings;
    const SshIdentitySettings saved(settings);
    const SshIdentity id = saved.saved();
    const QString secret = saved.secretName();
    if (!secret.isEmpty())
        setToolTip(plainToolTip(tr("Identity: key \"%1\" in the secret store").arg(secret)));
    else
        setToolTip(plainToolTip(
            id.useAgent ? tr("Identity: ssh-agent")
                        : tr("Identity: %1")
                              .arg(id.privateKeyPath.isEmpty() ? tr("none") : id.privateKeyPath)));
}

void SshKeyButton::applyIdentity(const SshIdentity& identity)
{
    if (m_ctx.sshPool())
        m_ctx.sshPool()->setIdentity(identity);
    Q_EMIT identityApplied(identity);
}

void SshKeyButton::useKeyFile(const QString& path)
{
    SshIdentity id;
    id.privateKeyPath = path;
    id.name = QFileInfo(path).fileName();
    applyIdentity(id);
    QSettings settings;
    SshIdentitySettings(settings).save(id);
    updateTip();
    Q_EMIT message(tr("SSH identity: %1").arg(path), false);
}

void SshKeyButton::chooseKeyFile()
{
    const QString start = QDir::home().filePath(QStringLiteral(".ssh"));
    auto* dlg = new QFileDialog(this, tr("Choose a private key"), start);
    dlg->setObjectName(QStringLiteral("keyFileDialog"));
    dlg->setAttribute(Qt::WA_DeleteOnClose);
    dlg->setFileMode(QFileDialog::ExistingFile);
    dlg->setFilter(QDir::Files | QDir::Hidden);
    connect(dlg, &QFileDialog::fileSelected, this, &SshKeyButton::useKeyFile);
    dlg->open();
}

void SshKeyButton::useAgent()
{
    SshIdentity id;
    id.useAgent = true;
    id.name = QStringLiteral("ssh-agent");
    applyIdentity(id);
    QSettings settings;
    SshIdentitySettings(settings).save(id);
    updateTip();
    Q_EMIT message(qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK")
                       ? tr("Using ssh-agent, but SSH_AUTH_SOCK is not set: no agent is running.")
                       : tr("SSH identity: ssh-agent"),
                   qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK"));
}

void SshKeyButton::generateKey()
{
    if (m_generating)
        return;
    m_generating = true;
    m_generate->setEnabled(false);
    const QString name = secretName();
    // Every SecretStore call blocks (keychain event loop, scrypt) and so does
    // key generation: all of it on a worker, the result queued back.
    m_ctx.runtime().withSecrets<KeyOutcome>(
        this,
        [name](SecretStore& store) {
            KeyOutcome out;
            out.backend = store.backend();
            auto key = sshkeys::loadOrCreate(store, name, QStringLiteral("chom-console"));
            if (key)
                out.key = key.value();
            else
                out.error = key.errorMessage();
            return out;
        },
        [this](KeyOutcome out) { keyReady(out); });
}

void SshKeyButton::keyReady(const KeyOutcome& out)
{
    m_generating = false;
    m_generate->setEnabled(true);
    if (!out.error.isEmpty()) {
        Q_EMIT message(out.error, true);
        return;
    }
    const QString where = tr("The private key stays in the secret store (%1) as \"%2\".")
                              .arg(out.backend, secretName());
    if (!out.key.existed) {
        useStoredKey(out.key.identity, out.key.publicKey, where);
        return;
    }
    // Never overwrite a stored key silently: servers may already trust it.
    auto* box = new QMessageBox(QMessageBox::Question, tr("SSH key exists"),
                                tr("An Ed25519 key \"%1\" is already in the secret store.\n"
                                   "Use it? (It is not replaced.)")
                                    .arg(secretName()),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("reuseKeyDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->button(QMessageBox::Yes)->setText(tr("Use existing key"));
    const SshIdentity identity = out.key.identity;
    const QString publicKey = out.key.publicKey;
    connect(box, &QMessageBox::buttonClicked, this,
            [this, box, identity, publicKey, where](QAbstractButton* b) {
                if (b == box->button(QMessageBox::Yes))
                    useStoredKey(identity, publicKey, where);
            });
    box->open();
}

void SshKeyButton::useStoredKey(const SshIdentity& identity, const QString& publicKey,
                                const QString& where)
{
    applyIdentity(identity);
    QSettings settings;
    SshIdentitySettings(settings).saveSecret(secretName());
    updateTip();
    Q_EMIT message(tr("SSH identity: key \"%1\" from the secret store").arg(secretName()), false);
    (new PublicKeyDialog(publicKey, where, this))->open();
}

} // namespace chom
