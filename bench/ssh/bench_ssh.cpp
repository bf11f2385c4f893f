// SSH benchmarks against a real loopback OpenSSH fleet: our pooled libssh
// (SshPool), running the agent one-shot and through its `chom-agent serve`
// request server, side by side with the tools an operator would otherwise use —
// OpenSSH with ControlMaster, a fresh `ssh` per command, parallel-ssh, xargs
// over ControlMaster sockets, ansible-core. Every peer runs against the same
// sshd fleet in the same process run, alternating with ours, and everything is
// timed the same way: wall time of the whole batch (QElapsedTimer around
// submit..all finished, or around spawning the peer's processes until they
// exit). Prints Markdown: a summary table of medians and ratios, then the raw
// samples.
//
// Usage (as root; scripts/bench-ssh.sh does all of this):
//   bench_ssh --fleet-dir DIR    use a fleet started by scripts/services/sshd-fleet.sh
//   bench_ssh                    start its own 20-host fleet on 127.0.0.100..119
// Options: --reps N (default 5), --fresh-reps N (3), --fresh-count N (25),
//          --seq-count N (200), --ansible-reps N (1, 0 = skip ansible),
//          --wide-hosts N (200, at most 200, 0 = skip the wide sweep; its own
//          fleet on 127.0.1.10.., see bench_ssh_wide.cpp), --wide-parallel N (50).
#include "BenchSsh.h"
#include "SshFleet.h"
#include "fleet/AgentServe.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using chom::test::SshFleet;

