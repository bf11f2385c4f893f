#include "SshKeyButton.h"

#include "AppContext.h"
#include "FleetRuntime.h"
#include "PublicKeyDialog.h"
#include "ssh/SshPool.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QProcess>

namespace chom {

SshKeyButton::SshKeyButton(AppContext& ctx, QWidget* parent) : QToolButton(parent), m_ctx(ctx)
{
    setObjectName(QStringLiteral("sshKeyButton"));
    setText(tr("SSH key…"));
    setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("sshKeyMenu"));
    menu->addAction(tr("Choose private key file…"), this, &SshKeyButton::chooseKeyFile);
    menu->addAction(tr("Use ssh-agent"), this, &SshKeyButton::useAgent);
    menu->addAction(tr("Generate Ed25519 key…"), this, &SshKeyButton::generateKey);
    setMenu(menu);
    setEnabled(ctx.sshPool() != nullptr);
    updateTip();
}

void SshKeyButton::updateTip()
{
    const SshIdentity id = FleetRuntime::savedIdentity();
    setToolTip(
        id.useAgent
            ? tr("Identity: ssh-agent")
            : tr("Identity: %1").arg(id.privateKeyPath.isEmpty() ? tr("none") : id.privateKeyPath));
}

void SshKeyButton::useKeyFile(const QString& path)
{
    SshIdentity id;
    id.privateKeyPath = path;
    id.name = QFileInfo(path).fileName();
    if (m_ctx.sshPool())
        m_ctx.sshPool()->setIdentity(id);
    FleetRuntime::saveIdentity(id);
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
    if (m_ctx.sshPool())
        m_ctx.sshPool()->setIdentity(id);
    FleetRuntime::saveIdentity(id);
    updateTip();
    Q_EMIT message(qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK")
                       ? tr("Using ssh-agent, but SSH_AUTH_SOCK is not set: no agent is running.")
                       : tr("SSH identity: ssh-agent"),
                   qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK"));
}

void SshKeyButton::generateKey()
{
    if (m_keygen)
        return;
    const QString dir = QDir(m_ctx.dataDir()).filePath(QStringLiteral("keys"));
    QDir().mkpath(dir);
    QFile::setPermissions(dir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QString path = QDir(dir).filePath(QStringLiteral("chom_ed25519"));
    if (QFile::exists(path)) {
        Q_EMIT message(tr("%1 already exists; using it.").arg(path), false);
        QFile pub(QString(path + QStringLiteral(".pub")));
        useKeyFile(path);
        if (pub.open(QIODevice::ReadOnly))
            (new PublicKeyDialog(QString::fromUtf8(pub.readAll()), path, this))->open();
        return;
    }
    m_keygen = new QProcess(this);
    connect(m_keygen, &QProcess::finished, this, [this, path](int code, QProcess::ExitStatus st) {
        const QString err = QString::fromLocal8Bit(m_keygen->readAllStandardError()).trimmed();
        m_keygen->deleteLater();
        m_keygen = nullptr;
        QFile pub(QString(path + QStringLiteral(".pub")));
        if (st != QProcess::NormalExit || code != 0 || !pub.open(QIODevice::ReadOnly)) {
            Q_EMIT message(tr("ssh-keygen failed: %1").arg(err), true);
            return;
        }
        useKeyFile(path);
        (new PublicKeyDialog(QString::fromUtf8(pub.readAll()), path, this))->open();
    });
    connect(m_keygen, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e != QProcess::FailedToStart || !m_keygen)
            return;
        m_keygen->deleteLater();
        m_keygen = nullptr;
        Q_EMIT message(tr("ssh-keygen could not be started (is openssh-client installed?)"), true);
    });
    m_keygen->start(QStringLiteral("ssh-keygen"),
                    {QStringLiteral("-t"), QStringLiteral("ed25519"), QStringLiteral("-N"),
                     QString(), QStringLiteral("-C"), QStringLiteral("chom-console"),
                     QStringLiteral("-f"), path});
}

} // namespace chom
