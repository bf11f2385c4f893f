#pragma once

#include "ssh/SshTypes.h"

#include <QObject>
#include <QVector>

#include <memory>

namespace chom {

class AppContext;
class Core;
class FleetService;
class OperationRunner;
class SshPool;

// The composition root's fleet machinery: one SshPool, one OperationRunner
// and one FleetService, attached to the AppContext for the pages. Restores the
// SSH identity remembered in QSettings and asks for key passphrases on the GUI
// thread. Destroy before the AppContext's Core.
class FleetRuntime : public QObject
{
    Q_OBJECT
public:
    FleetRuntime(Core& core, AppContext& ctx, QObject* parent = nullptr);
    ~FleetRuntime() override;

    SshPool& pool() { return *m_pool; }
    OperationRunner& runner() { return *m_runner; }
    FleetService& fleet() { return *m_fleet; }

    // Marks operations a previous process left running as interrupted (off
    // the GUI thread); emits interruptedFound when there were any.
    void recoverInterrupted();

    static SshIdentity savedIdentity();
    static void saveIdentity(const SshIdentity& identity);

Q_SIGNALS:
    void interruptedFound(const QVector<chom::Id>& ids, const QString& message);

private:
    QString askPassphrase(const QString& keyName);

    AppContext& m_ctx;
    std::unique_ptr<SshPool> m_pool;
    std::unique_ptr<OperationRunner> m_runner;
    std::unique_ptr<FleetService> m_fleet;
};

} // namespace chom
