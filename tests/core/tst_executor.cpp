#include "StoreExecutor.h"
#include "TestStore.h"
#include "store/SiteRepository.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

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

    void notifierSignalsReachTheGuiThreadQueued()
    {
        TempCore t;
        StoreExecutor exec(*t.core);
        QSignalSpy spy(&t.core->notifier(), &ChangeNotifier::changed);
        QThread* receivedOn = nullptr;
        connect(&t.core->notifier(), &ChangeNotifier::changed, this,
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
        exec.run<int>(ctx, [](Core&) { QThread::msleep(50); return 1; }, [&](int) { called = true; });
        delete ctx;
        exec.drain();
        QTest::qWait(100);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestExecutor)
#include "tst_executor.moc"
