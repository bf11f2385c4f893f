#pragma once

#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <utility>

// The core's one async vocabulary besides the store executor, the SSH pool
// and the operation runner: work on a named, bounded pool with its result
// delivered to a context object's thread while the context lives. Blocking
// or network work never goes on Qt's global pool.
namespace chom::async {

// Secret store calls (keychain round trips, scrypt), key generation and
// other short blocking jobs: 4 threads. Joined by drainPools() at shutdown.
QThreadPool& blockingPool();
// Waits for every job of the named pools (the last step of the shutdown order).
void drainPools();

// `work` on `pool`; `done(result)` on `context`'s thread, dropped when the
// context is gone by then.
template <typename R>
void run(QThreadPool& pool, QObject* context, std::function<R()> work, std::function<void(R)> done)
{
    QPointer<QObject> guard(context);
    QObject* target = context ? static_cast<QObject*>(context) : QCoreApplication::instance();
    QPointer<QObject> deliverTo(target);
    pool.start([guard, deliverTo, work = std::move(work), done = std::move(done)] {
        auto result = std::make_shared<R>(work());
        if (!deliverTo)
            return;
        QMetaObject::invokeMethod(
            deliverTo.data(),
            [guard, result, done] {
                if (guard)
                    done(std::move(*result));
            },
            Qt::QueuedConnection);
    });
}

// "One at a time, and once more if asked meanwhile": a refresh requested
// while one runs is folded into one more run after it.
class SingleFlight
{
public:
    // true: go ahead; false: one is running, and it will run again after.
    bool begin()
    {
        if (m_busy) {
            m_again = true;
            return false;
        }
        m_busy = true;
        return true;
    }
    // Call when the run ends; true when it must run again (asked meanwhile).
    bool end()
    {
        m_busy = false;
        return std::exchange(m_again, false);
    }
    bool busy() const { return m_busy; }

private:
    bool m_busy = false;
    bool m_again = false;
};

// Fan-in: N parallel calls, one `done` once the last has answered. Each call
// stores its own answer in the shared state S; arrive() counts it.
template <typename S> class Join
{
public:
    Join(int count, std::function<void(S&)> done)
        : m_state(std::make_shared<State>(count, std::move(done)))
    {
    }
    S& state() { return m_state->value; }
    // A callable for one call's completion: run `store(state)`, then count.
    template <typename F> auto arrive(F store) const
    {
        auto st = m_state;
        return [st, store](auto&&... args) {
            store(st->value, std::forward<decltype(args)>(args)...);
            if (--st->left == 0)
                st->done(st->value);
        };
    }

private:
    struct State
    {
        State(int n, std::function<void(S&)> d) : left(n), done(std::move(d)) {}
        int left;
        std::function<void(S&)> done;
        S value{};
    };
    std::shared_ptr<State> m_state;
};

} // namespace chom::async