namespace chom::bench {

void die(const QString& msg)
{
    std::fprintf(stderr, "bench_ssh: %s\n", qPrintable(msg));
    std::exit(1);
}

void note(const QString& msg)
{
    std::fprintf(stderr, "bench_ssh: %s\n", qPrintable(msg));
    std::fflush(stderr);
}

double median(QVector<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int n = v.size();
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2.0;
}

double timeMs(const std::function<void()>& fn)
{
    QElapsedTimer t;
    t.start();
    fn();
    return double(t.nsecsElapsed()) / 1e6;
}

void Bench::fail(const QString& what)
{
    ++failures;
    if (failureNotes.size() < 20)
        failureNotes << what;
    note(QStringLiteral("FAILED: ") + what);
}

// --- OpenSSH client arguments -------------------------------------------------

QStringList Bench::baseSshOptions() const
{
    return {QStringLiteral("-F"), QStringLiteral("/dev/null"),
            QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=no"),
            QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=/dev/null"),
            QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
            QStringLiteral("-o"), QStringLiteral("LogLevel=ERROR"),
            QStringLiteral("-i"), key,
            QStringLiteral("-p"), QString::number(kPort)};
}
QStringList Bench::controlMasterOptions() const
{
    return {QStringLiteral("-o"), QStringLiteral("ControlMaster=auto"),
            QStringLiteral("-o"), QStringLiteral("ControlPath=%1/cm-%h").arg(workDir),
            QStringLiteral("-o"), QStringLiteral("ControlPersist=60")};
}

bool Bench::runProcess(const QString& program, const QStringList& args, const QByteArray& stdinData,
                       QByteArray* out, int timeoutMs, const QProcessEnvironment& env)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(workDir);
    if (!out)
        p.setStandardOutputFile(QProcess::nullDevice());
    p.setProcessChannelMode(out ? QProcess::SeparateChannels : QProcess::ForwardedErrorChannel);
    if (stdinData.isEmpty())
        p.setStandardInputFile(QProcess::nullDevice());
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return false;
    if (!stdinData.isEmpty()) {
        p.write(stdinData);
        p.closeWriteChannel();
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        return false;
    }
    if (out)
        *out = p.readAllStandardOutput();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// One `ssh` exec. Control-master clients must not hold our pipes (the
// master they may fork lives on), so their output goes to /dev/null.
bool Bench::ssh(const Host& h, const QStringList& extra, const QString& command)
{
    return runProcess(QStringLiteral("ssh"),
                      extra + baseSshOptions() + QStringList{login(h), command});
}

void Bench::warmMaster(const Host& h)
{
    if (!ssh(h, controlMasterOptions(), QStringLiteral("true")))
        fail(QStringLiteral("ControlMaster warm-up on %1").arg(h.address));
}
void Bench::stopMasters()
{
    for (const Host& h : hosts) {
        QProcess p;
        p.setStandardOutputFile(QProcess::nullDevice());
        p.setStandardErrorFile(QProcess::nullDevice());
        p.start(QStringLiteral("ssh"),
                controlMasterOptions() + baseSshOptions() +
                    QStringList{QStringLiteral("-O"), QStringLiteral("exit"), login(h)});
        p.waitForFinished(5000);
    }
}

// --- our pool ------------------------------------------------------------------

SshTarget Bench::target(int i) const
{
    SshTarget t;
    t.host = hosts.at(i).address;
    t.port = kPort;
    t.user = kUser;
    t.vpsId = Id(i + 1);
    return t;
}
std::unique_ptr<SshPool> Bench::makePool(int maxConcurrentHosts)
{
    SshPool::Config c;
    c.trustNewHostKeys = true; // the fleet's key, first contact
    c.maxConcurrentHosts = maxConcurrentHosts;
    auto pool = std::make_unique<SshPool>(core->store(), c);
    SshIdentity id;
    id.privateKeyPath = key;
    id.name = QStringLiteral("fleet key");
    pool->setIdentity(id);
    return pool;
}
SshCommand Bench::command(const QString& c)
{
    SshCommand s;
    s.command = c;
    return s;
}

void Bench::poolSweep(SshPool& pool, const QString& what, const QString& cmd, bool serve,
                      bool mustServe)
{
    // The one-shot `command` stays what the peers run: it is also what the
    // pool falls back to when a host has no server.
    SshCommand c = command(cmd);
    if (serve)
        c.serve = agent::serveCall(QStringLiteral("health"), {});
    QVector<std::shared_ptr<SshJob>> jobs;
    jobs.reserve(hosts.size());
    for (int i = 0; i < hosts.size(); ++i)
        jobs << pool.submit(target(i), c);
    // A served reply is the same envelope led by the request's id.
    static const QRegularExpression servedOk(QStringLiteral("^\\{\"id\":[0-9]+,\"ok\":true,"));
    for (int i = 0; i < jobs.size(); ++i) {
        const SshResult r = jobs.at(i)->wait();
        const bool healthy = r.served ? servedOk.match(QString::fromUtf8(r.out)).hasMatch()
                                      : r.out.startsWith("{\"ok\":true");
        if (!r.ok() || (cmd == kHealth && !healthy))
            fail(QStringLiteral("%1: host %2: %3 exit %4 %5")
                     .arg(what, hosts.at(i).address, r.message)
                     .arg(r.exitStatus)
                     .arg(QString::fromUtf8((r.err.isEmpty() ? r.out : r.err).left(200))));
        else if (serve && mustServe && !r.served)
            fail(QStringLiteral("%1: host %2 answered one-shot, not through serve")
                     .arg(what, hosts.at(i).address));
    }
}

// --- setup -------------------------------------------------------------------------

void Bench::setUp(const QString& fleetDir)
{
    dir = QFileInfo(fleetDir).absoluteFilePath();
    key = dir + QStringLiteral("/client_ed25519");
    if (!QFileInfo::exists(key))
        die(QStringLiteral("no client key %1").arg(key));
    // Unix socket paths are short (108 bytes): keep control sockets near the root.
    workDir = dir + QStringLiteral("/b");
    QDir().mkpath(workDir);
    loadFleet();
    installAgents();
    writePeerFiles();

    if (!storeDir.isValid())
        die(QStringLiteral("no temp dir for the store"));
    auto c = Core::open(sqliteConfigFor(storeDir.path()));
    if (!c)
        die(QStringLiteral("cannot open a store: ") + c.error().message);
    core = std::move(c).value();
}

void Bench::loadFleet()
{
    QProcess p;
    p.start(QStringLiteral("bash"), {SshFleet::scriptPath(), QStringLiteral("status"), dir});
    p.waitForFinished(30000);
    const QString out = QString::fromLocal8Bit(p.readAllStandardOutput());
    for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        // host NN ADDRESS PORT HOSTDIR up|down
        const QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() != 6 || f.at(0) != QLatin1String("host"))
            continue;
        if (f.at(5) != QLatin1String("up"))
            die(QStringLiteral("fleet host %1 is down").arg(f.at(2)));
        if (f.at(3).toInt() != kPort)
            die(QStringLiteral("fleet host %1 listens on %2, expected %3")
                    .arg(f.at(2), f.at(3))
                    .arg(kPort));
        hosts << Host{f.at(2), f.at(4)};
    }
    if (hosts.size() < 2)
        die(QStringLiteral("no fleet in %1 (sshd-fleet.sh status said: %2)").arg(dir, out));
}

