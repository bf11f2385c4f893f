#pragma once

#include "base/Result.h"
#include "sites/RenewalPass.h"

#include <QObject>
#include <QTimer>

namespace chom {

class Runtime;

// The console's recurring site work, on the GUI thread's timers with the
// work itself on the store thread: a renewal pass (RenewalPass: due
// certificates renewed, a third of their lifetime before expiry, each its
// own operation) and a coherency check of the whole fleet, unless one is
// still running. Never on the GUI thread, never a nested loop; stops with
// its owner, before the fleet (FleetRuntime's destructor).
class SiteScheduler : public QObject
{
    Q_OBJECT
public:
    struct Intervals
    {
        int renewalMinutes = 60;    // 0: no renewal pass
        int coherencyMinutes = 360; // 0: no scheduled check
        int firstRenewalSeconds = 120;
        int firstCoherencySeconds = 900;
        int renewalsPerPass = 20;
    };

    SiteScheduler(Runtime& runtime, Intervals intervals, QObject* parent = nullptr);

    void start();
    void stop();
    void runRenewalsNow();
    void runCoherencyNow();

Q_SIGNALS:
    // One pass ended: the renewals it started and the due ones it could not.
    void renewalPassDone(int started, int due, const QStringList& notStarted, const QString& error);
    void coherencyStarted(chom::Id operationId);
    void coherencySkipped(const QString& reason);

private:
    Runtime& m_runtime;
    Intervals m_intervals;
    QTimer m_renewals;
    QTimer m_coherency;
    bool m_renewalRunning = false;
};

} // namespace chom
