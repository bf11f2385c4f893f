// Site provisioning through the core against the same agent commands sent
// with parallel-ssh, on a loopback fleet of root-login sshd hosts that each
// run a web stack of their own (started by scripts/bench-provision.sh).
// Every round provisions the same mix (by default 20 HTML and 5 WordPress
// sites, site i on host i mod N) once through the console and once with
// parallel-ssh, at most --parallel sites in flight on either side, the
// order of the two alternating from round to round; the sites are deleted
// between rounds (untimed). Prints Markdown for docs/PERFORMANCE.md on
// stdout, progress on stderr.
//
//   bench_provision --hosts FILE --key KEY --php V --work DIR [--rounds N]
//                   [--parallel N] [--html N] [--wordpress N]
//
// FILE: one host a line, "ADDRESS PORT" (sshd of the fleet, root login with
// KEY). The console: SiteOperations::startCreate over SshPool +
// OperationRunner + FleetService with a SQLite store in DIR, the site's VPS
// chosen (round-robin) so both sides put the same sites on the same hosts; a
// sliding window keeps --parallel provisions running (a new one starts when
// one ends), the way parallel-ssh -p keeps its ssh processes. Per site: from
// startCreate to the operation's end. The peer: `parallel-ssh -p N` over one
// ssh_config alias per site whose RemoteCommand is `chom-agent site:create
// DOMAIN TYPE [PHP] && chom-agent site:probe DOMAIN` (the console's create
// and verify steps); per site: the life of its ssh process (a timing wrapper
// first in parallel-ssh's PATH).
#include "fleet/FleetService.h"
#include "inventory/Core.h"
#include "ops/OperationRunner.h"
#include "sites/SiteOperations.h"
#include "ssh/SshPool.h"
#include "store/OperationJournal.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QProcess>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

using namespace chom;

namespace {

const QString kAgent = QStringLiteral("\"$CHOM_AGENT_ROOT\"/opt/chom-agent/bin/chom-agent");
constexpr int kRoundTimeoutMs = 15 * 60 * 1000;

struct Config
{
    QString hostsFile;
    QString key;
    QString php;
    QString work;
    int rounds = 3;
    int parallel = 8;
    int html = 20;
    int wordpress = 5;
};

struct Host
{
    QString address;
    int port = 0;
    Id vpsId = 0;
};

struct Job
{
    QString domain;
    SiteType type = SiteType::Html;
    int host = 0;
};

// One side's samples over all rounds.
struct Side
{
    QVector<double> wallMs;
    QVector<double> siteMs;
    QVector<double> htmlMs;
    QVector<double> wpMs;
    QVector<double> startMs; // console only: the startCreate call (record + journal)
    int failures = 0;
    int lostEntries = 0; // provisioned, yet missing from the host's registry
};

[[noreturn]] void die(const QString& msg)
{
    std::fprintf(stderr, "bench_provision: %s\n", qPrintable(msg));
    std::exit(1);
}

void note(const QString& msg)
{
    std::fprintf(stderr, "bench_provision: %s\n", qPrintable(msg));
}

void out(const QString& line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

// Nearest-rank percentile (p in 0..100) of the samples.
double percentile(QVector<double> v, double p)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int rank = std::max(1, int(std::ceil(p / 100.0 * double(v.size()))));
    return v.at(std::min(rank, int(v.size())) - 1);
}

double median(QVector<double> v)
{
    if (v.isEmpty())
        return 0;
    std::sort(v.begin(), v.end());
    const int n = int(v.size());
    return n % 2 ? v.at(n / 2) : (v.at(n / 2 - 1) + v.at(n / 2)) / 2;
}

QString ms(double v)
{
    return v >= 10000 ? QStringLiteral("%1 s").arg(v / 1000, 0, 'f', 2)
                      : QStringLiteral("%1 ms").arg(v, 0, 'f', 0);
}

QString list(const QVector<double>& v)
{
    QStringList s;
    for (double x : v)
        s << QString::number(x, 'f', 0);
    return s.join(QStringLiteral(", "));
}

void writeFile(const QString& path, const QByteArray& data, bool executable = false)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
        die(QStringLiteral("cannot write %1").arg(path));
    f.close();
    if (executable)
        f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

class Bench
{
public:
    explicit Bench(Config c) : m_cfg(std::move(c)) {}
    void setUp();
    void run();

private:
    QVector<Job> jobs(const QString& tag) const;
    void consoleRound(int round);
    void peerRound(int round);
    // Runs parallel-ssh over one alias per job; `remote` gives each job's
    // command. Returns the wall time in ms; per-job ssh lifetimes in `lifeMs`,
    // stdout in `outputs`.
    double parallelSsh(const QString& name, const QVector<Job>& js,
                       const std::function<QString(const Job&)>& remote, QVector<double>* lifeMs,
                       QVector<QByteArray>* outputs);
    // The domains of `js` that provisioned but that no host's registry
    // (site:list) holds: entries lost to concurrent writers.
    QStringList unregistered(const QVector<Job>& js, const QVector<bool>& provisioned);
    static QString alias(int i) { return QStringLiteral("site%1").arg(i, 2, 10, QLatin1Char('0')); }

