#pragma once

#include "secrets/SecretStore.h"
#include "ui/shell/FleetRuntime.h"

#include "base/Async.h"
#include <QCoreApplication>
#include <QPointer>

#include <functional>

namespace chom {

// Runs `work` on a worker with a freshly opened SecretStore (opening it can
// block on the keychain or the master passphrase: never on the GUI thread)
// and hands its result to `done` on the GUI thread while `context` lives.
template <typename R>
void withSecretStore(QObject* context, const QString& dataDir, std::function<R(SecretStore&)> work,
                     std::function<void(R)> done)
{
    QPointer<QObject> guard(context);
    MasterPassphraseProvider pass = FleetRuntime::masterPassphraseProvider();
    async::blockingPool().start([guard, dataDir, pass, work, done] {
        const auto store = openSecretStore(dataDir, pass);
        R result = work(*store);
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, done, result] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    });
}

} // namespace chom
