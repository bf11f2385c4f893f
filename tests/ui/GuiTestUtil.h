#pragma once

#include "Domain.h"
#include "TestStore.h"
#include "store/Store.h"
#include "ui/widgets/FormDialog.h"

#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QThread>
#include <QtTest>

namespace chom::test {

// The GUI thread never touches the store: pages reach it only through the
// StoreExecutor. A GUI test holds this from just after its fixture rows are
// written until its pages are destroyed, then checks uses() == 0, so a page
// that puts store I/O back on the GUI thread fails its test. The test's own
// direct store access on this thread goes in an Unguarded scope
// (tests/support/TestStore.h); TempCore's add* helpers already do that.
class GuiThreadGuard
{
public:
    explicit GuiThreadGuard(Store& store)
        : m_store(store), m_previous(guardedThread(store)), m_before(store.guardedUses())
    {
        setGuardedThread(store, QThread::currentThread());
    }
    ~GuiThreadGuard() { setGuardedThread(m_store, m_previous); }
    GuiThreadGuard(const GuiThreadGuard&) = delete;
    GuiThreadGuard& operator=(const GuiThreadGuard&) = delete;

    // Store calls made on the guarded thread since this guard began.
    int uses() const { return m_store.guardedUses() - m_before; }

private:
    Store& m_store;
    QThread* m_previous;
    int m_before;
};

// The visible top-level dialog of type T named `name` among `parent`'s children.
template <typename T> T* openDialog(QObject* parent, const QString& name)
{
    const auto all = parent->findChildren<T*>(name);
    for (T* d : all) {
        if (d->isVisible())
            return d;
    }
    return nullptr;
}

inline QString labelText(QObject* root, const QString& name)
{
    auto* l = root->findChild<QLabel*>(name);
    return l && l->isVisible() ? l->text() : QString();
}

inline bool selectData(QComboBox* box, Id id)
{
    const int idx = box->findData(QVariant::fromValue<Id>(id));
    if (idx < 0)
        return false;
    box->setCurrentIndex(idx);
    return true;
}

inline bool selectData(QComboBox* box, const QString& value)
{
    const int idx = box->findData(value);
    if (idx < 0)
        return false;
    box->setCurrentIndex(idx);
    return true;
}

} // namespace chom::test