    Config m_cfg;
    QVector<Host> m_hosts;
    std::unique_ptr<Core> m_core;
    std::unique_ptr<SshPool> m_pool;
    std::unique_ptr<OperationRunner> m_runner;
    std::unique_ptr<FleetService> m_fleet;
    std::unique_ptr<SiteOperations> m_sites;
    Id m_tenant = 0;
    Side m_console;
    Side m_peer;
    QStringList m_notes;
    QElapsedTimer m_clock; // shared by the runner's threads (finish stamps)
    QMutex m_mutex;
    QHash<Id, std::pair<qint64, QString>> m_finished; // op -> (ns on m_clock, status)
};

void Bench::setUp()
{
    QFile f(m_cfg.hostsFile);
    if (!f.open(QIODevice::ReadOnly))
        die(QStringLiteral("cannot read %1").arg(m_cfg.hostsFile));
    for (const QByteArray& line : f.readAll().split('\n')) {
        const QList<QByteArray> w = line.simplified().split(' ');
        if (w.size() >= 2)
            m_hosts.push_back({QString::fromUtf8(w.at(0)), w.at(1).toInt(), 0});
    }
    if (m_hosts.isEmpty())
        die(QStringLiteral("no hosts in %1").arg(m_cfg.hostsFile));
    QDir().mkpath(m_cfg.work + QStringLiteral("/store"));
    QDir().mkpath(m_cfg.work + QStringLiteral("/bin"));
    auto core = Core::open(sqliteConfigFor(m_cfg.work + QStringLiteral("/store")));
    if (!core)
        die(QStringLiteral("store: ") + core.error().message);
    m_core = std::move(core).value();
    Tenant t;
    t.name = QStringLiteral("Bench");
    t.tier = QStringLiteral("enterprise");
    auto tid = m_core->tenants().create(t);
    if (!tid)
        die(QStringLiteral("tenant: ") + tid.error().message);
    m_tenant = tid.value();
    for (int i = 0; i < m_hosts.size(); ++i) {
        Vps v;
        v.hostname = QStringLiteral("web-%1.bench.test").arg(i + 1);
        v.ipAddress = m_hosts.at(i).address;
        v.sshPort = m_hosts.at(i).port;
        v.sshUser = QStringLiteral("root");
        v.status = VpsStatus::Active;
        auto id = m_core->vps().create(v);
        if (!id)
            die(QStringLiteral("vps: ") + id.error().message);
        m_hosts[i].vpsId = id.value();
    }
    SshPool::Config c;
    c.trustNewHostKeys = true;
    m_pool = std::make_unique<SshPool>(m_core->store(), c);
    m_runner = std::make_unique<OperationRunner>(m_core->store(), &m_core->notifier());
    m_fleet = std::make_unique<FleetService>(*m_core, *m_pool, *m_runner);
    SshIdentity key;
    key.privateKeyPath = m_cfg.key;
    m_fleet->setIdentity(key);
    m_sites = std::make_unique<SiteOperations>(*m_fleet);
    m_fleet->addKind(m_sites->provisionKind());
    m_fleet->addKind(m_sites->deleteKind());
    m_clock.start();
    QObject::connect(
        m_runner.get(), &OperationRunner::operationFinished, m_runner.get(),
        [this](Id op, const QString& status, const QString&) {
            QMutexLocker lock(&m_mutex);
            m_finished.insert(op, {m_clock.nsecsElapsed(), status});
        },
        Qt::DirectConnection);

    // parallel-ssh's ssh: the real one, with its start and end on stderr.
    writeFile(m_cfg.work + QStringLiteral("/bin/ssh"),
              "#!/bin/bash\nt0=$EPOCHREALTIME\n/usr/bin/ssh \"$@\"\nrc=$?\n"
              "printf '\\nchom-bench-life %s %s\\n' \"$t0\" \"$EPOCHREALTIME\" >&2\nexit $rc\n",
              true);
}

QVector<Job> Bench::jobs(const QString& tag) const
{
    // The WordPress sites spread through the list, so each window mixes both.
    const int n = m_cfg.html + m_cfg.wordpress;
    const int every = m_cfg.wordpress ? std::max(1, n / m_cfg.wordpress) : n + 1;
    QVector<Job> js;
    int h = 0;
    int w = 0;
    for (int i = 0; i < n; ++i) {
        const bool wp = w < m_cfg.wordpress && (i % every == 0 || n - i <= m_cfg.wordpress - w);
        Job j;
        j.type = wp ? SiteType::WordPress : SiteType::Html;
        j.domain =
            wp ? QStringLiteral("%1-w%2.prov.test").arg(tag).arg(++w, 2, 10, QLatin1Char('0'))
               : QStringLiteral("%1-h%2.prov.test").arg(tag).arg(++h, 2, 10, QLatin1Char('0'));
        j.host = i % int(m_hosts.size());
        js.push_back(j);
    }
    return js;
}

void Bench::consoleRound(int round)
{
    const QVector<Job> js = jobs(QStringLiteral("c%1").arg(round));
    QVector<qint64> startNs(js.size(), 0);
    QVector<Id> ops(js.size(), 0);
    QVector<Id> siteIds(js.size(), 0);
    QVector<bool> done(js.size(), false);
    QVector<bool> completed(js.size(), false);
    int next = 0;
    int inFlight = 0;
    int finished = 0;
    QEventLoop loop;
    QTimer poll;
    const qint64 wall0 = m_clock.nsecsElapsed();
    qint64 wallEnd = wall0;
    const auto pump = [&] {
        {
            QMutexLocker lock(&m_mutex);
            for (int i = 0; i < next; ++i) {
                if (done.at(i) || !m_finished.contains(ops.at(i)))
                    continue;
                const auto [ns, status] = m_finished.value(ops.at(i));
                done[i] = true;
                --inFlight;
                ++finished;
                wallEnd = std::max(wallEnd, ns);
                const double d = double(ns - startNs.at(i)) / 1e6;
                if (status != QLatin1String("completed")) {
                    ++m_console.failures;
                    const auto s = m_core->sites().get(siteIds.at(i));
                    m_notes << QStringLiteral("console round %1: %2 %3: %4")
                                   .arg(round)
                                   .arg(js.at(i).domain, status,
                                        s ? s.value().failureReason : QString());
                    note(m_notes.last());
                    continue;
                }
                completed[i] = true;
                m_console.siteMs << d;
                (js.at(i).type == SiteType::WordPress ? m_console.wpMs : m_console.htmlMs) << d;
            }
        }
        while (inFlight < m_cfg.parallel && next < js.size()) {
            const Job& j = js.at(next);
            Site s;
            s.tenantId = m_tenant;
            s.domain = j.domain;
            s.type = j.type;
            s.vpsId = m_hosts.at(j.host).vpsId;
            if (j.type != SiteType::Html)
                s.phpVersion = m_cfg.php;
            startNs[next] = m_clock.nsecsElapsed();
            auto started = m_sites->startCreate(s);
            m_console.startMs << double(m_clock.nsecsElapsed() - startNs.at(next)) / 1e6;
            if (!started)
                die(QStringLiteral("startCreate %1: %2").arg(j.domain, started.errorMessage()));
            ops[next] = started.value().operationId;
            siteIds[next] = started.value().siteId;
            ++next;
            ++inFlight;
        }
        if (finished == js.size())
            loop.quit();
    };
    // The finish stamps are taken on the runner's threads; this loop only
    // starts the next site, on the thread the console's pages would use.
    QObject::connect(
        m_runner.get(), &OperationRunner::operationFinished, &loop,
        [&](Id, const QString&, const QString&) { pump(); }, Qt::QueuedConnection);
    QObject::connect(&poll, &QTimer::timeout, &loop, pump);
    poll.start(200); // a safety net only: the signal normally drives the window
    QTimer::singleShot(kRoundTimeoutMs, &loop,
                       [&] { die(QStringLiteral("console round timed out")); });
    QTimer::singleShot(0, &loop, pump);
    loop.exec();
    poll.stop();
    m_console.wallMs << double(wallEnd - wall0) / 1e6;
    note(QStringLiteral("round %1 console: %2 (%3 sites)")
             .arg(round)
             .arg(ms(m_console.wallMs.last()))
             .arg(js.size()));

    const QStringList lost = unregistered(js, completed);
    m_console.lostEntries += int(lost.size());
    if (!lost.isEmpty()) {
        m_notes << QStringLiteral("console round %1: completed, but missing from the host's "
                                  "registry: %2")
                       .arg(round)
                       .arg(lost.join(QStringLiteral(", ")));
        note(m_notes.last());
    }
    // Deleted through the console too (untimed), before the next round.
    QVector<Id> dels;
    for (Id id : siteIds) {
        auto d = m_sites->startDelete(id);
        if (!d)
            die(QStringLiteral("startDelete: ") + d.errorMessage());
        dels << d.value();
    }
    for (Id d : dels)
        if (!m_runner->waitForFinished(d, 120000))
            die(QStringLiteral("a delete did not finish"));
    for (Id d : dels) {
        const auto op = OperationJournal(m_core->store()).get(d);
        if (!op || op.value().status != OperationStatus::Completed)
            die(QStringLiteral("a console delete failed: ") +
                (op ? op.value().error : op.errorMessage()));
    }
}

double Bench::parallelSsh(const QString& name, const QVector<Job>& js,
                          const std::function<QString(const Job&)>& remote, QVector<double>* lifeMs,
                          QVector<QByteArray>* outputs)
{
    const QString dir = m_cfg.work + QLatin1Char('/') + name;
    QDir(dir).removeRecursively();
    QDir().mkpath(dir);
    QByteArray cfg;
    QByteArray hosts;
    for (int i = 0; i < js.size(); ++i) {
        const Host& h = m_hosts.at(js.at(i).host);
        cfg += QStringLiteral("Host %1\n  HostName %2\n  Port %3\n  User root\n  IdentityFile %4\n"
                              "  IdentitiesOnly yes\n  StrictHostKeyChecking no\n"
                              "  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n"
                              "  RemoteCommand %5\n")
                   .arg(alias(i), h.address)
                   .arg(h.port)
                   .arg(m_cfg.key, remote(js.at(i)))
                   .toUtf8();
        hosts += alias(i).toUtf8() + '\n';
    }
    writeFile(dir + QStringLiteral("/ssh_config"), cfg);
    writeFile(dir + QStringLiteral("/hosts"), hosts);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PATH"), m_cfg.work + QStringLiteral("/bin:") + env.value("PATH"));
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    // The command is empty: each alias's RemoteCommand is its site's.
    const QStringList args{QStringLiteral("-p"),
                           QString::number(m_cfg.parallel),
                           QStringLiteral("-t"),
                           QStringLiteral("0"),
                           QStringLiteral("-h"),
                           dir + QStringLiteral("/hosts"),
                           QStringLiteral("-x"),
                           QStringLiteral("-F ") + dir + QStringLiteral("/ssh_config"),
                           QStringLiteral("-o"),
                           dir + QStringLiteral("/out"),
                           QStringLiteral("-e"),
                           dir + QStringLiteral("/err"),
                           QString()};
    QElapsedTimer t;
    t.start();
    p.start(QStringLiteral("parallel-ssh"), args);
    if (!p.waitForFinished(kRoundTimeoutMs))
        die(QStringLiteral("parallel-ssh timed out"));
    const double wall = double(t.nsecsElapsed()) / 1e6;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        QStringList failed;
        for (const QByteArray& line : p.readAll().split('\n'))
            if (!line.isEmpty() && !line.contains("[SUCCESS]"))
                failed << QString::fromUtf8(line);
        note(QStringLiteral("parallel-ssh %1 exited %2: %3")
                 .arg(name)
                 .arg(p.exitCode())
                 .arg(failed.join(QStringLiteral("; ")).left(2000)));
    }
    for (int i = 0; i < js.size(); ++i) {
        QFile o(dir + QStringLiteral("/out/") + alias(i));
        QFile e(dir + QStringLiteral("/err/") + alias(i));
        const QByteArray stdOut = o.open(QIODevice::ReadOnly) ? o.readAll() : QByteArray();
        const QByteArray stdErr = e.open(QIODevice::ReadOnly) ? e.readAll() : QByteArray();
        if (outputs)
            outputs->push_back(stdOut);
        double life = -1;
        for (const QByteArray& line : stdErr.split('\n'))
            if (line.startsWith("chom-bench-life ")) {
                const QList<QByteArray> w = line.split(' ');
                if (w.size() == 3)
                    life = (w.at(2).toDouble() - w.at(1).toDouble()) * 1000;
            }
        if (lifeMs)
            lifeMs->push_back(life);
    }
    return wall;
}

