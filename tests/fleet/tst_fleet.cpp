// The fleet layer (FleetService + agent protocol) against a real OpenSSH
// fleet on loopback (tests/support/SshFleet), 20 hosts at 127.0.0.50-69.
#include "SshFleet.h"
#include "TestStore.h"
#include "fleet/AgentProtocol.h"
#include "fleet/FleetService.h"
#include "ops/OperationRunner.h"
#include "ssh/SshPool.h"
#include "store/AuditLog.h"
#include "store/HostKeyStore.h"
#include "store/OperationJournal.h"
#include "store/VpsRepository.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QtTest>

#include <algorithm>

using namespace chom;
using chom::test::SshFleet;
using chom::test::TcpTarpit;
using chom::test::TempCore;

namespace {

// A pool, a runner and the service over one store; torn down runner first.
struct Bundle
{
    std::unique_ptr<SshPool> pool;
    std::unique_ptr<OperationRunner> runner;
    std::unique_ptr<FleetService> fleet;
    ~Bundle()
    {
        runner.reset();
        fleet.reset();
        pool.reset();
    }
};

bool writeFile(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

} // namespace

class TestFleet : public QObject
{
    Q_OBJECT
private:
    SshFleet m_fleet;
    std::unique_ptr<TempCore> m_t;
    QVector<Id> m_ids;
    std::unique_ptr<Bundle> m_main;

    std::unique_ptr<Bundle> make(bool trustNew = true, const QString& keyPath = QString(),
                                 int connectMs = 5000)
    {
        auto b = std::make_unique<Bundle>();
        SshPool::Config c;
        c.trustNewHostKeys = trustNew;
        b->pool = std::make_unique<SshPool>(m_t->core->store(), c);
        b->runner = std::make_unique<OperationRunner>(m_t->core->store(), &m_t->core->notifier());
        b->fleet = std::make_unique<FleetService>(*m_t->core, *b->pool, *b->runner);
        SshIdentity id;
        id.privateKeyPath = keyPath.isEmpty() ? m_fleet.clientKeyPath() : keyPath;
        b->fleet->setIdentity(id);
        SshTimeouts t;
        t.connectMs = connectMs;
        t.authMs = 5000;
        t.commandMs = 30000;
        t.silenceMs = 30000;
        b->fleet->setTimeouts(t);
        return b;
    }
    Vps vps(Id id) const { return VpsRepository(m_t->core->store()).get(id).value(); }
    OperationStatus statusOf(Id op) const
    {
        return OperationJournal(m_t->core->store()).get(op).value().status;
    }
    QString category(Bundle& b, Id id)
    {
        auto t = b.fleet->testConnectionNow(id);
        return t ? t.value().category : QStringLiteral("<%1>").arg(t.errorMessage());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!SshFleet::available())
            QSKIP(qPrintable(SshFleet::unavailableReason()));
        QVERIFY2(m_fleet.start(20, 50), qPrintable(m_fleet.error()));
        m_t = std::make_unique<TempCore>();
        const auto hosts = m_fleet.hosts();
        for (int i = 0; i < hosts.size(); ++i) {
            Vps v;
            v.hostname = QStringLiteral("web-%1.fleet.test").arg(i, 2, 10, QLatin1Char('0'));
            v.ipAddress = hosts.at(i).address;
            v.sshPort = hosts.at(i).port;
            v.sshUser = m_fleet.user();
            v.status = VpsStatus::Active;
            auto id = m_t->core->vps().create(v);
            QVERIFY2(id, qPrintable(id.errorMessage()));
            m_ids << id.value();
            // Stable readings whatever this machine runs: all services up, 50 % disk and memory.
            const QString etc = hosts.at(i).sandbox + QStringLiteral("/etc/chom-agent/");
            QVERIFY(writeFile(etc + QStringLiteral("services"),
                              "nginx=running\nphp_fpm=running\nmariadb=running\n"));
            QVERIFY(writeFile(etc + QStringLiteral("df"), "1000000 500000 500000\n"));
            QVERIFY(writeFile(hosts.at(i).sandbox + QStringLiteral("/proc/meminfo"),
                              "MemTotal:       4000000 kB\nMemAvailable:   2000000 kB\n"));
        }
        m_main = make();
    }
    void cleanupTestCase()
    {
        m_main.reset();
        m_t.reset();
    }

    void protocolParsesLastEnvelope()
    {
        SshResult r;
        r.exitStatus = 0;
        r.out = "noise\n{\"ok\":true,\"agent\":\"1.0.0\",\"command\":\"version\",\"data\":{"
                "\"version\":\"1.0.0\"}} trailing\n";
        QVERIFY(agent::classify(r).ok());
        r.exitStatus = 3;
        r.out = "Segmentation fault\n";
        const AgentReply a = agent::classify(r);
        QCOMPARE(a.code, QStringLiteral("agent_aborted"));
        QVERIFY(a.message.contains(QLatin1String("Segmentation fault")));
        r.exitStatus = 127;
        r.out.clear();
        QCOMPARE(agent::classify(r).code, QStringLiteral("agent_missing"));
        QVERIFY(!FleetService::bundledAgentVersion().isEmpty());
        QVERIFY(agent::bundledScript().startsWith("#!"));
    }

