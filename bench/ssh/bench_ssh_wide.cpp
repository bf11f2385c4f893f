// The wide sweep: health through `chom-agent serve` on a fleet of up to 200
// hosts of its own, warm, against xargs -P over one warm ControlMaster
// socket per host. The fleet listens on 127.0.1.10.. (CHOM_FLEET_NET), so it
// runs beside the 20-host fleet on 127.0.0.x without sharing an address.
#include "BenchSsh.h"
#include "SshFleet.h"

#include <QFile>

#include <algorithm>

#include <sys/resource.h>

namespace chom::bench {

namespace {

const QString kWideNet = QStringLiteral("127.0.1");
constexpr int kWideFirst = 10;
// What one host costs while both sides are warm, for the capacity estimate,
// about twice what 200 hosts took on Debian 12 with OpenSSH 9.2 (4 file
// descriptors here: a pool session's socket and wake pipe; 10 MiB on the box:
// an sshd listener, two connections of two sshd processes each, for our
// session with its serve server and for the peer's ControlMaster, the
// master's ssh and the serve server's bash).
constexpr int kFdsPerHost = 8;
constexpr qint64 kBytesPerHost = 24ll << 20;

qint64 memAvailableBytes()
{
    QFile f(QStringLiteral("/proc/meminfo"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("MemAvailable:"))
            return line.mid(13).trimmed().split(' ').value(0).toLongLong() * 1024;
    return -1;
}

// The hosts the box can hold, at most `asked`; `why` says what limited it.
int wideCapacity(int asked, QString* why)
{
    int n = asked;
    rlimit fds{};
    if (::getrlimit(RLIMIT_NOFILE, &fds) == 0) {
        if (fds.rlim_cur < fds.rlim_max) { // the soft limit may be raised freely
            fds.rlim_cur = fds.rlim_max;
            ::setrlimit(RLIMIT_NOFILE, &fds);
            ::getrlimit(RLIMIT_NOFILE, &fds);
        }
        const qint64 byFds = (qint64(fds.rlim_cur) - 256) / kFdsPerHost;
        if (byFds < n) {
            n = int(std::max<qint64>(1, byFds));
            *why = QStringLiteral("open file limit %1").arg(qint64(fds.rlim_cur));
        }
    }
    const qint64 mem = memAvailableBytes();
    if (mem > 0 && mem / 2 / kBytesPerHost < n) { // half: leave room for the rest of the box
        n = int(std::max<qint64>(1, mem / 2 / kBytesPerHost));
        *why = QStringLiteral("%1 MiB available memory").arg(mem >> 20);
    }
    return n;
}

} // namespace

void Bench::wideSweep()
{
    QString why;
    int n = wideCapacity(opt.wideHosts, &why);
    test::SshFleet fleet;
    fleet.setNetwork(kWideNet);
    note(QStringLiteral("wide sweep: starting %1 hosts on %2.%3..")
             .arg(n)
             .arg(kWideNet)
             .arg(kWideFirst));
    while (!fleet.start(n, kWideFirst)) {
        note(QStringLiteral("wide sweep: %1 hosts did not start: %2").arg(n).arg(fleet.error()));
        const int fewer = n * 3 / 4;
        if (fewer < 1 || n <= std::min(opt.wideHosts, 20)) {
            fail(QStringLiteral("wide sweep: no fleet started (last %1 hosts)").arg(n));
            wideNote = QStringLiteral("Wide sweep not measured: the fleet did not start (%1).")
                           .arg(fleet.error());
            return;
        }
        why = QStringLiteral("%1 sshd did not start").arg(n);
        n = fewer;
    }

    const int width = opt.wideParallel;
    Bench w; // the same steps on the wide fleet: its own hosts, sockets, store
    w.opt = opt;
    w.setUp(fleet.dir());
    const QString range = QStringLiteral("%1.%2..%3")
                              .arg(kWideNet)
                              .arg(kWideFirst)
                              .arg(kWideFirst + w.hosts.size() - 1);
    note(QStringLiteral("wide sweep: %1 hosts on %2, %3 at once")
             .arg(w.hosts.size())
             .arg(range)
             .arg(width));

    // The peer's ControlMaster sockets, opened `width` at a time; then ours,
    // sessions and serve servers, by one sweep.
    if (!w.xargsSweep(QStringLiteral("true"), width) || !w.mastersAlive(width))
        w.fail(QStringLiteral("wide sweep: ControlMaster warm-up"));
    auto pool = w.makePool(width); // as many hosts at once as the peer's processes
    w.poolSweep(*pool, QStringLiteral("wide warm-up sweep"), kHealth, true, false);
    w.poolSweep(*pool, QStringLiteral("wide warm-up sweep through serve"), kHealth, true);

    Row r{QStringLiteral("health sweep, %1 hosts, warm, through serve").arg(w.hosts.size()),
          {},
          {},
          QStringLiteral("`xargs -P%1 ssh` over warm ControlMaster (one per host)").arg(width)};
    for (int rep = 0; rep < opt.reps; ++rep) {
        r.ours << timeMs(
            [&] { w.poolSweep(*pool, QStringLiteral("wide sweep through serve"), kHealth, true); });
        r.peer << timeMs([&] {
            if (!w.xargsSweep(kHealth, width))
                w.fail(QStringLiteral("wide xargs sweep"));
        });
        note(QStringLiteral("  wide rep %1: pool through serve %2 ms, xargs+CM %3 ms")
                 .arg(rep + 1)
                 .arg(r.ours.last(), 0, 'f', 0)
                 .arg(r.peer.last(), 0, 'f', 0));
    }
    if (!w.mastersAlive(width))
        w.fail(QStringLiteral("a ControlMaster of the wide fleet died during the reps: xargs "
                              "samples may include fresh connections"));
    pool.reset();
    w.stopMasters();

    rows << r;
    failures += w.failures;
    for (const QString& f : std::as_const(w.failureNotes))
        if (failureNotes.size() < 20)
            failureNotes << f;
    wideNote = QStringLiteral("Wide sweep: %1 hosts on %2:%3 (asked for %4%5); our pool %6 hosts "
                              "at once, like `xargs -P%6`.")
                   .arg(w.hosts.size())
                   .arg(range)
                   .arg(kPort)
                   .arg(opt.wideHosts)
                   .arg(why.isEmpty() ? QString() : QStringLiteral(", limited by ") + why)
                   .arg(width);
}

} // namespace chom::bench