QStringList Bench::unregistered(const QVector<Job>& js, const QVector<bool>& provisioned)
{
    QVector<Job> perHost;
    for (int h = 0; h < m_hosts.size(); ++h) {
        Job j;
        j.host = h;
        perHost << j;
    }
    QVector<QByteArray> outputs;
    parallelSsh(
        QStringLiteral("site-list"), perHost,
        [](const Job&) -> QString { return kAgent + QStringLiteral(" site:list"); }, nullptr,
        &outputs);
    QSet<QString> held;
    for (const QByteArray& o : outputs) {
        const QJsonObject r = QJsonDocument::fromJson(o.trimmed().split('\n').last()).object();
        if (!r.value("ok").toBool())
            die(QStringLiteral("site:list failed: ") + QString::fromUtf8(o.left(300)));
        for (const QJsonValue& v : r.value("data").toObject().value("sites").toArray())
            held.insert(v.toObject().value("domain").toString());
    }
    QStringList lost;
    for (int i = 0; i < js.size(); ++i)
        if (provisioned.at(i) && !held.contains(js.at(i).domain))
            lost << js.at(i).domain;
    return lost;
}

void Bench::peerRound(int round)
{
    const QVector<Job> js = jobs(QStringLiteral("p%1").arg(round));
    const auto create = [this](const Job& j) -> QString {
        QString c = kAgent + QStringLiteral(" site:create ") + j.domain + QLatin1Char(' ') +
                    toString(j.type);
        if (j.type != SiteType::Html)
            c += QLatin1Char(' ') + m_cfg.php;
        return c + QStringLiteral(" && ") + kAgent + QStringLiteral(" site:probe ") + j.domain;
    };
    QVector<double> life;
    QVector<QByteArray> outputs;
    const double wall =
        parallelSsh(QStringLiteral("p%1-create").arg(round), js, create, &life, &outputs);
    m_peer.wallMs << wall;
    QVector<bool> completed(js.size(), false);
    for (int i = 0; i < js.size(); ++i) {
        // Two envelopes: site:create's, then site:probe's (served: true).
        const QList<QByteArray> lines = outputs.at(i).trimmed().split('\n');
        const QJsonObject probe = QJsonDocument::fromJson(lines.last()).object();
        const bool ok = lines.size() >= 2 &&
                        QJsonDocument::fromJson(lines.first()).object().value("ok").toBool() &&
                        probe.value("ok").toBool() &&
                        probe.value("data").toObject().value("served").toBool();
        if (!ok || life.at(i) < 0) {
            ++m_peer.failures;
            m_notes << QStringLiteral("parallel-ssh round %1: %2: %3")
                           .arg(round)
                           .arg(js.at(i).domain,
                                QString::fromUtf8(outputs.at(i).trimmed().left(600)));
            note(m_notes.last());
            continue;
        }
        completed[i] = true;
        m_peer.siteMs << life.at(i);
        (js.at(i).type == SiteType::WordPress ? m_peer.wpMs : m_peer.htmlMs) << life.at(i);
    }
    note(QStringLiteral("round %1 parallel-ssh: %2 (%3 sites)")
             .arg(round)
             .arg(ms(wall))
             .arg(js.size()));
    const QStringList lost = unregistered(js, completed);
    m_peer.lostEntries += int(lost.size());
    if (!lost.isEmpty()) {
        m_notes << QStringLiteral("parallel-ssh round %1: served, but missing from the host's "
                                  "registry: %2")
                       .arg(round)
                       .arg(lost.join(QStringLiteral(", ")));
        note(m_notes.last());
    }
    // Deleted with parallel-ssh too (untimed).
    QVector<QByteArray> gone;
    parallelSsh(
        QStringLiteral("p%1-delete").arg(round), js,
        [](const Job& j) -> QString { return kAgent + QStringLiteral(" site:delete ") + j.domain; },
        nullptr, &gone);
    for (int i = 0; i < js.size(); ++i) {
        const QJsonObject reply =
            QJsonDocument::fromJson(gone.at(i).trimmed().split('\n').last()).object();
        // A site whose create failed may not be there: nothing to remove.
        const QString code = reply.value("error").toObject().value("code").toString();
        if (!reply.value("ok").toBool() && code != QLatin1String("SITE_NOT_FOUND"))
            die(QStringLiteral("parallel-ssh could not delete %1: %2")
                    .arg(js.at(i).domain, QString::fromUtf8(gone.at(i).left(300))));
    }
}