void Bench::installAgents()
{
    const QString src = QStringLiteral(CHOM_SOURCE_DIR "/resources/agent/chom-agent");
    for (const Host& h : hosts) {
        const QString bin = h.sandbox + QStringLiteral("/opt/chom-agent/bin");
        QDir().mkpath(bin);
        const QString dst = bin + QStringLiteral("/chom-agent");
        QFile::remove(dst);
        if (!QFile::copy(src, dst) ||
            !QFile::setPermissions(dst, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                            QFile::ReadGroup | QFile::ExeGroup | QFile::ReadOther |
                                            QFile::ExeOther))
            die(QStringLiteral("cannot install the agent into %1").arg(bin));
        if (QProcess::execute(QStringLiteral("chown"), {QStringLiteral("-R"), kUser, h.sandbox}) !=
            0)
            die(QStringLiteral("chown %1 failed").arg(h.sandbox));
    }
}

void Bench::writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
        die(QStringLiteral("cannot write %1").arg(path));
}

void Bench::writePeerFiles()
{
    for (const Host& h : hosts)
        hostLines += h.address.toUtf8() + '\n';
    hostsFile = workDir + QStringLiteral("/pssh-hosts");
    writeFile(hostsFile, hostLines);
    QByteArray inv = "[fleet]\n";
    for (int i = 0; i < hosts.size(); ++i)
        inv += QStringLiteral("h%1 ansible_host=%2\n")
                   .arg(i, 2, 10, QLatin1Char('0'))
                   .arg(hosts.at(i).address)
                   .toUtf8();
    inv += QStringLiteral(
               "[all:vars]\nansible_port=%1\nansible_user=%2\nansible_ssh_private_key_file=%3\n"
               "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o "
               "UserKnownHostsFile=/dev/null'\n")
               .arg(kPort)
               .arg(kUser, key)
               .toUtf8();
    inventory = workDir + QStringLiteral("/inventory.ini");
    writeFile(inventory, inv);
}

// --- 1. sequential commands on one host -------------------------------------------------

void Bench::sequential()
{
    note(
        QStringLiteral("sequential: %1 x `true` on %2").arg(opt.seqCount).arg(hosts.at(0).address));
    auto pool = makePool();
    const SshTarget t = target(0);
    if (!pool->run(t, command(QStringLiteral("true"))).ok())
        die(QStringLiteral("pool warm-up connect to %1 failed").arg(t.host));
    warmMaster(hosts.at(0));

    Row cm{
        QStringLiteral("%1 sequential `true`, one host: pool vs ControlMaster").arg(opt.seqCount),
        {},
        {},
        QStringLiteral("`ssh` + ControlMaster (warm)"),
        0.6};
    Row fresh{QStringLiteral("%1 sequential `true`, one host: pool vs fresh `ssh` each")
                  .arg(opt.seqCount),
              {},
              {},
              QStringLiteral("fresh `ssh` per command (%1 run, ×%2)")
                  .arg(opt.freshCount)
                  .arg(double(opt.seqCount) / opt.freshCount),
              0};
    fresh.peerScale = double(opt.seqCount) / opt.freshCount;
    const QStringList cmOpts = controlMasterOptions();
    for (int rep = 0; rep < opt.reps; ++rep) {
        const double ours = timeMs([&] {
            for (int i = 0; i < opt.seqCount; ++i)
                if (!pool->run(t, command(QStringLiteral("true"))).ok())
                    fail(QStringLiteral("pool run %1").arg(i));
        });
        cm.ours << ours;
        fresh.ours << ours;
        cm.peer << timeMs([&] {
            for (int i = 0; i < opt.seqCount; ++i)
                if (!ssh(hosts.at(0), cmOpts, QStringLiteral("true")))
                    fail(QStringLiteral("ControlMaster ssh %1").arg(i));
        });
        if (rep < opt.freshReps)
            fresh.peer << timeMs([&] {
                              for (int i = 0; i < opt.freshCount; ++i)
                                  if (!ssh(hosts.at(0), {}, QStringLiteral("true")))
                                      fail(QStringLiteral("fresh ssh %1").arg(i));
                          }) * fresh.peerScale;
        note(QStringLiteral("  rep %1: pool %2 ms, ControlMaster %3 ms%4")
                 .arg(rep + 1)
                 .arg(ours, 0, 'f', 0)
                 .arg(cm.peer.last(), 0, 'f', 0)
                 .arg(rep < opt.freshReps ? QStringLiteral(", fresh (scaled) %1 ms")
                                                .arg(fresh.peer.last(), 0, 'f', 0)
                                          : QString()));
    }
    rows << cm << fresh;
}