    void agentMissingBeforeBootstrap()
    {
        auto t = m_main->fleet->testConnectionNow(m_ids[0]);
        QVERIFY(t);
        QCOMPARE(t.value().category, QStringLiteral("agent_missing"));
        QVERIFY(vps(m_ids[0]).lastHealthCheckAt > 0);
    }

    void hostKeyUnknownWithStrictPool()
    {
        auto strict = make(false);
        auto t = strict->fleet->testConnectionNow(m_ids[1]);
        QVERIFY(t);
        QCOMPARE(t.value().category, QStringLiteral("host_key_unknown"));
        QCOMPARE(t.value().fingerprint, m_fleet.hostKeyFingerprintSha256());
    }

    void bootstrapAcrossTheFleet()
    {
        QVector<Id> ops;
        for (Id id : m_ids) {
            auto op = m_main->fleet->startBootstrap(id);
            QVERIFY2(op, qPrintable(op.errorMessage()));
            ops << op.value();
        }
        for (Id op : ops) {
            QVERIFY(m_main->runner->waitForFinished(op, 120000));
            const Operation o = OperationJournal(m_t->core->store()).get(op).value();
            QVERIFY2(o.status == OperationStatus::Completed, qPrintable(o.error));
        }
        const QString version = FleetService::bundledAgentVersion();
        for (int i = 0; i < m_ids.size(); ++i) {
            QCOMPARE(vps(m_ids[i]).agentVersion, version);
            const QString path =
                m_fleet.hosts().at(i).sandbox + QStringLiteral("/opt/chom-agent/bin/chom-agent");
            QVERIFY2(QFileInfo(path).isExecutable(), qPrintable(path));
        }
        QCOMPARE(category(*m_main, m_ids[0]), QStringLiteral("ok"));
    }

    void agentErrorSurfacesAndSparesTheBreaker()
    {
        for (int i = 0; i < 4; ++i) {
            auto d = m_main->fleet->diagNow(m_ids[0], QStringLiteral("rm"));
            QVERIFY(!d);
            QCOMPARE(d.error().code, QStringLiteral("DIAG_NOT_ALLOWED"));
            QVERIFY(d.error().message.contains(QLatin1String("not allowed")));
        }
        QVERIFY(m_main->pool->breakerState(m_main->fleet->targetFor(vps(m_ids[0]))) ==
                CircuitBreaker::State::Closed);
        auto ok = m_main->fleet->diagNow(m_ids[0], QStringLiteral("loadavg"));
        QVERIFY2(ok, qPrintable(ok.errorMessage()));
    }

    void injectedDiskIsUnhealthy()
    {
        const QString df = m_fleet.hosts().at(2).sandbox + QStringLiteral("/etc/chom-agent/df");
        QVERIFY(writeFile(df, "1000000 980000 20000\n"));
        auto h = m_main->fleet->healthNow(m_ids[2]);
        QVERIFY(writeFile(df, "1000000 500000 500000\n"));
        QVERIFY(h);
        QVERIFY(h.value().reachable);
        QCOMPARE(toString(h.value().health), toString(VpsHealth::Unhealthy));
        QVERIFY(h.value().diskPercent >= 95);
        const Vps v = vps(m_ids[2]);
        QCOMPARE(toString(v.health), toString(VpsHealth::Unhealthy));
        QVERIFY2(v.healthError.contains(QLatin1String("disk")), qPrintable(v.healthError));
    }

    void sweepWithOneHostDownThenRetry()
    {
        QVERIFY(m_fleet.stopHost(5));
        auto op = m_main->fleet->startSweep({}, 20);
        QVERIFY2(op, qPrintable(op.errorMessage()));
        QVERIFY(m_main->runner->waitForFinished(op.value(), 120000));
        QCOMPARE(toString(statusOf(op.value())), toString(OperationStatus::Failed));
        const auto steps = OperationJournal(m_t->core->store()).steps(op.value()).value();
        QCOMPARE(steps.size(), 20);
        int good = 0;
        for (int i = 0; i < steps.size(); ++i) {
            const QJsonObject row = QJsonDocument::fromJson(steps[i].outputJson.toUtf8()).object();
            if (i == 5) {
                QCOMPARE(toString(steps[i].status), toString(OperationStatus::Failed));
                QCOMPARE(row.value(QStringLiteral("reachable")).toBool(true), false);
                continue;
            }
            QVERIFY2(steps[i].status == OperationStatus::Completed, qPrintable(steps[i].error));
            const QString health = row.value(QStringLiteral("health")).toString();
            if (health == QLatin1String("healthy") || health == QLatin1String("degraded"))
                ++good;
        }
        QCOMPARE(good, 19);
        QCOMPARE(toString(vps(m_ids[5]).health), toString(VpsHealth::Unhealthy));
        QVERIFY(!vps(m_ids[5]).healthError.isEmpty());

        QVERIFY(m_fleet.startHost(5));
        auto retry = m_main->fleet->retryOperation(op.value());
        QVERIFY2(retry, qPrintable(retry.errorMessage()));
        QVERIFY(m_main->runner->waitForFinished(retry.value(), 60000));
        QCOMPARE(OperationJournal(m_t->core->store()).steps(retry.value()).value().size(), 1);
        QCOMPARE(toString(statusOf(retry.value())), toString(OperationStatus::Completed));
        QVERIFY(vps(m_ids[5]).health != VpsHealth::Unhealthy);
    }

