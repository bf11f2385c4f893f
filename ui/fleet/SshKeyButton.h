#pragma once

#include "ssh/SshTypes.h"

#include <QToolButton>

class QAction;

namespace chom {

class AppContext;

// "SSH key…": choose a private key file, use the ssh-agent, or generate an
// Ed25519 key in-app (sshkeys::loadOrCreate on a worker) kept only in the
// SecretStore (OS keychain or the encrypted file) under secretName(). The
// choice goes to the pool and is remembered in QSettings ("secret:<name>" for
// a stored key: never the key itself).
class SshKeyButton : public QToolButton
{
    Q_OBJECT
public:
    explicit SshKeyButton(AppContext& ctx, QWidget* parent = nullptr);

    static QString secretName(); // the generated key's name in the SecretStore

    void chooseKeyFile();
    void useAgent();
    // Generates and stores a key, or offers to reuse the one already stored
    // under secretName(); the public key is shown for copying.
    void generateKey();
    void useKeyFile(const QString& path);

    QAction* generateAction() const { return m_generate; }
    bool isGenerating() const { return m_generating; }

Q_SIGNALS:
    void message(const QString& text, bool isError);
    // The pool was given this identity (a file, the agent or a stored key).
    void identityApplied(const chom::SshIdentity& identity);

private:
    struct KeyOutcome;
    void keyReady(const KeyOutcome& outcome);
    void useStoredKey(const SshIdentity& identity, const QString& publicKey, const QString& where);
    void applyIdentity(const SshIdentity& identity);
    void updateTip();

    AppContext& m_ctx;
    QAction* m_generate = nullptr;
    bool m_generating = false;
};

} // namespace chom