// --- 2./3. health sweep of the fleet ---------------------------------------------------

bool Bench::psshSweep(const QString& cmd)
{
    QStringList x = baseSshOptions();
    x.removeAt(0); // "-F /dev/null": pssh splits -x with shlex, keep it simple
    x.removeAt(0);
    QByteArray out;
    const bool ok =
        runProcess(QStringLiteral("parallel-ssh"),
                   {QStringLiteral("-p"), QString::number(hosts.size()), QStringLiteral("-h"),
                    hostsFile, QStringLiteral("-x"), x.join(QLatin1Char(' ')), QStringLiteral("-l"),
                    kUser, QStringLiteral("-t"), QStringLiteral("60"), cmd},
                   {}, &out);
    if (!ok) {
        for (const QByteArray& line : out.split('\n'))
            if (!line.contains("[SUCCESS]") && !line.isEmpty())
                note(QStringLiteral("parallel-ssh: ") + QString::fromUtf8(line));
    }
    return ok;
}

bool Bench::xargsSweep(const QString& cmd, int parallel)
{
    // xargs -P20 -I{} ssh <ControlMaster options> chomfleet@{} '<cmd>'
    QStringList args{QStringLiteral("-P"), QString::number(parallel > 0 ? parallel : hosts.size()),
                     QStringLiteral("-I{}"), QStringLiteral("ssh")};
    args += controlMasterOptions() + baseSshOptions();
    args << kUser + QStringLiteral("@{}") << cmd;
    return runProcess(QStringLiteral("xargs"), args, hostLines);
}

bool Bench::mastersAlive(int parallel)
{
    QStringList args{QStringLiteral("-P"), QString::number(parallel), QStringLiteral("-I{}"),
                     QStringLiteral("ssh")};
    args += controlMasterOptions() + baseSshOptions();
    args << QStringLiteral("-O") << QStringLiteral("check") << kUser + QStringLiteral("@{}");
    QByteArray out; // captured: "Master running" per host is no news
    return runProcess(QStringLiteral("xargs"), args, hostLines, &out);
}

bool Bench::ansibleSweep(const QString& controlDir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ANSIBLE_HOST_KEY_CHECKING"), QStringLiteral("False"));
    env.insert(QStringLiteral("ANSIBLE_SSH_CONTROL_PATH_DIR"), controlDir);
    env.insert(QStringLiteral("ANSIBLE_LOCAL_TEMP"), workDir + QStringLiteral("/ansible-tmp"));
    env.insert(QStringLiteral("ANSIBLE_NOCOLOR"), QStringLiteral("1"));
    env.remove(QStringLiteral("ANSIBLE_CONFIG")); // defaults (no ansible.cfg in workDir, the cwd)
    QByteArray out;
    const bool ok = runProcess(QStringLiteral("ansible"),
                               {QStringLiteral("all"), QStringLiteral("-i"), inventory,
                                QStringLiteral("-m"), QStringLiteral("raw"), QStringLiteral("-a"),
                                kHealth, QStringLiteral("-f"), QString::number(hosts.size())},
                               {}, &out, 180000, env);
    if (!ok || out.count("CHANGED") + out.count("SUCCESS") < hosts.size()) {
        note(QStringLiteral("ansible output: ") + QString::fromUtf8(out.right(600)));
        return false;
    }
    return true;
}