    void refusedForStoppedHost()
    {
        QVERIFY(m_fleet.stopHost(6));
        auto b = make();
        const QString c = category(*b, m_ids[6]);
        QVERIFY(m_fleet.startHost(6));
        QCOMPARE(c, QStringLiteral("refused"));
    }

    void hostKeyChangedAndRetrust()
    {
        const auto h = m_fleet.hosts().at(7);
        HostKeyStore known(m_t->core->store());
        QCOMPARE(category(*make(), m_ids[7]), QStringLiteral("ok")); // pinned on first contact
        const QString before = known.lookup(h.address, h.port).value()->fingerprint;
        QVERIFY(m_fleet.rotateHostKey(7));
        const QString presented = m_fleet.hostKeyFingerprintSha256(7);
        auto b = make();
        auto t = b->fleet->testConnectionNow(m_ids[7]);
        QVERIFY(t);
        QCOMPARE(t.value().category, QStringLiteral("host_key_changed"));
        QCOMPARE(t.value().oldFingerprint, before);
        QCOMPARE(t.value().fingerprint, presented);
        auto pinNow = [&] { return known.lookup(h.address, h.port).value()->fingerprint; };
        // Without the checked fingerprint a changed key is refused.
        auto refused = b->fleet->trustHostKeyNow(m_ids[7], QString());
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QStringLiteral("host_key_changed"));
        QVERIFY2(refused.error().message.contains(presented), qPrintable(refused.errorMessage()));
        QCOMPARE(pinNow(), before);
        // Another key than the server's: nothing changes, the old pin stays.
        auto mismatch = b->fleet->trustHostKeyNow(m_ids[7], before);
        QVERIFY(!mismatch);
        QCOMPARE(mismatch.error().code, QStringLiteral("host_key_mismatch"));
        QCOMPARE(pinNow(), before);
        // The right key, but the host is gone by then: the old pin stays.
        QVERIFY(m_fleet.stopHost(7));
        QVERIFY(!b->fleet->trustHostKeyNow(m_ids[7], presented));
        QVERIFY(m_fleet.startHost(7));
        QCOMPARE(pinNow(), before);
        // Exactly the key shown: pinned, returned, audited old → new.
        auto replaced = b->fleet->trustHostKeyNow(m_ids[7], presented);
        QVERIFY2(replaced, qPrintable(replaced.errorMessage()));
        QCOMPARE(replaced.value(), presented);
        QCOMPARE(pinNow(), presented);
        auto audit = AuditLog(m_t->core->store()).recent(5);
        QVERIFY(audit);
        QVERIFY(std::any_of(audit.value().cbegin(), audit.value().cend(), [&](const AuditEntry& e) {
            return e.action == QLatin1String("hostkey.trusted") &&
                   e.details == QStringLiteral("%1 → %2").arg(before, presented);
        }));
        QCOMPARE(category(*b, m_ids[7]), QStringLiteral("ok"));
    }

    void authFailedWithWrongKey()
    {
        QTemporaryDir dir;
        const QString key = dir.path() + QStringLiteral("/wrong");
        QCOMPARE(QProcess::execute(QStringLiteral("ssh-keygen"),
                                   {QStringLiteral("-q"), QStringLiteral("-t"),
                                    QStringLiteral("ed25519"), QStringLiteral("-N"), QString(),
                                    QStringLiteral("-f"), key}),
                 0);
        auto b = make(true, key);
        QCOMPARE(category(*b, m_ids[8]), QStringLiteral("auth_failed"));
    }

    void timeoutOnTarpit()
    {
        TcpTarpit pit;
        QVERIFY(pit.listen(QStringLiteral("127.0.0.1")));
        Vps v;
        v.hostname = QStringLiteral("tarpit.fleet.test");
        v.ipAddress = QStringLiteral("127.0.0.1");
        v.sshPort = pit.port();
        v.sshUser = m_fleet.user();
        auto id = m_t->core->vps().create(v);
        QVERIFY(id);
        auto b = make(true, QString(), 1500);
        QCOMPARE(category(*b, id.value()), QStringLiteral("timeout"));
        QVERIFY(m_t->core->vps().remove(id.value()));
    }
};

QTEST_GUILESS_MAIN(TestFleet)
#include "tst_fleet.moc"
