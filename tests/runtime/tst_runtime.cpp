// The Runtime's teardown order (executor drained, runner joined, then the
// fleet and the pool): destroying it with work still running, queued or
// stuck against a host that never answers leaves nothing behind. Also run
// under AddressSanitizer (scripts/asan.sh) to prove no use after free.
#include "TestStore.h"
#include "fleet/FleetService.h"
#include "inventory/StoreExecutor.h"
#include "observability/MetricsService.h"
#include "ops/OperationRunner.h"
#include "runtime/Runtime.h"
#include "secrets/SessionPassphrase.h"
#include "store/OperationJournal.h"
#include "store/Sql.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <memory>
#include <optional>

using namespace chom;
using chom::test::TempCore;

namespace {

// Accepts connections and never says a word (no SSH banner): a tarpit.
class Tarpit : public QTcpServer
{
public:
    Tarpit()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* s = nextPendingConnection())
                m_held << s;
        });
    }
    QList<QTcpSocket*> m_held;
};

Recipe oneStep(Step step)
{
    Recipe r;
    r.type = QStringLiteral("test.runtime");
    r.targetType = QStringLiteral("fleet");
    r.steps << std::move(step);
    return r;
}

bool waitForStatus(Store& store, Id id, OperationStatus status, int ms)
{
    return QTest::qWaitFor(
        [&] {
            auto op = OperationJournal(store).get(id);
            return op && op.value().status == status;
        },
        ms);
}

} // namespace

