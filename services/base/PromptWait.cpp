#include "base/PromptWait.h"

#include <QMutex>
#include <QPointer>
#include <QThread>
#include <QWaitCondition>

#include <memory>

namespace chom {
namespace {

struct Waits
{
    QMutex mutex;
    QWaitCondition changed; // an answer arrived, or everything was cancelled
    bool cancelled = false;
};

Waits& waits()
{
    static Waits w;
    return w;
}

struct Pending
{
    bool answered = false;
    std::optional<QString> value;
};

} // namespace

std::optional<QString> askAndWait(QObject* context, PromptShow show)
{
    if (!context || QThread::currentThread() == context->thread())
        return std::nullopt; // never wait on the thread that must answer
    Waits& w = waits();
    auto pending = std::make_shared<Pending>();
    {
        QMutexLocker lock(&w.mutex);
        if (w.cancelled)
            return std::nullopt;
    }
    const PromptAnswer answer = [pending](std::optional<QString> value) {
        QMutexLocker lock(&waits().mutex);
        if (pending->answered)
            return; // a prompt answers once
        pending->answered = true;
        pending->value = std::move(value);
        waits().changed.wakeAll();
    };
    QPointer<QObject> guard(context);
    QMetaObject::invokeMethod(
        context,
        [guard, show = std::move(show), answer] {
            if (guard)
                show(answer);
            else
                answer(std::nullopt);
        },
        Qt::QueuedConnection);
    QMutexLocker lock(&w.mutex);
    while (!pending->answered && !w.cancelled) {
        // A context destroyed before the queued call ran never answers.
        if (!guard) {
            pending->answered = true;
            break;
        }
        w.changed.wait(&w.mutex, QDeadlineTimer(200));
    }
    return pending->answered ? pending->value : std::nullopt;
}

void cancelAllPrompts()
{
    QMutexLocker lock(&waits().mutex);
    waits().cancelled = true;
    waits().changed.wakeAll();
}

void resumePrompts()
{
    QMutexLocker lock(&waits().mutex);
    waits().cancelled = false;
}

} // namespace chom
