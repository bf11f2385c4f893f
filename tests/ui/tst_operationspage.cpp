#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "ops/OperationKind.h"
#include "ops/OperationRunner.h"
#include "store/OperationJournal.h"
#include "store/Sql.h"
#include "ui/ops/OperationDetailPane.h"
#include "ui/ops/OperationsPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/FleetRuntime.h"

#include <QPlainTextEdit>
#include <QPushButton>
#include <QSysInfo>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;
using chom::test::Unguarded;

// The Operations page over a real OperationRunner: status, progress bars,
// steps and live output of the selected operation, cancel, and interrupted
// operations recovered at startup.
class TestOperationsPage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_config;
    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<GuiThreadGuard> m_guard; // from the context's start to its end
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<OperationRunner> m_runner;

    static Step sleepy(const QString& name, bool ok = true)
    {
        return {name, [name, ok](StepContext& c) {
                    c.log(QStringLiteral("%1: starting").arg(name));
                    QThread::msleep(100);
                    c.log(QStringLiteral("%1: done").arg(name));
                    return ok ? StepOutcome::success()
                              : StepOutcome::failure(QString(name + QStringLiteral(" broke")));
                }};
    }
    static Recipe recipe(const QString& type, QVector<Step> steps)
    {
        Recipe r;
        r.type = type;
        r.targetType = QStringLiteral("fleet");
        r.steps = std::move(steps);
        return r;
    }
    // The test drives the runner itself, on the GUI thread, and start()
    // journals on its caller's thread; the console starts operations on the
    // store thread (AppContext::startOperation).
    Result<Id> start(Recipe r)
    {
        Unguarded setup(m_t->core->store());
        return m_runner->start(std::move(r));
    }
    std::unique_ptr<OperationsPage> openPage()
    {
        auto page = std::make_unique<OperationsPage>(*m_ctx);
        page->resize(1200, 800);
        page->show();
        return page;
    }
    static int rowOf(OperationsPage* page, Id id)
    {
        QAbstractItemModel* m = page->view()->model();
        for (int r = 0; r < m->rowCount(); ++r) {
            if (m->index(r, 0).data(OperationTableModel::IdRole).toLongLong() == id)
                return r;
        }
        return -1;
    }
    static QString cell(OperationsPage* page, Id id, int column)
    {
        const int r = rowOf(page, id);
        return r < 0 ? QString() : page->view()->model()->index(r, column).data().toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("chom-test"));
    }
    void init()
    {
        m_t = std::make_unique<TempCore>();
        m_guard = std::make_unique<GuiThreadGuard>(m_t->core->store());
        m_ctx = std::make_unique<AppContext>(*m_t->core, m_t->path());
        m_runner = std::make_unique<OperationRunner>(m_t->core->store(), &m_t->core->notifier());
        m_ctx->setRunnerForTests(m_runner.get());
    }
    void cleanup() // the test's pages are gone by now
    {
        m_runner.reset();
        m_ctx.reset();
        const int uses = m_guard->uses();
        m_guard.reset();
        m_t.reset();
        QCOMPARE(uses, 0);
    }

    void showsStatusProgressStepsAndOutput()
    {
        auto page = openPage();
        auto ok = start(recipe(QStringLiteral("test.good"),
                               {sleepy("alpha"), sleepy("beta"), sleepy("gamma")}));
        QVERIFY(ok);
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(page.get(), ok.value()) >= 0, 5000);
        page->view()->selectRow(rowOf(page.get(), ok.value()));
        QCOMPARE(page->detail()->operationId(), ok.value());
        QTRY_COMPARE_WITH_TIMEOUT(cell(page.get(), ok.value(), OperationTableModel::Status),
                                  QStringLiteral("completed"), 5000);
        const int r = rowOf(page.get(), ok.value());
        QCOMPARE(page->view()
                     ->model()
                     ->index(r, OperationTableModel::Progress)
                     .data(OperationTableModel::SortRole)
                     .toDouble(),
                 1.0);
        QTRY_COMPARE_WITH_TIMEOUT(page->detail()->steps()->rowCount(), 3, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(page->detail()->steps()->item(2, 1)->text(),
                                  QStringLiteral("completed"), 3000);
        QCOMPARE(page->detail()->steps()->item(0, 0)->text(), QStringLiteral("alpha"));
        QTRY_VERIFY_WITH_TIMEOUT(
            page->detail()->output()->toPlainText().contains(QStringLiteral("gamma: done")), 3000);
        QVERIFY(
            page->detail()->output()->toPlainText().contains(QStringLiteral("alpha: starting")));
        QVERIFY(
            !page->findChild<QPushButton*>(QStringLiteral("cancelOperationButton"))->isEnabled());

        auto bad = start(recipe(QStringLiteral("test.bad"), {sleepy("one"), sleepy("two", false)}));
        QVERIFY(bad);
        QTRY_COMPARE_WITH_TIMEOUT(cell(page.get(), bad.value(), OperationTableModel::Status),
                                  QStringLiteral("failed"), 5000);
        page->view()->selectRow(rowOf(page.get(), bad.value()));
        QTRY_COMPARE_WITH_TIMEOUT(page->detail()->steps()->rowCount(), 2, 3000);
        QTRY_COMPARE_WITH_TIMEOUT(page->detail()->steps()->item(1, 1)->text(),
                                  QStringLiteral("failed"), 3000);
        QVERIFY(page->detail()->steps()->item(1, 2)->text().contains(QStringLiteral("two broke")));

        page->setStatusFilter(QStringLiteral("failed"));
        QCOMPARE(page->view()->model()->rowCount(), 1);
        page->setStatusFilter(QString());
        QCOMPARE(page->view()->model()->rowCount(), 2);
    }

    void cancelStopsALongRunningOperation()
    {
        auto page = openPage();
        Step longStep{QStringLiteral("wait"), [](StepContext& c) {
                          for (int i = 0; i < 300 && !c.cancelled(); ++i) {
                              if (i % 10 == 0)
                                  c.log(QStringLiteral("tick %1").arg(i));
                              QThread::msleep(20);
                          }
                          return c.cancelled() ? StepOutcome::failure(QStringLiteral("cancelled"))
                                               : StepOutcome::success();
                      }};
        auto id = start(recipe(QStringLiteral("test.long"), {longStep}));
        QVERIFY(id);
        QTRY_COMPARE_WITH_TIMEOUT(cell(page.get(), id.value(), OperationTableModel::Status),
                                  QStringLiteral("running"), 5000);
        page->view()->selectRow(rowOf(page.get(), id.value()));
        auto* cancel = page->findChild<QPushButton*>(QStringLiteral("cancelOperationButton"));
        QTRY_VERIFY_WITH_TIMEOUT(cancel->isEnabled(), 3000);
        QTRY_VERIFY_WITH_TIMEOUT(
            page->detail()->output()->toPlainText().contains(QStringLiteral("tick")), 3000);
        cancel->click();
        QTRY_COMPARE_WITH_TIMEOUT(cell(page.get(), id.value(), OperationTableModel::Status),
                                  QStringLiteral("cancelled"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!cancel->isEnabled(), 3000);
    }

    void interruptedOperationsAreReported()
    {
        Operation op;
        op.type = QStringLiteral("vps.bootstrap");
        op.targetType = QStringLiteral("vps");
        op.status = OperationStatus::Running;
        Result<Id> id = Id(0);
        {
            Unguarded setup(m_t->core->store());
            id = OperationJournal(m_t->core->store()).insert(op);
            QVERIFY(id);
            // Owned by a process that no longer exists (a crashed console).
            QVERIFY(execSql(m_t->core->store().db(),
                            QStringLiteral("UPDATE operations SET owner = ? WHERE id = ?"),
                            QVariantList{
                                QString(QSysInfo::machineHostName() + QStringLiteral(":999999999")),
                                id.value()})
                        .ok());
        }
        m_runner.reset();
        m_ctx->setRunnerForTests(nullptr);
        FleetRuntime fleet(*m_t->core, *m_ctx);
        QSignalSpy found(&fleet, &FleetRuntime::interruptedFound);
        auto page = openPage();
        fleet.recoverInterrupted();
        QTRY_COMPARE_WITH_TIMEOUT(found.size(), 1, 15000);
        QCOMPARE(found.at(0).at(0).value<QVector<Id>>(), QVector<Id>{id.value()});
        QVERIFY(found.at(0).at(1).toString().contains(
            QStringLiteral("interrupted by the last shutdown")));
        page->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(cell(page.get(), id.value(), OperationTableModel::Status),
                                  QStringLiteral("interrupted"), 5000);
        page->view()->selectRow(rowOf(page.get(), id.value()));
        QVERIFY(page->findChild<QPushButton*>(QStringLiteral("retryOperationButton"))->isEnabled());
        page.reset();
    }

    // Retry on a failed 3-host sweep, pressed before the detail pane has its
    // step rows, checks exactly the failed hosts: never the whole fleet.
    void retryOfAFailedSweepChecksOnlyItsFailedHosts()
    {
        QVector<Id> vps;
        for (int i = 0; i < 5; ++i) // all active; port 1 refuses at once
            vps << m_t->addVps(QStringLiteral("h%1").arg(i), QStringLiteral("127.0.0.1"));
        Result<Id> id = Id(0);
        {
            Unguarded setup(m_t->core->store());
            QVERIFY(
                execSql(m_t->core->store().db(),
                        QStringLiteral("UPDATE vps_servers SET ssh_port = 1, status = 'active'"))
                    .ok());
            OperationJournal journal(m_t->core->store());
            Operation op;
            op.type = optype::kSweep;
            op.targetType = QStringLiteral("fleet");
            op.status = OperationStatus::Failed;
            op.inputJson = QStringLiteral(R"({"vps_ids":[%1,%2,%3],"parallel":3})")
                               .arg(vps[0])
                               .arg(vps[1])
                               .arg(vps[2]);
            id = journal.insert(op);
            QVERIFY(id);
            const OperationStatus stepStatus[] = {OperationStatus::Completed,
                                                  OperationStatus::Failed, OperationStatus::Failed};
            for (int i = 0; i < 3; ++i) {
                Operation step = op;
                step.type = op.type + QStringLiteral("/health h%1").arg(i);
                step.status = stepStatus[i];
                step.priority = i;
                QVERIFY(journal.insert(step, id.value()));
            }
        }
        m_runner.reset();
        m_ctx->setRunnerForTests(nullptr);
        FleetRuntime fleet(*m_t->core, *m_ctx);
        auto page = openPage();
        page->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(page.get(), id.value()) >= 0, 5000);
        page->view()->selectRow(rowOf(page.get(), id.value()));
        auto* retry = page->findChild<QPushButton*>(QStringLiteral("retryOperationButton"));
        QVERIFY(retry->isEnabled());
        QVERIFY(page->detail()->stepRows().isEmpty()); // not loaded yet
        retry->click();
        Operation again;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                Unguarded check(m_t->core->store());
                auto recent = OperationJournal(m_t->core->store()).recent(10);
                for (const Operation& o : recent.value())
                    if (o.id != id.value() && o.type == optype::kSweep) {
                        again = o;
                        return true;
                    }
                return false;
            }(),
            5000);
        QCOMPARE(
            again.inputJson.contains(QStringLiteral("\"vps_ids\":[%1,%2]").arg(vps[1]).arg(vps[2])),
            true);
        QVERIFY2(fleet.runner().waitForFinished(again.id, 20000), "retry did not finish");
        page.reset();
    }
};

QTEST_MAIN(TestOperationsPage)
#include "tst_operationspage.moc"
