#include "TestStore.h"
#include "inventory/StoreExecutor.h"
#include "store/SiteRepository.h"

#include <QSignalSpy>

#include <QThread>
#include <QtTest>
#include <atomic>

using namespace chom;
using chom::test::TempCore;

class TestExecutor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsOffTheCallerThreadWithItsOwnConnection()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("T"));
        StoreExecutor exec(*t.core);
        QThread* workerThread = nullptr;
        QString workerConnection;
        int delivered = 0;
        Result<Id> created = makeError(QString(), QString());
        exec.run<Result<Id>>(
            this,
            [&](Core& c) {
                workerThread = QThread::currentThread();
                workerConnection = c.store().db().connectionName();
                Site s;
                s.tenantId = tenant;
                s.domain = QStringLiteral("async.example.com");
                return c.sites().create(s);
            },
            [&](Result<Id> r) {
                QCOMPARE(QThread::currentThread(), thread());
                created = r;
                ++delivered;
            });
        QTRY_COMPARE(delivered, 1);
        QVERIFY(created.ok());
        QVERIFY(workerThread != QThread::currentThread());
        QVERIFY(workerConnection != t.core->store().db().connectionName());
        QVERIFY(SiteRepository(t.core->store()).get(created.value()).ok());
    }

    // Writes queued but not started when the executor is destroyed (a save
    // clicked just before Ctrl+Q) still run to the end.
    void destructionRunsQueuedWrites()
    {
        TempCore t;
        const Id tenant = t.addTenant(QStringLiteral("T"), QStringLiteral("pro"));
        std::atomic<int> ran{0};
        {
            StoreExecutor exec(*t.core);
            exec.run<int>(
                this,
                [](Core&) {
                    QThread::msleep(200);
                    return 0;
                },
                [](int) {});
            for (int i = 0; i < 20; ++i)
                exec.run<Result<Id>>(
                    this,
                    [&ran, tenant, i](Core& c) {
                        Site s;
                        s.tenantId = tenant;
                        s.domain = QStringLiteral("queued-%1.example.com").arg(i);
                        ++ran;
                        return c.sites().create(s);
                    },
                    [](Result<Id>) {});
        } // destroyed while the first task still sleeps
        QCOMPARE(ran.load(), 20);
        auto sites = SiteRepository(t.core->store()).list();
        QVERIFY(sites.ok());
        QCOMPARE(int(sites.value().size()), 20);
    }

    void notifierSignalsReachTheGuiThreadQueued()
    {
        TempCore t;
        StoreExecutor exec(*t.core);
        QSignalSpy spy(&t.core->notifier(), &ChangeNotifier::changed);
        QThread* receivedOn = nullptr;
        connect(
            &t.core->notifier(), &ChangeNotifier::changed, this,
            [&] { receivedOn = QThread::currentThread(); }, Qt::QueuedConnection);
        exec.run<Result<Id>>(
            this,
            [](Core& c) {
                Tenant tn;
                tn.name = QStringLiteral("Q");
                return c.tenants().create(tn);
            },
            [](Result<Id>) {});
        QTRY_VERIFY(receivedOn != nullptr);
        QCOMPARE(receivedOn, QThread::currentThread());
    }

    void resultForDestroyedContextIsDropped()
    {
        TempCore t;
        StoreExecutor exec(*t.core);
        bool called = false;
        auto* ctx = new QObject;
        exec.run<int>(
            ctx,
            [](Core&) {
                QThread::msleep(50);
                return 1;
            },
            [&](int) { called = true; });
        delete ctx;
        exec.drain();
        QTest::qWait(100);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestExecutor)
#include "tst_executor.moc"