// Cold: a new pool per run (connect, key exchange, auth on every host) vs
// parallel-ssh. Warm: the long-lived pool's open sessions vs xargs -P over
// one warm ControlMaster socket per host. With `serveRows`, each also goes
// through `chom-agent serve` (a new pool per run cold, the warm serve pool
// warm) against the very same peer runs, so the serve and one-shot rows
// differ only in our side.
void Bench::sweepPair(const QString& cmd, const QString& label, double goal, bool serveRows)
{
    Row cold{QStringLiteral("%1, %2 hosts, cold (new connections)").arg(label).arg(hosts.size()),
             {},
             {},
             QStringLiteral("`parallel-ssh -p %1`").arg(hosts.size()),
             goal};
    Row warm{QStringLiteral("%1, %2 hosts, warm (sessions open)").arg(label).arg(hosts.size()),
             {},
             {},
             QStringLiteral("`xargs -P%1 ssh` over warm ControlMaster").arg(hosts.size()),
             goal};
    Row coldServe{QStringLiteral("%1, %2 hosts, cold, through serve").arg(label).arg(hosts.size()),
                  {},
                  {},
                  cold.peerName};
    coldServe.notWorseThan = rows.size(); // the one-shot cold row, appended below
    coldServe.peerNote = QStringLiteral("the same runs as the one-shot cold row");
    Row warmServe{QStringLiteral("%1, %2 hosts, warm, through serve").arg(label).arg(hosts.size()),
                  {},
                  {},
                  warm.peerName,
                  0.5};
    warmServe.aim = 0.3;
    warmServe.peerNote = QStringLiteral("the same runs as the one-shot warm row");
    const auto coldPoolSweep = [&](bool serve) {
        auto pool = makePool();
        const double ms = timeMs([&] {
            // First requests on new sessions: one-shot by design, serve or not.
            poolSweep(*pool,
                      serve ? QStringLiteral("cold sweep through serve")
                            : QStringLiteral("cold sweep"),
                      cmd, serve, false);
        });
        pool.reset(); // close its sessions (and servers) before the next run
        return ms;
    };
    for (int rep = 0; rep < opt.reps; ++rep) {
        cold.ours << coldPoolSweep(false);
        cold.peer << timeMs([&] {
            if (!psshSweep(cmd))
                fail(QStringLiteral("parallel-ssh sweep"));
        });
        if (serveRows)
            coldServe.ours << coldPoolSweep(true);
        warm.ours << timeMs([&] { poolSweep(*warmPool, QStringLiteral("warm sweep"), cmd); });
        warm.peer << timeMs([&] {
            if (!xargsSweep(cmd))
                fail(QStringLiteral("xargs sweep"));
        });
        if (serveRows)
            warmServe.ours << timeMs([&] {
                poolSweep(*warmServePool, QStringLiteral("warm sweep through serve"), cmd, true);
            });
        note(QStringLiteral("  %1 rep %2: cold pool %3 ms, parallel-ssh %4 ms; warm pool %5 "
                            "ms, xargs+CM %6 ms%7")
                 .arg(label)
                 .arg(rep + 1)
                 .arg(cold.ours.last(), 0, 'f', 0)
                 .arg(cold.peer.last(), 0, 'f', 0)
                 .arg(warm.ours.last(), 0, 'f', 0)
                 .arg(warm.peer.last(), 0, 'f', 0)
                 .arg(serveRows ? QStringLiteral("; through serve: cold %1 ms, warm %2 ms")
                                      .arg(coldServe.ours.last(), 0, 'f', 0)
                                      .arg(warmServe.ours.last(), 0, 'f', 0)
                                : QString()));
    }
    coldServe.peer = cold.peer;
    warmServe.peer = warm.peer;
    rows << cold;
    if (serveRows)
        rows << coldServe;
    rows << warm;
    if (serveRows)
        rows << warmServe;
}

