#pragma once

// The SSH benchmark's state and steps, shared by bench_ssh.cpp (fleet setup,
// the 20-host rows, the report, main) and bench_ssh_wide.cpp (the wide sweep
// on a fleet of its own).

#include "inventory/Core.h"
#include "ssh/SshPool.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QVector>

#include <functional>
#include <memory>

namespace chom::bench {

inline const QString kUser = QStringLiteral("chomfleet");
inline const QString kHealth =
    QStringLiteral("\"$CHOM_AGENT_ROOT\"/opt/chom-agent/bin/chom-agent health");
constexpr int kPort = 2222;

struct Host
{
    QString address;
    QString sandbox;
};

struct Options
{
    QString fleetDir;
    int reps = 5;
    int freshReps = 3;
    int freshCount = 25;
    int seqCount = 200;
    int ansibleReps = 1;
    int wideHosts = 200;   // hosts of the wide sweep's own fleet; 0 = no wide sweep
    int wideParallel = 50; // xargs -P of its peer, and our pool's hosts at once
};

[[noreturn]] void die(const QString& msg);
void note(const QString& msg);
double median(QVector<double> v);
// Elapsed wall time in ms (fractional) of fn().
double timeMs(const std::function<void()>& fn);

struct Row
{
    QString what;
    QVector<double> ours;
    QVector<double> peer;
    QString peerName;
    double goal = 0;      // max ratio ours/peer; 0 = reference only
    double peerScale = 1; // peer samples scaled (fresh ssh: N commands -> seqCount)
    QString unit = QStringLiteral("ms");
    double aim = 0; // the ratio hoped for, shown beside the goal
    // Goal instead of `goal`: a ratio no worse than that of rows[notWorseThan].
    int notWorseThan = -1;
    QString peerNote = {}; // after the raw peer samples (e.g. the runs are another row's)
};

struct Bench
{
    Options opt;
    QString dir;     // fleet dir: client key, control sockets, inventories
    QString workDir; // our scratch (control sockets, host lists) inside dir
    QString key;
    QVector<Host> hosts;
    int failures = 0;
    QStringList failureNotes;
    QString wideNote; // how the wide sweep's fleet came out, for the footer

    void fail(const QString& what);

    // --- OpenSSH client arguments and processes -------------------------------------

    QStringList baseSshOptions() const;
    QStringList controlMasterOptions() const;
    QString login(const Host& h) const { return kUser + QLatin1Char('@') + h.address; }
    // Runs a program to completion; true on exit 0. Output discarded unless wanted.
    bool runProcess(const QString& program, const QStringList& args,
                    const QByteArray& stdinData = {}, QByteArray* out = nullptr,
                    int timeoutMs = 120000,
                    const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
    bool ssh(const Host& h, const QStringList& extra, const QString& command);
    void warmMaster(const Host& h);
    void stopMasters();

    // --- our pool ------------------------------------------------------------------

    std::unique_ptr<Core> core;
    QTemporaryDir storeDir;
    std::unique_ptr<SshPool> warmPool;
    std::unique_ptr<SshPool> warmServePool; // sessions and their serve servers warm

    SshTarget target(int i) const;
    std::unique_ptr<SshPool> makePool(int maxConcurrentHosts = 20);
    static SshCommand command(const QString& c);
    // Submits `cmd` to every host and waits for all of them. With `serve`
    // (health only) the session's `chom-agent serve` answers, and a reply
    // that came one-shot instead fails the bench.
    // serve: requests carry the serve form; mustServe: every reply must have
    // come through serve (a session's first request runs one-shot).
    void poolSweep(SshPool& pool, const QString& what, const QString& cmd = kHealth,
                   bool serve = false, bool mustServe = true);

    // --- results -----------------------------------------------------------------------

    QVector<Row> rows;

    // --- setup ---------------------------------------------------------------------------

    // Everything for the fleet in `fleetDir`: hosts, agents, peer files, store.
    void setUp(const QString& fleetDir);
    void loadFleet();
    void installAgents();
    void writeFile(const QString& path, const QByteArray& data);
    QString hostsFile;
    QByteArray hostLines;
    QString inventory;
    void writePeerFiles();

    // --- the rows ------------------------------------------------------------------------

    void sequential();
    bool psshSweep(const QString& cmd);
    // xargs -P<parallel> over the ControlMaster sockets; 0: one process per host.
    bool xargsSweep(const QString& cmd, int parallel = 0);
    // Whether every host has a live ControlMaster (ssh -O check), so no warm
    // peer sample quietly paid for a fresh connection.
    bool mastersAlive(int parallel);
    int ansibleRun = 0;
    bool ansibleSweep(const QString& controlDir);
    void sweepPair(const QString& cmd, const QString& label, double goal, bool serveRows);
    void sweep();
    // The warm health sweep through serve on a fleet of opt.wideHosts of its
    // own (127.0.1.x, beside the 20 hosts) against xargs -P<opt.wideParallel>
    // (bench_ssh_wide.cpp).
    void wideSweep();

    // --- report ----------------------------------------------------------------------------

    void print(qint64 totalMs);
};

} // namespace chom::bench
