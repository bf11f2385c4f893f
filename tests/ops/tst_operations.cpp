// OperationRunner, data-driven: rows of (recipe, expected event log), plus
// journal persistence, cancel, per-step timeouts and crash recovery.
#include "TestStore.h"
#include "ops/OperationRunner.h"
#include "ops/RecipeExecutor.h"
#include "store/OperationJournal.h"
#include "store/Sql.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSet>
#include <QSysInfo>
#include <QThread>
#include <QWaitCondition>
#include <QtTest>

using namespace chom;
using chom::test::TempCore;

namespace {

Step stepFrom(const QString& part);

// "a:ok b:fail c:slow" → steps. ok, fail, slow (150 ms), hang (until cancelled), sleepy (ignores
// cancel, 1 s)
Recipe recipeFrom(const QString& spec, Recipe::Mode mode, Recipe::Policy policy, int limit = 2)
{
    Recipe r;
    r.type = QStringLiteral("test.recipe");
    r.targetType = QStringLiteral("fleet");
    r.mode = mode;
    r.policy = policy;
    r.parallelLimit = limit;
    for (const QString& part : spec.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        r.steps << stepFrom(part);
    return r;
}

// Names of the "ok" steps that have returned, so a "failafter-X" step can
// fail only once its sibling X is done (a parallel group's failure cancels
// the siblings still running: without the wait, the order is the scheduler's).
struct Finished
{
    QMutex mutex;
    QWaitCondition changed;
    QSet<QString> names;
    void add(const QString& name)
    {
        QMutexLocker l(&mutex);
        names << name;
        changed.wakeAll();
    }
    void clear()
    {
        QMutexLocker l(&mutex);
        names.clear();
    }
    bool waitFor(const QString& name, int ms)
    {
        QDeadlineTimer deadline(ms);
        QMutexLocker l(&mutex);
        while (!names.contains(name))
            if (!changed.wait(&mutex, deadline))
                return false;
        return true;
    }
};
Finished& finished()
{
    static Finished f;
    return f;
}

Step stepFrom(const QString& part)
{
    const QString name = part.section(QLatin1Char(':'), 0, 0);
    const QString kind = part.section(QLatin1Char(':'), 1, 1);
    Step s;
    s.name = name;
    s.timeoutMs = 2000;
    if (kind == QLatin1String("timeout"))
        s.timeoutMs = 200;
    s.run = [kind, name](StepContext& ctx) {
        ctx.log(QStringLiteral("%1 running").arg(name));
        if (kind == QLatin1String("fail"))
            return StepOutcome::failure(QStringLiteral("boom"));
        if (kind.startsWith(QLatin1String("failafter-"))) {
            finished().waitFor(kind.mid(10), 1500);
            QThread::msleep(50); // the runner records the sibling's end first
            return StepOutcome::failure(QStringLiteral("boom"));
        }
        if (kind == QLatin1String("slow"))
            QThread::msleep(150);
        if (kind == QLatin1String("hang") || kind == QLatin1String("timeout")) {
            while (!ctx.cancelled())
                QThread::msleep(5);
            return StepOutcome::failure(QStringLiteral("stopped"));
        }
        finished().add(name);
        return StepOutcome::success(QStringLiteral("{\"step\":\"%1\"}").arg(name));
    };
    return s;
}

// The events of one run, from any thread (step results, handlers, the end).
struct EventLog
{
    QMutex mutex;
    QStringList lines;
    void add(const QString& e)
    {
        QMutexLocker l(&mutex);
        lines << e;
    }
};

// A recipe tree: "root=seq(a:ok p=par2(b:slow c:slow) d:fail)". A group is
// NAME=seq(...) or NAME=parN(...), with "~" after seq/parN for
// continue-and-report (default: stop at the first error); its handlers log
// "done NAME" and "undo NAME" (the compensation).
std::shared_ptr<RecipeGroup> groupFrom(const QString& spec, int& pos, EventLog& log)
{
    auto g = std::make_shared<RecipeGroup>();
    const int eq = spec.indexOf(QLatin1Char('='), pos);
    const int open = spec.indexOf(QLatin1Char('('), eq);
    g->name = spec.mid(pos, eq - pos);
    QString kind = spec.mid(eq + 1, open - eq - 1);
    if (kind.endsWith(QLatin1Char('~'))) {
        g->policy = Recipe::Policy::ContinueAndReport;
        kind.chop(1);
    }
    if (kind.startsWith(QLatin1String("par"))) {
        g->mode = Recipe::Mode::Parallel;
        g->parallelLimit = kind.mid(3).toInt();
    }
    const QString name = g->name;
    g->onDone = [&log, name](RunStorage&) { log.add(QStringLiteral("done ") + name); };
    g->onError = [&log, name](RunStorage&) { log.add(QStringLiteral("undo ") + name); };
    pos = open + 1;
    while (pos < spec.size()) {
        if (spec[pos] == QLatin1Char(' ')) {
            ++pos;
        } else if (spec[pos] == QLatin1Char(')')) {
            ++pos;
            break;
        } else {
            const int end = spec.indexOf(QRegularExpression(QStringLiteral("[ )=]")), pos);
            if (spec[end] == QLatin1Char('=')) {
                g->children.push_back({nullptr, groupFrom(spec, pos, log)});
            } else {
                g->children.push_back(RecipeNode::of(stepFrom(spec.mid(pos, end - pos))));
                pos = end;
            }
        }
    }
    return g;
}

Recipe treeFrom(const QString& spec, EventLog& log)
{
    Recipe r;
    r.type = QStringLiteral("test.tree");
    r.targetType = QStringLiteral("fleet");
    int pos = 0;
    r.root = groupFrom(spec, pos, log);
    return r;
}

QStringList runAndLog(OperationRunner& runner, const Recipe& recipe, Id* idOut = nullptr,
                      EventLog* events = nullptr)
{
    EventLog own;
    EventLog& log = events ? *events : own;
    auto add = [&](const QString& e) { log.add(e); };
    const QVector<Step> steps = RecipeExecutor::stepsOf(*RecipeExecutor::rootOf(recipe));
    QObject ctx;
    QObject::connect(
        &runner, &OperationRunner::stepFinished, &ctx,
        [&](Id, int step, bool ok, const QString& err) {
            add(ok ? QStringLiteral("ok %1").arg(steps[step].name)
                   : QStringLiteral("fail %1: %2").arg(steps[step].name, err));
        },
        Qt::DirectConnection);
    QObject::connect(
        &runner, &OperationRunner::operationFinished, &ctx,
        [&](Id, const QString& status, const QString&) {
            add(QStringLiteral("end %1").arg(status));
        },
        Qt::DirectConnection);
    auto id = runner.start(recipe);
    if (!id)
        return {QStringLiteral("start error: ") + id.error().message};
    if (idOut)
        *idOut = id.value();
    if (!runner.waitForFinished(id.value(), 20000))
        return {QStringLiteral("did not finish")};
    QMutexLocker l(&log.mutex);
    return log.lines;
}

} // namespace

class TestOperations : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void eventLog_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<bool>("parallel");
        QTest::addColumn<bool>("stopOnError");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("ordered");
        QTest::newRow("sequence all ok")
            << "a:ok b:ok c:ok" << false << true
            << QStringList{"ok a", "ok b", "ok c", "end completed"} << true;
        QTest::newRow("sequence stop on error")
            << "a:ok b:fail c:ok" << false << true
            << QStringList{"ok a", "fail b: boom", "end failed"} << true;
        QTest::newRow("sequence continue and report")
            << "a:fail b:ok c:fail" << false << false
            << QStringList{"fail a: boom", "ok b", "fail c: boom", "end failed"} << true;
        QTest::newRow("sequence step timeout")
            << "a:ok b:timeout c:ok" << false << false
            << QStringList{"ok a", "fail b: step \"b\" timed out after 0.2 s", "ok c", "end failed"}
            << true;
        QTest::newRow("parallel all ok")
            << "a:slow b:slow c:slow d:slow" << true << true
            << QStringList{"ok a", "ok b", "ok c", "ok d", "end completed"} << false;
        QTest::newRow("parallel continue")
            << "a:ok b:fail c:ok d:fail e:ok" << true << false
            << QStringList{"ok a", "fail b: boom", "ok c", "fail d: boom", "ok e", "end failed"}
            << false;
    }
    void eventLog()
    {
        QFETCH(QString, spec);
        QFETCH(bool, parallel);
        QFETCH(bool, stopOnError);
        QFETCH(QStringList, expected);
        QFETCH(bool, ordered);
        TempCore t;
        OperationRunner runner(t.core->store());
        QStringList log = runAndLog(
            runner, recipeFrom(spec, parallel ? Recipe::Mode::Parallel : Recipe::Mode::Sequence,
                               stopOnError ? Recipe::Policy::StopOnFirstError
                                           : Recipe::Policy::ContinueAndReport));
        if (!ordered) {
            log.sort();
            expected.sort();
        }
        QCOMPARE(log, expected);
    }

    // Nested groups: sequence and parallel inside one another, each with its
    // own policy; handlers run after their children (undo = compensation).
    void nestedEventLog_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("ordered");
        QTest::newRow("parallel group inside a sequence")
            << "root=seq(a:ok p=par2(b:slow c:slow d:slow) e:ok)"
            << QStringList{"ok a",   "ok b", "ok c",      "ok d",
                           "done p", "ok e", "done root", "end completed"}
            << false;
        QTest::newRow("failed nested group compensates and stops its parent")
            << "root=seq(a:ok g=seq(b:ok c:fail d:ok) e:ok)"
            << QStringList{"ok a", "ok b", "fail c: boom", "undo g", "undo root", "end failed"}
            << true;
        QTest::newRow("continue-and-report parent runs on after a failed group")
            << "root=seq~(g=seq(a:fail b:ok) c:ok)"
            << QStringList{"fail a: boom", "undo g", "ok c", "undo root", "end failed"} << true;
        QTest::newRow("parallel groups inside a parallel group")
            << "root=par2(g1=par1(a:slow b:slow) g2=par1(c:slow d:slow))"
            << QStringList{"ok a",    "ok b",    "ok c",      "ok d",
                           "done g1", "done g2", "done root", "end completed"}
            << false;
        QTest::newRow("timeout inside a nested group")
            << "root=seq(g=seq(a:timeout) b:ok)"
            << QStringList{"fail a: step \"a\" timed out after 0.2 s", "undo g", "undo root",
                           "end failed"}
            << true;
    }
    void nestedEventLog()
    {
        QFETCH(QString, spec);
        QFETCH(QStringList, expected);
        QFETCH(bool, ordered);
        TempCore t;
        OperationRunner runner(t.core->store());
        EventLog events;
        QStringList log = runAndLog(runner, treeFrom(spec, events), nullptr, &events);
        if (!ordered) {
            log.sort();
            expected.sort();
        }
        QCOMPARE(log, expected);
    }

    // Every step of a tree has its own journal row, in tree order; the ones
    // a failure skipped say so.
    void nestedStepsAreJournaled()
    {
        TempCore t;
        OperationRunner runner(t.core->store());
        EventLog events;
        Id id = 0;
        finished().clear();
        runAndLog(
            runner,
            treeFrom(QStringLiteral("root=seq(a:ok g=par2(b:failafter-c c:ok) d:ok)"), events), &id,
            &events);
        auto steps = OperationJournal(t.core->store()).steps(id);
        QVERIFY(steps);
        QCOMPARE(steps.value().size(), 4);
        QStringList seen;
        for (const Operation& s : steps.value())
            seen << s.type.section(QLatin1Char('/'), 1) + QLatin1Char(' ') + toString(s.status);
        QCOMPARE(seen, (QStringList{"a completed", "b failed", "c completed", "d cancelled"}));
        QCOMPARE(steps.value().at(3).error, QStringLiteral("skipped after an earlier failure"));
    }

    // Steps hand values on through the run's storage; the compensation sees them.
    void storageIsSharedWithLaterStepsAndCompensation()
    {
        TempCore t;
        OperationRunner runner(t.core->store());
        QString seenByB, seenByUndo;
        RecipeGroup g;
        g.name = QStringLiteral("g");
        g.children.push_back(RecipeNode::of(Step{QStringLiteral("a"), [](StepContext& c) {
                                                     c.storage().set(QStringLiteral("user"),
                                                                     QStringLiteral("site42"));
                                                     return StepOutcome::success();
                                                 }}));
        g.children.push_back(
            RecipeNode::of(Step{QStringLiteral("b"), [&](StepContext& c) {
                                    seenByB = c.storage().value(QStringLiteral("user")).toString();
                                    return StepOutcome::failure(QStringLiteral("disk full"));
                                }}));
        g.onError = [&](RunStorage& s) { seenByUndo = s.value(QStringLiteral("user")).toString(); };
        Recipe r;
        r.type = QStringLiteral("test.storage");
        r.targetType = QStringLiteral("fleet");
        r.root = std::make_shared<RecipeGroup>(std::move(g));
        runAndLog(runner, r);
        QCOMPARE(seenByB, QStringLiteral("site42"));
        QCOMPARE(seenByUndo, QStringLiteral("site42"));
    }

    void parallelLimitIsRespected()
    {
        TempCore t;
        OperationRunner runner(t.core->store());
        std::atomic<int> now{0}, peak{0};
        Recipe r =
            recipeFrom(QString(), Recipe::Mode::Parallel, Recipe::Policy::ContinueAndReport, 3);
        for (int i = 0; i < 9; ++i)
            r.steps << Step{QStringLiteral("s%1").arg(i),
                            [&](StepContext&) {
                                const int v = ++now;
                                int p = peak.load();
                                while (v > p && !peak.compare_exchange_weak(p, v)) {
                                }
                                QThread::msleep(60);
                                --now;
                                return StepOutcome::success();
                            },
                            5000};
        runAndLog(runner, r);
        QCOMPARE(peak.load(), 3);
    }

    void journalRecordsOperationAndSteps()
    {
        TempCore t;
        OperationRunner runner(t.core->store());
        Id id = 0;
        runAndLog(runner,
                  recipeFrom(QStringLiteral("a:ok b:fail c:ok"), Recipe::Mode::Sequence,
                             Recipe::Policy::StopOnFirstError),
                  &id);
        OperationJournal journal(t.core->store());
        const Operation op = journal.get(id).value();
        QCOMPARE(toString(op.status), QStringLiteral("failed"));
        QCOMPARE(op.error, QStringLiteral("b: boom"));
        QVERIFY(!op.correlationId.isEmpty());
        QVERIFY(op.startedAt > 0 && op.completedAt >= op.startedAt);
        const auto steps = journal.steps(id).value();
        QCOMPARE(steps.size(), 3);
        QCOMPARE(toString(steps[0].status), QStringLiteral("completed"));
        QCOMPARE(steps[0].outputJson, QStringLiteral("{\"step\":\"a\"}"));
        QCOMPARE(toString(steps[1].status), QStringLiteral("failed"));
        QCOMPARE(toString(steps[2].status),
                 QStringLiteral("cancelled")); // skipped after the failure
        QCOMPARE(steps[2].error, QStringLiteral("skipped after an earlier failure"));
        for (const auto& s : steps)
            QCOMPARE(s.correlationId, op.correlationId);
        QCOMPARE(journal.recent(10).value().size(), 1); // steps are not top-level
    }

    void cancelStopsRunningAndPendingSteps()
    {
        TempCore t;
        OperationRunner runner(t.core->store());
        auto id =
            runner.start(recipeFrom(QStringLiteral("a:ok b:hang c:ok"), Recipe::Mode::Sequence,
                                    Recipe::Policy::StopOnFirstError));
        QVERIFY(id.ok());
        QTest::qWait(200);
        QElapsedTimer timer;
        timer.start();
        runner.cancel(id.value());
        QVERIFY(runner.waitForFinished(id.value(), 5000));
        QVERIFY(timer.elapsed() < 2000);
        OperationJournal journal(t.core->store());
        QCOMPARE(toString(journal.get(id.value()).value().status), QStringLiteral("cancelled"));
        const auto steps = journal.steps(id.value()).value();
        QCOMPARE(toString(steps[1].status), QStringLiteral("cancelled"));
        QCOMPARE(toString(steps[2].status), QStringLiteral("cancelled"));
    }

    // Another process (here: a second Store on the same file, from another
    // thread) asks through the journal; the runner's poller cancels.
    void cancelRequestedThroughTheJournal()
    {
        TempCore t;
        OperationRunner runner(t.core->store());
        const Recipe hang = recipeFrom(QStringLiteral("a:ok b:hang c:ok"), Recipe::Mode::Sequence,
                                       Recipe::Policy::StopOnFirstError);
        auto id = runner.start(hang);
        auto other = runner.start(hang);
        QVERIFY(id.ok() && other.ok());
        QTest::qWait(200);
        Status requested = makeError(QStringLiteral("unset"), QString());
        QVector<Id> seen;
        std::unique_ptr<QThread> process(QThread::create([&] {
            auto store = Store::open(t.config());
            if (!store)
                return;
            OperationJournal journal(*store.value());
            requested = journal.requestCancel(id.value());
            seen = journal.cancelRequested({id.value(), other.value()}).value();
        }));
        QElapsedTimer timer;
        timer.start();
        process->start();
        QVERIFY(process->wait(5000));
        QVERIFY2(requested.ok(), qPrintable(requested.errorMessage()));
        QCOMPARE(seen, QVector<Id>{id.value()});
        QVERIFY(runner.waitForFinished(id.value(), 5000));
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        OperationJournal journal(t.core->store());
        QCOMPARE(toString(journal.get(id.value()).value().status), QStringLiteral("cancelled"));
        const auto steps = journal.steps(id.value()).value();
        QCOMPARE(toString(steps[1].status), QStringLiteral("cancelled"));
        QCOMPARE(toString(steps[2].status), QStringLiteral("cancelled"));
        // Only the requested run stopped.
        QCOMPARE(toString(journal.get(other.value()).value().status), QStringLiteral("running"));
        runner.cancel(other.value());
        QVERIFY(runner.waitForFinished(other.value(), 5000));

        // Finished, a step, or unknown: clear errors, nothing written.
        const Status again = journal.requestCancel(id.value());
        QCOMPARE(again.error().code, QStringLiteral("not_cancellable"));
        QCOMPARE(again.error().message,
                 QStringLiteral("Operation #%1 is already cancelled.").arg(id.value()));
        QCOMPARE(journal.requestCancel(steps[0].id).error().code,
                 QStringLiteral("not_cancellable"));
        QCOMPARE(journal.requestCancel(999999).error().code, QStringLiteral("not_found"));
        QCOMPARE(journal.cancelRequested({other.value()}).value(), QVector<Id>{});
        QCOMPARE(journal.cancelRequested({}).value(), QVector<Id>{});
    }

    void progressIsFinishedOverTotal()
    {
        TempCore t;
        OperationRunner runner(t.core->store());
        QVector<double> seen;
        connect(
            &runner, &OperationRunner::progressChanged, this, [&](Id, double p) { seen << p; },
            Qt::DirectConnection);
        runAndLog(runner, recipeFrom(QStringLiteral("a:ok b:ok c:ok d:ok"), Recipe::Mode::Sequence,
                                     Recipe::Policy::StopOnFirstError));
        QCOMPARE(seen, (QVector<double>{0.25, 0.5, 0.75, 1.0}));
    }

    void crashLeavesInterruptedOperations()
    {
        TempCore t;
        // A previous process died mid-run: rows still say running / pending.
        OperationJournal journal(t.core->store());
        Operation op;
        op.correlationId = QStringLiteral("c1");
        op.type = QStringLiteral("vps.bootstrap");
        op.status = OperationStatus::Running;
        const Id running = journal.insert(op).value();
        const Id step = journal.insert(op, running).value();
        op.status = OperationStatus::Pending;
        const Id pending = journal.insert(op).value();
        op.status = OperationStatus::Completed;
        const Id done = journal.insert(op).value();
        op.status = OperationStatus::Running;
        const Id liveHere = journal.insert(op).value();  // another live process on this host
        const Id otherHost = journal.insert(op).value(); // a teammate's workstation
        const Id mine = journal.insert(op).value();      // this very process
        const QString host = QSysInfo::machineHostName();
        auto setOwner = [&](Id id, const QString& owner) {
            QVERIFY(execSql(t.core->store().db(),
                            QStringLiteral("UPDATE operations SET owner = ? WHERE id = ?"),
                            {owner, id})
                        .ok());
        };
        for (Id id : {running, step, pending})
            setOwner(id, host + QStringLiteral(":999999999")); // no such pid
        setOwner(liveHere, host + QStringLiteral(":1"));
        setOwner(otherHost, QStringLiteral("elsewhere.example:4242"));
        auto ids = OperationRunner::recoverInterrupted(t.core->store());
        QVERIFY(ids.ok());
        QCOMPARE(ids.value(), (QVector<Id>{running, pending}));
        QCOMPARE(toString(journal.get(running).value().status), QStringLiteral("interrupted"));
        QCOMPARE(toString(journal.get(step).value().status), QStringLiteral("interrupted"));
        QCOMPARE(toString(journal.get(done).value().status), QStringLiteral("completed"));
        for (Id live : {liveHere, otherHost, mine})
            QCOMPARE(toString(journal.get(live).value().status), QStringLiteral("running"));
    }

    // One target's operations: top-level only, newest first, at most `limit`.
    void journalListsATargetsOperationsNewestFirst()
    {
        TempCore t;
        OperationJournal journal(t.core->store());
        auto add = [&](const QString& type, Id target, qint64 at, Id parent = 0) {
            Operation op;
            op.correlationId = QStringLiteral("c");
            op.type = type;
            op.targetType = type.section(QLatin1Char('.'), 0, 0);
            op.targetId = target;
            op.createdAt = at;
            return journal.insert(op, parent).value();
        };
        const Id old = add(QStringLiteral("site.provision"), 7, 100);
        add(QStringLiteral("site.provision"), 8, 150); // another site
        add(QStringLiteral("vps.bootstrap"), 7, 160);  // another kind of target, same id
        const Id newer = add(QStringLiteral("site.disable"), 7, 200);
        add(QStringLiteral("site.disable"), 7, 210, newer); // a step, not listed
        const Id newest = add(QStringLiteral("site.enable"), 7, 300);

        auto ids = [](const QVector<Operation>& ops) {
            QVector<Id> out;
            for (const Operation& op : ops)
                out << op.id;
            return out;
        };
        QCOMPARE(ids(journal.forTarget(QStringLiteral("site"), 7, 20).value()),
                 (QVector<Id>{newest, newer, old}));
        QCOMPARE(ids(journal.forTarget(QStringLiteral("site"), 7, 2).value()),
                 (QVector<Id>{newest, newer}));
        QVERIFY(journal.forTarget(QStringLiteral("site"), 9, 20).value().isEmpty());
    }

    void emptyRecipeIsRefused()
    {
        TempCore t;
        OperationRunner runner(t.core->store());
        QCOMPARE(runner.start(Recipe{}).error().code, QStringLiteral("invalid_recipe"));
    }
};

QTEST_GUILESS_MAIN(TestOperations)
#include "tst_operations.moc"
