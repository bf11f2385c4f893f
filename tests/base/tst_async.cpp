// The core's async vocabulary: run() on a named pool with delivery to a
// live context, SingleFlight's "once more if asked meanwhile", Join's fan-in.
#include "base/Async.h"
#include "base/ChangeFeed.h"
#include "base/ChangeNotifier.h"
#include "base/Result.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <algorithm>
#include <atomic>

using namespace chom;

class TestAsync : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runWorksOnThePoolAndDeliversOnTheContextThread()
    {
        QThread* workedOn = nullptr;
        QThread* deliveredOn = nullptr;
        int got = 0;
        async::run<int>(
            async::blockingPool(), this,
            [&] {
                workedOn = QThread::currentThread();
                return 42;
            },
            [&](int v) {
                deliveredOn = QThread::currentThread();
                got = v;
            });
        QTRY_COMPARE(got, 42);
        QVERIFY(workedOn != QThread::currentThread());
        QCOMPARE(deliveredOn, QThread::currentThread());
        QVERIFY(QThreadPool::globalInstance()->activeThreadCount() == 0);
    }

    void aGoneContextGetsNothing()
    {
        auto* context = new QObject;
        std::atomic<bool> ran{false};
        bool delivered = false;
        async::run<int>(
            async::blockingPool(), context,
            [&] {
                QThread::msleep(100);
                ran = true;
                return 1;
            },
            [&](int) { delivered = true; });
        delete context;
        async::drainPools();
        QVERIFY(ran.load());
        QTest::qWait(50);
        QVERIFY(!delivered);
    }

    void singleFlightFoldsRequestsIntoOneMoreRun()
    {
        async::SingleFlight f;
        QVERIFY(f.begin());
        QVERIFY(!f.begin()); // asked meanwhile
        QVERIFY(!f.begin()); // still one more, not two
        QVERIFY(f.end());    // run again
        QVERIFY(f.begin());
        QVERIFY(!f.end()); // nothing asked: done
        QVERIFY(!f.busy());
    }

    void joinCallsDoneOnceAfterTheLast()
    {
        struct State
        {
            int sum = 0;
        };
        int doneCalls = 0;
        int total = 0;
        async::Join<State> join(3, [&](State& s) {
            ++doneCalls;
            total = s.sum;
        });
        auto a = join.arrive([](State& s, int v) { s.sum += v; });
        auto b = join.arrive([](State& s, int v) { s.sum += v; });
        auto c = join.arrive([](State& s, int v, int w) { s.sum += v * w; });
        a(1);
        b(2);
        QCOMPARE(doneCalls, 0);
        c(3, 4);
        QCOMPARE(doneCalls, 1);
        QCOMPARE(total, 15);
    }

    // A burst of commits reaches listeners once per entity, ids merged.
    void changeFeedCoalescesABurst()
    {
        ChangeNotifier notifier;
        ChangeFeed feed(notifier);
        QSignalSpy spy(&feed, &ChangeFeed::changed);
        notifier.notify(ChangeNotifier::Entity::Sites, {1});
        notifier.notify(ChangeNotifier::Entity::Sites, {2});
        notifier.notify(ChangeNotifier::Entity::Sites, {1, 3});
        QTRY_COMPARE(spy.size(), 1);
        QVector<Id> ids = spy.at(0).at(1).value<QVector<Id>>();
        std::sort(ids.begin(), ids.end());
        QCOMPARE(ids, (QVector<Id>{1, 2, 3}));
        spy.clear();
        notifier.notify(ChangeNotifier::Entity::All);
        QTRY_COMPARE(spy.size(), 5); // every entity, each "reload all"
        for (const auto& call : spy)
            QVERIFY(call.at(1).value<QVector<Id>>().isEmpty());
    }

    void errorKindsComeFromOneTable()
    {
        QCOMPARE(toString(makeError(QStringLiteral("quota_exceeded"), {}).kind()),
                 toString(ErrorKind::Rule));
        QCOMPARE(toString(makeError(QStringLiteral("invalid_domain"), {}).kind()),
                 toString(ErrorKind::Rule));
        QCOMPARE(toString(makeError(QStringLiteral("duplicate_domain"), {}).kind()),
                 toString(ErrorKind::Conflict));
        QCOMPARE(toString(makeError(QStringLiteral("not_found"), {}).kind()),
                 toString(ErrorKind::NotFound));
        QCOMPARE(toString(makeError(QStringLiteral("store"), {}).kind()),
                 toString(ErrorKind::Store));
        QCOMPARE(toString(makeError(QStringLiteral("refused"), {}).kind()),
                 toString(ErrorKind::Transport));
        QCOMPARE(toString(makeError(QStringLiteral("INVALID_DOMAIN"), {}).kind()),
                 toString(ErrorKind::Remote));
        QCOMPARE(toString(makeError(QStringLiteral("usage"), {}).kind()),
                 toString(ErrorKind::Usage));
        QCOMPARE(toString(makeError(ErrorKind::Cancelled, QStringLiteral("x"), {}).kind()),
                 toString(ErrorKind::Cancelled));
        QCOMPARE(toString(makeError(QStringLiteral("something_new"), {}).kind()),
                 toString(ErrorKind::Internal));
    }
};

QTEST_GUILESS_MAIN(TestAsync)
#include "tst_async.moc"