void Bench::run()
{
    const QString load0 = [] {
        QFile f(QStringLiteral("/proc/loadavg"));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).section(' ', 0, 2)
                                           : QString();
    }();
    for (int r = 1; r <= m_cfg.rounds; ++r) {
        // The order alternates so that neither side always runs second.
        if (r % 2) {
            consoleRound(r);
            peerRound(r);
        } else {
            peerRound(r);
            consoleRound(r);
        }
    }
    QFile f(QStringLiteral("/proc/loadavg"));
    const QString load1 =
        f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).section(' ', 0, 2) : QString();

    const int n = m_cfg.html + m_cfg.wordpress;
    const double ratio = median(m_console.wallMs) / median(m_peer.wallMs);
    out(QStringLiteral("### Site provisioning: %1 HTML + %2 WordPress sites on %3 hosts, "
                       "parallel %4 — run of %5")
            .arg(m_cfg.html)
            .arg(m_cfg.wordpress)
            .arg(m_hosts.size())
            .arg(m_cfg.parallel)
            .arg(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mmZ"))));
    out(QString());
    out(QStringLiteral("%1 rounds, console and parallel-ssh alternating (odd rounds console "
                       "first). Load average at start: %2, at end: %3.")
            .arg(m_cfg.rounds)
            .arg(load0, load1));
    out(QString());
    out(QStringLiteral("| what | console | parallel-ssh | console / parallel-ssh |"));
    out(QStringLiteral("|---|---:|---:|---:|"));
    const auto row = [](const QString& what, double a, double b) {
        out(QStringLiteral("| %1 | %2 | %3 | %4× |")
                .arg(what, ms(a), ms(b))
                .arg(b > 0 ? a / b : 0, 0, 'f', 2));
    };
    row(QStringLiteral("wall time, %1 sites (median of %2 rounds)").arg(n).arg(m_cfg.rounds),
        median(m_console.wallMs), median(m_peer.wallMs));
    row(QStringLiteral("per site p50 (all, %1 + %2 samples)")
            .arg(m_console.siteMs.size())
            .arg(m_peer.siteMs.size()),
        percentile(m_console.siteMs, 50), percentile(m_peer.siteMs, 50));
    row(QStringLiteral("per site p95 (all)"), percentile(m_console.siteMs, 95),
        percentile(m_peer.siteMs, 95));
    row(QStringLiteral("per HTML site p50"), percentile(m_console.htmlMs, 50),
        percentile(m_peer.htmlMs, 50));
    row(QStringLiteral("per HTML site p95"), percentile(m_console.htmlMs, 95),
        percentile(m_peer.htmlMs, 95));
    row(QStringLiteral("per WordPress site p50"), percentile(m_console.wpMs, 50),
        percentile(m_peer.wpMs, 50));
    row(QStringLiteral("per WordPress site p95"), percentile(m_console.wpMs, 95),
        percentile(m_peer.wpMs, 95));
    out(QString());
    out(QStringLiteral("Goal: console wall time ≤ 1.1× parallel-ssh's — %1 (%2×).")
            .arg(ratio <= 1.1 ? QStringLiteral("**met**") : QStringLiteral("**missed**"))
            .arg(ratio, 0, 'f', 2));
    out(QString());
    out(QStringLiteral("Console `startCreate` call (site record + journal entry, on the "
                       "calling thread): p50 %1 ms, p95 %2 ms.")
            .arg(percentile(m_console.startMs, 50), 0, 'f', 1)
            .arg(percentile(m_console.startMs, 95), 0, 'f', 1));
    out(QStringLiteral("Failures: console %1, parallel-ssh %2. Sites provisioned but then "
                       "missing from their host's registry (`site:list` after each round): "
                       "console %3, parallel-ssh %4.")
            .arg(m_console.failures)
            .arg(m_peer.failures)
            .arg(m_console.lostEntries)
            .arg(m_peer.lostEntries));
    for (const QString& s : m_notes)
        out(QStringLiteral("- ") + s);
    out(QString());
    out(QStringLiteral("Raw wall times (ms, in round order): console [%1]; parallel-ssh [%2]")
            .arg(list(m_console.wallMs), list(m_peer.wallMs)));
    if (m_console.failures || m_peer.failures || m_console.lostEntries || m_peer.lostEntries)
        std::exit(3);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    const QCommandLineOption hosts(QStringLiteral("hosts"), QStringLiteral("ADDRESS PORT lines"),
                                   QStringLiteral("file"));
    const QCommandLineOption key(QStringLiteral("key"), QStringLiteral("root's client key"),
                                 QStringLiteral("path"));
    const QCommandLineOption php(QStringLiteral("php"), QStringLiteral("PHP version"),
                                 QStringLiteral("v"));
    const QCommandLineOption work(QStringLiteral("work"), QStringLiteral("scratch directory"),
                                  QStringLiteral("dir"));
    const QCommandLineOption rounds(QStringLiteral("rounds"), QStringLiteral("rounds (3)"),
                                    QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption parallel(QStringLiteral("parallel"),
                                      QStringLiteral("sites in flight (8)"), QStringLiteral("n"),
                                      QStringLiteral("8"));
    const QCommandLineOption html(QStringLiteral("html"), QStringLiteral("HTML sites (20)"),
                                  QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption wp(QStringLiteral("wordpress"), QStringLiteral("WordPress sites (5)"),
                                QStringLiteral("n"), QStringLiteral("5"));
    p.addOptions({hosts, key, php, work, rounds, parallel, html, wp});
    p.process(app);
    Config c;
    c.hostsFile = p.value(hosts);
    c.key = p.value(key);
    c.php = p.value(php);
    c.work = p.value(work);
    c.rounds = std::max(1, p.value(rounds).toInt());
    c.parallel = std::max(1, p.value(parallel).toInt());
    c.html = std::max(0, p.value(html).toInt());
    c.wordpress = std::max(0, p.value(wp).toInt());
    if (c.hostsFile.isEmpty() || c.key.isEmpty() || c.php.isEmpty() || c.work.isEmpty())
        die(QStringLiteral("--hosts, --key, --php and --work are required"));
    Bench b(c);
    b.setUp();
    b.run();
    return 0;
}
