#pragma once

#include "secrets/SecretStore.h"
#include "ssh/SshTypes.h"

#include <QObject>
#include <QSettings>
#include <QVector>

#include <memory>

namespace chom {

class AppContext;
class Core;
class FleetService;
class OperationRunner;
class Runtime;
class SshPool;
class SiteScheduler;

// The console's side of the fleet: starts the Runtime's SshPool,
// OperationRunner and FleetService (stopFleet() in the destructor keeps the
// Runtime's teardown order), restores the
// SSH identity remembered in QSettings (SshIdentitySettings: a key file, the
// agent, or "secret:<name>", a key kept in the SecretStore, loaded on a
// worker after start-up) and asks for key and master passphrases on the GUI thread.
// Destroy before the AppContext's Core.
class FleetRuntime : public QObject
{
    Q_OBJECT
public:
    FleetRuntime(Core& core, AppContext& ctx, QObject* parent = nullptr);
    ~FleetRuntime() override;

    SshPool& pool();
    OperationRunner& runner();
    FleetService& fleet();

    // Marks operations a previous process left running as interrupted (off
    // the GUI thread); emits interruptedFound when there were any.
    void recoverInterrupted();

    // The master passphrase of the encrypted secrets file, asked in a dialog
    // on the GUI thread. For workers only: blocks until answered; returns
    // empty on the GUI thread itself or when cancelled.
    static MasterPassphraseProvider masterPassphraseProvider();
    // Test seam: when set, masterPassphraseProvider() returns this instead of
    // the dialog. Production code never sets it.
    static void setMasterPassphraseOverride(MasterPassphraseProvider provider);

    // Loads the saved "secret:<name>" identity from the SecretStore on a
    // worker and gives it to the pool (queued from the constructor).
    void restoreSecretIdentity();

Q_SIGNALS:
    void interruptedFound(const QVector<chom::Id>& ids, const QString& message);
    void identityRestored(bool ok, const QString& message);

private:
    QString askPassphrase(const QString& keyName);
    void startScheduler(const QSettings& settings);

    AppContext& m_ctx;
    Runtime& m_runtime;
    SiteScheduler* m_scheduler = nullptr;
};

} // namespace chom
