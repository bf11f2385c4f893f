#pragma once

#include <QToolButton>

class QProcess;

namespace chom {

class AppContext;

// "SSH key…": choose a private key file, use the ssh-agent, or generate an
// Ed25519 key (ssh-keygen, asynchronously). The choice goes to the pool and
// is remembered in QSettings.
class SshKeyButton : public QToolButton
{
    Q_OBJECT
public:
    explicit SshKeyButton(AppContext& ctx, QWidget* parent = nullptr);

    void chooseKeyFile();
    void useAgent();
    void generateKey();
    void useKeyFile(const QString& path);

Q_SIGNALS:
    void message(const QString& text, bool isError);

private:
    void updateTip();

    AppContext& m_ctx;
    QProcess* m_keygen = nullptr;
};

} // namespace chom
