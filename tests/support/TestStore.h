#pragma once

#include "inventory/Core.h"

#include <QTemporaryDir>

#include <memory>

class QThread;

namespace chom::test {

// A fresh store in its own temp directory, removed with the object.
struct TempCore
{
    QTemporaryDir dir;
    std::unique_ptr<Core> core;

    TempCore();
    ~TempCore(); // closes the store, then drops its PostgreSQL database
    TempCore(const TempCore&) = delete;
    TempCore& operator=(const TempCore&) = delete;
    // A directory for the test's own files (and the SQLite store).
    QString path() const { return dir.path(); }
    // The store's configuration on the suite's backend (TestBackend.h): a
    // second Core or a chomctl opened on it shares this store.
    StoreConfig config() const { return m_config; }

    // Convenience fixtures; each fails the calling test via qFatal on error.
    // They are test setup, not page code: they run Unguarded.
    Id addTenant(const QString& name, const QString& tier = QStringLiteral("starter"));
    Id addVps(const QString& hostname, const QString& ip = QStringLiteral("192.0.2.10"));
    Id addSite(Id tenant, const QString& domain, Id vps = 0, qint64 storageMb = 0);

private:
    StoreConfig m_config;
};

// Store::guardThread() through a record the tests can read back: Store keeps
// the guarded thread but does not report it, and Unguarded must know what to
// put back. GUI tests guard through GuiThreadGuard (tests/ui/GuiTestUtil.h).
QThread* guardedThread(const Store& store);
void setGuardedThread(Store& store, QThread* thread);

// The test's own store access on a guarded thread (fixture rows, reads that
// check what a page wrote) is deliberate, not a page regression: this lifts
// the guard for its scope and restores it after. Off the guarded thread, and
// with no guard set, it does nothing.
class Unguarded
{
public:
    explicit Unguarded(Store& store);
    ~Unguarded();
    Unguarded(const Unguarded&) = delete;
    Unguarded& operator=(const Unguarded&) = delete;

private:
    Store& m_store;
    QThread* m_restore = nullptr;
};

} // namespace chom::test