void Bench::sweep()
{
    note(QStringLiteral("health sweep over %1 hosts").arg(hosts.size()));
    // ControlMaster sockets, one per host, for the warm xargs peer.
    for (const Host& h : hosts)
        warmMaster(h);
    warmPool = makePool();
    poolSweep(*warmPool, QStringLiteral("warm-up sweep"));
    // Its own pool, so the one-shot rows keep sessions that never ran a server.
    warmServePool = makePool();
    // The first sweep opens the sessions (one-shot), the second starts the servers.
    poolSweep(*warmServePool, QStringLiteral("warm-up sweep"), kHealth, true, false);
    poolSweep(*warmServePool, QStringLiteral("warm-up sweep through serve"), kHealth, true);

    sweepPair(kHealth, QStringLiteral("health sweep"), 0.5, true);
    // Same shape with a command that costs nothing remotely: the transport
    // overhead alone (the agent's own CPU time is the same for every peer).
    sweepPair(QStringLiteral("true"), QStringLiteral("`true` sweep (transport only)"), 0, false);
    if (!mastersAlive(hosts.size()))
        fail(QStringLiteral("a ControlMaster died during the sweeps: xargs samples may include "
                            "fresh connections"));

    if (opt.ansibleReps > 0) {
        if (QStandardPaths::findExecutable(QStringLiteral("ansible")).isEmpty()) {
            note(QStringLiteral("ansible not installed: skipped"));
            return;
        }
        Row acold{QStringLiteral("health sweep, %1 hosts, cold: pool vs ansible").arg(hosts.size()),
                  {},
                  {},
                  QStringLiteral("`ansible -m raw -f %1`, no ControlPersist yet").arg(hosts.size()),
                  0};
        Row awarm{
            QStringLiteral("health sweep, %1 hosts, warm: pool vs ansible").arg(hosts.size()),
            {},
            {},
            QStringLiteral("`ansible -m raw -f %1`, its ControlPersist warm").arg(hosts.size()),
            0};
        for (int rep = 0; rep < opt.ansibleReps; ++rep) {
            const QString cp = workDir + QStringLiteral("/ansible-cp-%1").arg(rep);
            QDir().mkpath(cp);
            {
                auto pool = makePool();
                acold.ours << timeMs([&] { poolSweep(*pool, QStringLiteral("cold sweep")); });
            }
            acold.peer << timeMs([&] {
                if (!ansibleSweep(cp))
                    fail(QStringLiteral("ansible cold sweep"));
            });
            awarm.ours << timeMs([&] { poolSweep(*warmPool, QStringLiteral("warm sweep")); });
            awarm.peer << timeMs([&] {
                if (!ansibleSweep(cp))
                    fail(QStringLiteral("ansible warm sweep"));
            });
            note(QStringLiteral("  ansible rep %1: cold %2 ms, warm %3 ms")
                     .arg(rep + 1)
                     .arg(acold.peer.last(), 0, 'f', 0)
                     .arg(awarm.peer.last(), 0, 'f', 0));
        }
        rows << acold << awarm;
    }
}

// --- report ---------------------------------------------------------------------------------

namespace {

QString fmt(double ms)
{
    return QString::number(ms, 'f', ms < 100 ? 1 : 0);
}
QString samples(const QVector<double>& v)
{
    QStringList s;
    for (double x : v)
        s << QString::number(x, 'f', 0);
    return s.join(QStringLiteral(", "));
}

} // namespace

