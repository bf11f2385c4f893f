#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

namespace chom {

class Core;

// Runs store work on one dedicated thread (with its own connection) and
// delivers results to a context object on its thread. The GUI calls this and
// never touches SQLite itself. Results for a destroyed context are dropped.
// Destruction drains: every task queued before it runs to the end (a write
// queued just before quit is never lost); only their deliveries are dropped.
class StoreExecutor : public QObject
{
    Q_OBJECT
public:
    explicit StoreExecutor(Core& core, QObject* parent = nullptr);
    ~StoreExecutor() override; // drains, then stops the thread

    template <typename R>
    void run(QObject* context, std::function<R(Core&)> work, std::function<void(R)> done)
    {
        Core* core = &m_core;
        QPointer<QObject> ctx(context); // only dereferenced on the executor's thread
        auto task = [this, core, ctx, work = std::move(work), done = std::move(done)]() {
            auto result = std::make_shared<R>(work(*core));
            QMetaObject::invokeMethod(
                this,
                [ctx, result, done]() {
                    if (ctx)
                        done(std::move(*result));
                },
                Qt::QueuedConnection);
        };
        QMetaObject::invokeMethod(m_worker, std::move(task), Qt::QueuedConnection);
    }

    // Blocks until queued work has run; for shutdown and tests, never the GUI.
    void drain();

private:
    Core& m_core;
    QThread m_thread;
    QObject* m_worker;
};

} // namespace chom
