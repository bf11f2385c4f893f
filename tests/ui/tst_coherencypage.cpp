// The Coherency page over a report in the journal: the findings table
// (under QAbstractItemModelTester), the hosts that could not be checked,
// the re-render offered only for configs and asked first, and Check now
// saying why it cannot run without SSH.
#include "GuiTestUtil.h"
#include "TestStore.h"
#include "ops/OperationKind.h"
#include "store/OperationJournal.h"
#include "ui/shell/AppContext.h"
#include "ui/sites/CoherencyPage.h"

#include <QAbstractItemModelTester>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;

class TestCoherencyPage : public QObject
{
    Q_OBJECT
    std::unique_ptr<TempCore> m_t;
    std::unique_ptr<GuiThreadGuard> m_guard;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<CoherencyPage> m_page;

    void journalReport()
    {
        OperationJournal journal(m_t->core->store());
        Operation op;
        op.type = optype::kSitesCoherency;
        op.targetType = QStringLiteral("fleet");
        auto ids = journal.insertWithSteps(op, {QStringLiteral("web-7"), QStringLiteral("web-8")});
        QVERIFY(ids);
        const QJsonArray findings{
            toJson(CoherencyFinding{7, "web-7", 3, "a.example.test", "drifted_vhost",
                                    CoherencyFinding::Severity::Warning, "differs", "render"}),
            toJson(CoherencyFinding{7, "web-7", 0, "old.example.test", "orphan_database",
                                    CoherencyFinding::Severity::Warning, "kept", ""}),
            toJson(CoherencyFinding{7, "web-7", 4, "b.example.test", "missing_on_vps",
                                    CoherencyFinding::Severity::Error, "not there", ""})};
        const QJsonObject out{{"vps_id", 7}, {"findings", findings}};
        QVERIFY(journal.markFinished(ids.value().second.at(0), OperationStatus::Completed, {},
                                     QString::fromUtf8(QJsonDocument(out).toJson())));
        QVERIFY(journal.markFinished(ids.value().second.at(1), OperationStatus::Failed,
                                     QStringLiteral("ssh: connection refused"), {}));
        QVERIFY(journal.markFinished(ids.value().first, OperationStatus::Failed,
                                     QStringLiteral("1 host failed"), {}));
    }
    QTableView* view() { return m_page->findChild<QTableView*>(QStringLiteral("findingsView")); }
    QPushButton* button(const char* name)
    {
        return m_page->findChild<QPushButton*>(QString::fromLatin1(name));
    }

private Q_SLOTS:
    void init()
    {
        m_t = std::make_unique<TempCore>();
        journalReport();
        m_guard = std::make_unique<GuiThreadGuard>(m_t->core->store());
        m_ctx = std::make_unique<AppContext>(*m_t->core, m_t->path());
        m_page = std::make_unique<CoherencyPage>(*m_ctx);
        m_page->resize(1200, 700);
        m_page->show();
        QTRY_COMPARE(m_page->model()->rowCount(), 3);
    }
    void cleanup()
    {
        m_page.reset();
        m_ctx.reset();
        const int uses = m_guard ? m_guard->uses() : 0;
        m_guard.reset();
        m_t.reset();
        QCOMPARE(uses, 0);
    }

    void showsTheFindingsErrorsFirstAndTheHostsNotChecked()
    {
        QAbstractItemModelTester tester(m_page->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(view()->model()->index(0, CoherencyFindingModel::SiteColumn).data().toString(),
                 QStringLiteral("b.example.test")); // the error sorts first
        const QString summary =
            m_page->findChild<QLabel*>(QStringLiteral("coherencySummary"))->text();
        QVERIFY2(summary.contains(QLatin1String("1 host(s) checked, 3 finding(s)")) &&
                     summary.contains(QLatin1String("web-8: ssh: connection refused")),
                 qPrintable(summary));
        QSignalSpy reveal(m_page.get(), &Page::operationRequested);
        Q_EMIT view()->doubleClicked(view()->model()->index(0, 0));
        QCOMPARE(reveal.size(), 1);
        QCOMPARE(reveal.first().at(0).value<Id>(), m_page->report().operationId);
    }

    void reRenderIsOfferedOnlyForConfigsAndAskedFirst()
    {
        QPushButton* heal = button("healButton");
        QVERIFY(heal->isEnabled()); // nothing selected: every re-renderable finding
        const int orphan = [&] {
            for (int r = 0; r < view()->model()->rowCount(); ++r)
                if (view()->model()->index(r, CoherencyFindingModel::SiteColumn).data() ==
                    QStringLiteral("old.example.test"))
                    return r;
            return -1;
        }();
        view()->selectionModel()->select(view()->model()->index(orphan, 0),
                                         QItemSelectionModel::ClearAndSelect |
                                             QItemSelectionModel::Rows);
        QVERIFY(!heal->isEnabled()); // an orphan is for review only
        view()->selectionModel()->clearSelection();
        QVERIFY(heal->isEnabled());
        QSignalSpy notices(m_page.get(), &Page::notice);
        heal->click();
        auto* box =
            chom::test::openDialog<QMessageBox>(m_page.get(), QStringLiteral("healConfirm"));
        QVERIFY(box);
        QCOMPARE(box->detailedText(), QStringLiteral("a.example.test"));
        box->findChild<QPushButton*>(QStringLiteral("healAccept"))->click();
        QTRY_VERIFY(!notices.isEmpty());
        QVERIFY2(notices.last().at(0).toString().contains(QLatin1String("SSH operations")),
                 qPrintable(notices.last().at(0).toString()));
    }

    void checkNowSaysWhyItCannotRun()
    {
        QSignalSpy notices(m_page.get(), &Page::notice);
        button("checkButton")->click();
        QTRY_VERIFY(!notices.isEmpty());
        QCOMPARE(notices.last().at(1).value<Page::Notice>(), Page::Notice::Error);
        QVERIFY(button("checkButton")->isEnabled());
    }
};

QTEST_MAIN(TestCoherencyPage)
#include "tst_coherencypage.moc"