void Bench::print(qint64 totalMs)
{
    QTextStream o(stdout);
    o << "| what | peer | ours (median ms) | peer (median ms) | ratio ours/peer | goal |\n";
    o << "|---|---|---:|---:|---:|---|\n";
    const auto ratioOf = [](const Row& r) {
        const double b = median(r.peer);
        return b > 0 ? median(r.ours) / b : 0;
    };
    const auto verdict = [](bool met) {
        return met ? QStringLiteral("**met**") : QStringLiteral("**missed**");
    };
    for (const Row& r : rows) {
        const double a = median(r.ours), b = median(r.peer);
        const double ratio = ratioOf(r);
        QString goal = QStringLiteral("reference");
        if (r.notWorseThan >= 0) {
            const double ref = ratioOf(rows.at(r.notWorseThan));
            goal = QStringLiteral("≤ %1× (the one-shot row) — %2")
                       .arg(ref, 0, 'f', 3)
                       .arg(verdict(ratio <= ref));
        } else if (r.goal > 0) {
            goal = QStringLiteral("≤ %1×%2 — %3")
                       .arg(r.goal)
                       .arg(r.aim > 0 ? QStringLiteral(" (aim %1×)").arg(r.aim) : QString())
                       .arg(verdict(ratio <= r.goal));
        }
        o << "| " << r.what << " | " << r.peerName << " | " << fmt(a) << " | " << fmt(b) << " | "
          << QString::number(ratio, 'f', 3) << "× | " << goal << " |\n";
    }
    o << "\nPer command (sequential rows): ";
    if (!rows.isEmpty() && opt.seqCount > 0) {
        o << "pool " << QString::number(median(rows.at(0).ours) / opt.seqCount, 'f', 2)
          << " ms, ControlMaster "
          << QString::number(median(rows.at(0).peer) / opt.seqCount, 'f', 2) << " ms";
        if (rows.size() > 1)
            o << ", fresh ssh " << QString::number(median(rows.at(1).peer) / opt.seqCount, 'f', 2)
              << " ms";
    }
    o << ".\n\nRaw samples (ms, in run order; ours alternated with the peer):\n\n";
    for (const Row& r : rows)
        o << "- " << r.what << ": ours [" << samples(r.ours) << "]; peer [" << samples(r.peer)
          << "]" << (r.peerNote.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(r.peerNote))
          << "\n";
    o << "\n"
      << hosts.size() << " hosts, " << opt.reps << " reps (fresh ssh " << opt.freshReps << " × "
      << opt.freshCount << " commands scaled to " << opt.seqCount << "; ansible " << opt.ansibleReps
      << " reps), bench wall time " << QString::number(totalMs / 1000.0, 'f', 1)
      << " s, failures: " << failures << "\n";
    if (!wideNote.isEmpty())
        o << "\n" << wideNote << "\n";
    for (const QString& f : failureNotes)
        o << "- failure: " << f << "\n";
    o.flush();
}

} // namespace chom::bench

using namespace chom::bench;

namespace {

int intArg(const QStringList& a, int& i)
{
    if (i + 1 >= a.size())
        die(QStringLiteral("%1 needs a value").arg(a.at(i)));
    bool ok = false;
    const int v = a.at(++i).toInt(&ok);
    if (!ok || v < 0)
        die(QStringLiteral("bad value for %1").arg(a.at(i - 1)));
    return v;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    Bench b;
    const QStringList a = app.arguments();
    for (int i = 1; i < a.size(); ++i) {
        const QString& s = a.at(i);
        if (s == QLatin1String("--fleet-dir") && i + 1 < a.size())
            b.opt.fleetDir = a.at(++i);
        else if (s == QLatin1String("--reps"))
            b.opt.reps = std::max(1, intArg(a, i));
        else if (s == QLatin1String("--fresh-reps"))
            b.opt.freshReps = intArg(a, i);
        else if (s == QLatin1String("--fresh-count"))
            b.opt.freshCount = std::max(1, intArg(a, i));
        else if (s == QLatin1String("--seq-count"))
            b.opt.seqCount = std::max(1, intArg(a, i));
        else if (s == QLatin1String("--ansible-reps"))
            b.opt.ansibleReps = intArg(a, i);
        else if (s == QLatin1String("--wide-hosts"))
            b.opt.wideHosts = std::min(200, intArg(a, i)); // the fleet script's limit
        else if (s == QLatin1String("--wide-parallel"))
            b.opt.wideParallel = std::max(1, intArg(a, i));
        else
            die(QStringLiteral("unknown argument %1 (see the header of bench/ssh/bench_ssh.cpp)")
                    .arg(s));
    }

    QElapsedTimer total;
    total.start();
    SshFleet ownFleet; // only when no --fleet-dir
    if (b.opt.fleetDir.isEmpty()) {
        if (!SshFleet::available())
            die(SshFleet::unavailableReason());
        note(QStringLiteral("starting a 20-host fleet on 127.0.0.100..119"));
        if (!ownFleet.start(20, 100))
            die(ownFleet.error());
        b.setUp(ownFleet.dir());
    } else {
        b.setUp(b.opt.fleetDir);
    }

    b.sequential();
    b.sweep();
    b.stopMasters();
    // Free the 20 hosts' sessions and servers before the wide fleet needs the room.
    b.warmPool.reset();
    b.warmServePool.reset();
    if (b.opt.wideHosts > 0)
        b.wideSweep();
    b.print(total.elapsed());
    return b.failures ? 2 : 0;
}
