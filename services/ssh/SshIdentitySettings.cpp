#include "ssh/SshIdentitySettings.h"

#include <QSettings>

namespace chom {
namespace {

const QString kSecretPrefix = QStringLiteral("secret:");
const QString kUseAgent = QStringLiteral("ssh/useAgent");
const QString kKeyPath = QStringLiteral("ssh/keyPath");
const QString kIdentity = QStringLiteral("ssh/identity");

SshIdentity keyFileOrAgent(const QString& keyPath, bool useAgent)
{
    SshIdentity id;
    id.useAgent = useAgent;
    id.privateKeyPath = keyPath;
    id.name = keyPath.isEmpty() ? QStringLiteral("ssh-agent") : keyPath;
    return id;
}

} // namespace

SshIdentity SshIdentitySettings::saved() const
{
    SshIdentity id;
    const QString secret = secretName();
    if (!secret.isEmpty()) {
        id.name = kSecretPrefix + secret;
        return id;
    }
    id.useAgent = m_settings.value(kUseAgent, false).toBool();
    id.privateKeyPath = m_settings.value(kKeyPath).toString();
    id.name = id.useAgent ? QStringLiteral("ssh-agent") : id.privateKeyPath;
    if (!id.useAgent && id.privateKeyPath.isEmpty())
        id.useAgent = !qEnvironmentVariableIsEmpty("SSH_AUTH_SOCK");
    return id;
}

QString SshIdentitySettings::secretName() const
{
    const QString v = m_settings.value(kIdentity).toString();
    return v.startsWith(kSecretPrefix) ? v.mid(kSecretPrefix.size()) : QString();
}

bool SshIdentitySettings::hasSaved() const
{
    return !secretName().isEmpty() || m_settings.value(kUseAgent, false).toBool() ||
           !m_settings.value(kKeyPath).toString().isEmpty();
}

void SshIdentitySettings::save(const SshIdentity& identity)
{
    m_settings.setValue(kUseAgent, identity.useAgent);
    m_settings.setValue(kKeyPath, identity.privateKeyPath);
    m_settings.remove(kIdentity);
}

void SshIdentitySettings::saveSecret(const QString& secretName)
{
    m_settings.setValue(kUseAgent, false);
    m_settings.remove(kKeyPath);
    m_settings.setValue(kIdentity, QString(kSecretPrefix + secretName));
}

Result<SshIdentity> SshIdentitySettings::resolveForCli(const Explicit& options,
                                                       const QString& envKeyPath,
                                                       const QString& defaultKeyPath) const
{
    const QString fallbackPath = envKeyPath.isEmpty() ? defaultKeyPath : envKeyPath;
    if (options.useAgent)
        return keyFileOrAgent(options.keyPath, true);
    if (!options.keyPath.isEmpty())
        return keyFileOrAgent(options.keyPath, false);
    if (!envKeyPath.isEmpty() || !hasSaved())
        return keyFileOrAgent(fallbackPath, false);
    const QString secret = secretName();
    if (!secret.isEmpty())
        return makeError(
            QStringLiteral("usage_ssh_identity"),
            QStringLiteral("the console's SSH identity is the key \"%1\" in its secret store, "
                           "which chomctl does not open: pass --ssh-key PATH or --ssh-agent, or "
                           "set CHOM_SSH_KEY")
                .arg(secret));
    const SshIdentity id = saved();
    return keyFileOrAgent(id.useAgent ? QString() : id.privateKeyPath, id.useAgent);
}

} // namespace chom
