#pragma once

#include "base/Result.h"
#include "ssh/SshTypes.h"

class QSettings;

namespace chom {

// The SSH identity the console remembers, in the QSettings it is given (the
// console passes QSettings(), chomctl the console's file, tests their own):
// a key file ("ssh/keyPath"), the ssh-agent ("ssh/useAgent") or
// "secret:<name>" ("ssh/identity"), a key kept in the SecretStore of which
// only the name is saved, never the key.
class SshIdentitySettings
{
public:
    explicit SshIdentitySettings(QSettings& settings) : m_settings(settings) {}

    // For a "secret:<name>" identity there is no key yet (name
    // "secret:<name>"): sshkeys::load(store, secretName()) gives it. Nothing
    // saved: the agent when SSH_AUTH_SOCK is set, else no identity.
    SshIdentity saved() const;
    QString secretName() const; // the <name> of "secret:<name>", else empty
    // Whether a choice was saved at all (a key file, the agent or a secret).
    bool hasSaved() const;
    void save(const SshIdentity& identity); // a key file or the agent
    void saveSecret(const QString& secretName);

    // chomctl's choice, in this order: an explicit --ssh-key PATH and/or
    // --ssh-agent, else $CHOM_SSH_KEY (envKeyPath), else the identity the
    // console saved, else defaultKeyPath. A saved "secret:<name>" is a usage
    // error: chomctl does not open the console's SecretStore (it may ask for
    // a master passphrase or unlock a keychain, which a script cannot answer).
    struct Explicit
    {
        QString keyPath;
        bool useAgent = false;
    };
    Result<SshIdentity> resolveForCli(const Explicit& options, const QString& envKeyPath,
                                      const QString& defaultKeyPath) const;

private:
    QSettings& m_settings;
};

} // namespace chom