class TestRuntime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A step still running when the runtime goes: it is cancelled, and its
    // body has returned before the destructor does.
    void destroyWithAStepStillRunning()
    {
        TempCore t;
        auto exited = std::make_shared<std::atomic<bool>>(false);
        auto rt = std::make_unique<Runtime>(*t.core);
        rt->startFleet();
        auto id = rt->runner()->start(oneStep({QStringLiteral("wait"), [exited](StepContext& c) {
                                                   for (int i = 0; i < 3000 && !c.cancelled(); ++i)
                                                       QThread::msleep(10);
                                                   c.log(QStringLiteral("leaving"));
                                                   *exited = true;
                                                   return StepOutcome::success();
                                               }}));
        QVERIFY(id);
        QVERIFY(waitForStatus(t.core->store(), id.value(), OperationStatus::Running, 5000));
        rt.reset();
        QVERIFY(exited->load());
    }

    // A step that outlived its timeout and ignores cancel for a while: the
    // runner moved on, but destruction still joins its body (which then
    // logs through the runner: a use after free if it were not joined).
    void destroyWithATimedOutBodyStillRunning()
    {
        TempCore t;
        auto exited = std::make_shared<std::atomic<bool>>(false);
        auto rt = std::make_unique<Runtime>(*t.core);
        rt->startFleet();
        Step stubborn{QStringLiteral("stubborn"), [exited](StepContext& c) {
                          QThread::msleep(800); // ignores cancel
                          c.log(QStringLiteral("late"));
                          *exited = true;
                          return StepOutcome::success();
                      }};
        stubborn.timeoutMs = 100;
        auto id = rt->runner()->start(oneStep(stubborn));
        QVERIFY(id);
        QVERIFY(waitForStatus(t.core->store(), id.value(), OperationStatus::Failed, 5000));
        QVERIFY(!exited->load()); // the body is still sleeping
        rt.reset();
        QVERIFY(exited->load());
    }

    // A sweep against a host that accepts and never answers: stopping the
    // fleet cancels it and returns; no step is left running.
    void stopDuringASweepAgainstATarpit()
    {
        Tarpit tarpit;
        QVERIFY(tarpit.listen(QHostAddress(QStringLiteral("127.0.0.1")), 0));
        TempCore t;
        const Id vps = t.addVps(QStringLiteral("tarpit"), QStringLiteral("127.0.0.1"));
        QVERIFY(execSql(t.core->store().db(),
                        QStringLiteral("UPDATE vps_servers SET ssh_port = ?, status = 'active'"),
                        {int(tarpit.serverPort())})
                    .ok());
        auto rt = std::make_unique<Runtime>(*t.core);
        rt->startFleet();
        Result<Id> started = makeError(QString(), QString());
        bool done = false;
        rt->startOperation(
            this, [vps](FleetService& f) { return f.startSweep({vps}); },
            [&](Result<Id> r) {
                started = r;
                done = true;
            });
        QTRY_VERIFY_WITH_TIMEOUT(done, 5000);
        QVERIFY2(started.ok(), qPrintable(started.errorMessage()));
        QTRY_VERIFY_WITH_TIMEOUT(!tarpit.m_held.isEmpty(), 5000); // connected, waiting
        QElapsedTimer clock;
        clock.start();
        rt.reset();
        QVERIFY2(clock.elapsed() < 15000, "teardown waited past the connect timeout");
        auto op = OperationJournal(t.core->store()).get(started.value());
        QVERIFY(op);
        QVERIFY(op.value().status != OperationStatus::Running);
    }

    // Operations queued on the store thread while the fleet stops either get
    // the fleet (and finish with it) or a clear no_fleet error.
    void startsQueuedAtStopEitherRunOrSayNoFleet()
    {
        TempCore t;
        const Id vps = t.addVps(QStringLiteral("h"), QStringLiteral("127.0.0.1"));
        QVERIFY(execSql(t.core->store().db(), QStringLiteral("UPDATE vps_servers SET ssh_port = 1"))
                    .ok());
        Runtime rt(*t.core);
        rt.startFleet();
        int answered = 0;
        int noFleet = 0;
        for (int i = 0; i < 20; ++i)
            rt.startOperation(
                this, [vps](FleetService& f) { return f.startTestConnection(vps); },
                [&](Result<Id> r) {
                    ++answered;
                    noFleet += !r && r.error().code == QLatin1String("no_fleet");
                });
        rt.stopFleet();
        QTRY_COMPARE_WITH_TIMEOUT(answered, 20, 5000);
        QVERIFY(!rt.hasFleet());
        rt.startOperation(
            this, [vps](FleetService& f) { return f.startTestConnection(vps); },
            [&](Result<Id> r) {
                ++answered;
                noFleet += !r && r.error().code == QLatin1String("no_fleet");
            });
        QTRY_COMPARE_WITH_TIMEOUT(answered, 21, 5000);
        QVERIFY(noFleet >= 1);
    }
    // The runtime's secrets: opened on the blocking pool with the session
    // passphrase policy, the answer delivered on the caller's thread, and
    // nothing delivered once the context is gone.
    void secretsRoundTripOffTheCallingThread()
    {
        qputenv("CHOM_SECRETS_BACKEND", "file");
        SessionPassphrase::instance().setProviderOverride([] { return QStringLiteral("pw-1"); });
        TempCore t;
        Runtime rt(*t.core, t.dir.path());
        QObject context;
        QThread* const caller = QThread::currentThread();
        std::optional<Status> wrote;
        std::atomic<bool> onCaller{false};
        bool deliveredOnCaller = false;
        rt.withSecrets<Status>(
            &context,
            [caller, &onCaller](SecretStore& store) {
                onCaller = QThread::currentThread() == caller;
                return store.write(QStringLiteral("probe"), QByteArray("value-1"));
            },
            [&](Status st) {
                deliveredOnCaller = QThread::currentThread() == caller;
                wrote = st;
            });
        QTRY_VERIFY_WITH_TIMEOUT(wrote.has_value(), 30000);
        QVERIFY2(!onCaller, "secret I/O ran on the caller's thread");
        QVERIFY(deliveredOnCaller);
        QVERIFY2(wrote->ok(), qPrintable(wrote->errorMessage()));
        std::optional<QByteArray> read;
        rt.withSecrets<QByteArray>(
            &context,
            [](SecretStore& store) { return store.read(QStringLiteral("probe")).value(); },
            [&](QByteArray v) { read = v; });
        QTRY_VERIFY_WITH_TIMEOUT(read.has_value(), 30000);
        QCOMPARE(*read, QByteArray("value-1"));
        // A context destroyed before the answer: done is never called.
        bool late = false;
        {
            QObject gone;
            rt.withSecrets<int>(
                &gone, [](SecretStore&) { return 1; }, [&](int) { late = true; });
        }
        async::drainPools();
        QCoreApplication::processEvents();
        QVERIFY(!late);
        SessionPassphrase::instance().setProviderOverride({});
        qunsetenv("CHOM_SECRETS_BACKEND");
    }

    // The metrics engine is the runtime's: one per runtime, over its network
    // access manager, torn down with it after the executor.
    void ownsOneMetricsEngine()
    {
        TempCore t;
        auto rt = std::make_unique<Runtime>(*t.core, t.dir.path());
        metrics::MetricsService* first = &rt->metrics();
        QCOMPARE(&rt->metrics(), first);
        rt->reloadMetricsEndpoint();
        rt.reset();
    }
};

QTEST_GUILESS_MAIN(TestRuntime)
#include "tst_runtime.moc"
