// The encrypted secrets file's master passphrase (file backend, no keychain):
// workers that need it at the same moment get ONE dialog between them, a
// wrong answer asks again (saying so), and a right one is kept for the rest
// of the session. The dialogs are answered here as an operator would.
#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "secrets/EncryptedFileSecretStore.h"
#include "secrets/SecretStore.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/FleetRuntime.h"

#include <QApplication>
#include <QFuture>
#include <QInputDialog>
#include <QThread>
#include <QTimer>
#include <QtConcurrent>
#include <QtTest>

using namespace chom;
using chom::test::TempCore;

class TestMasterPassphrase : public QObject
{
    Q_OBJECT

    static QInputDialog* openDialog()
    {
        for (QWidget* w : QApplication::topLevelWidgets())
            if (auto* d = qobject_cast<QInputDialog*>(w); d && d->isVisible())
                return d;
        return nullptr;
    }

    // A timer answers each dialog with the next of `answers`, noting its
    // label and the event-loop depth it ran at: the prompt is non-modal, so
    // no dialog may run an event loop of its own (a nested loop would
    // re-enter store results and change flushes).
    QStringList m_answers;
    QStringList m_labels;
    QList<int> m_loopLevels;
    QTimer m_operator;

    void answerOpenDialog()
    {
        QInputDialog* d = openDialog();
        if (!d || m_answers.isEmpty())
            return;
        m_labels << d->labelText();
        m_loopLevels << QThread::currentThread()->loopLevel();
        d->setTextValue(m_answers.takeFirst());
        d->accept();
    }

private Q_SLOTS:
    void oneDialogPerSession()
    {
        qputenv("CHOM_SECRETS_BACKEND", "file");
        FleetRuntime::setMasterPassphraseOverride({});
        TempCore t;
        {
            EncryptedFileSecretStore file(secretsFilePath(t.path()),
                                          [] { return QStringLiteral("right"); });
            QVERIFY(file.write(QStringLiteral("some-key"), "secret").ok());
        }
        chom::test::GuiThreadGuard guard(t.core->store());
        {
            AppContext ctx(*t.core, t.path());
            FleetRuntime fleet(*t.core, ctx); // as main() does: it knows the data dir
            const MasterPassphraseProvider ask = FleetRuntime::masterPassphraseProvider();

            connect(&m_operator, &QTimer::timeout, this, &TestMasterPassphrase::answerOpenDialog);
            m_operator.start(50);

            // Two workers at once: one dialog; the wrong answer is refused and asked again.
            m_answers = {QStringLiteral("wrong"), QStringLiteral("right"), QStringLiteral("extra")};
            QFuture<QString> a = QtConcurrent::run([ask] { return ask(); });
            QFuture<QString> b = QtConcurrent::run([ask] { return ask(); });
            QTRY_VERIFY_WITH_TIMEOUT(a.isFinished() && b.isFinished(), 20000);
            QCOMPARE(a.result(), QStringLiteral("right"));
            QCOMPARE(b.result(), QStringLiteral("right"));
            QTest::qWait(300);
            QCOMPARE(m_labels.size(), 2);               // no third dialog for the second worker
            QCOMPARE(m_loopLevels, (QList<int>{0, 0})); // answered from the test's own loop
            QVERIFY2(!m_labels.at(0).contains(QLatin1String("Wrong")), qPrintable(m_labels.at(0)));
            QVERIFY2(m_labels.at(1).contains(QLatin1String("Wrong passphrase")),
                     qPrintable(m_labels.at(1)));

            // Later loads reuse it: no dialog, and the store opens.
            QFuture<bool> later = QtConcurrent::run([ask, dir = t.path()] {
                auto store = openSecretStore(dir, ask);
                return store->read(QStringLiteral("some-key")).ok();
            });
            QTRY_VERIFY_WITH_TIMEOUT(later.isFinished(), 20000);
            QVERIFY(later.result());
            QCOMPARE(m_labels.size(), 2);
            m_operator.stop();
        }
        QCOMPARE(guard.uses(), 0);
    }
};

QTEST_MAIN(TestMasterPassphrase)
#include "tst_masterpassphrase.moc"
