// Remote and user text is shown literally: an error or a host name holding
// markup ("<a href>", "<img>") is never rendered as rich text, in the notice
// bar, the connection results, the confirmation dialog, or any label of the
// pages (every QLabel comes from plainLabel()).
#include "GuiTestUtil.h"
#include "TestStore.h"
#include "fleet/FleetService.h"
#include "ui/fleet/ConnectionResultPanel.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/Confirm.h"
#include "ui/widgets/NoticeBar.h"

#include <QLabel>
#include <QMessageBox>
#include <QTimer>
#include <QtTest>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;

namespace {

const QString kHostile =
    QStringLiteral("<a href=\"https://evil.example/\">click</a><img src=\"x\"><b>bold</b>");

QLabel* labelShowing(QWidget* root, const QString& needle)
{
    for (QLabel* l : root->findChildren<QLabel*>()) {
        if (l->text().contains(needle))
            return l;
    }
    return nullptr;
}

} // namespace

class TestPlainText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noticeBarShowsMarkupLiterally()
    {
        NoticeBar bar;
        bar.show();
        bar.showError(kHostile);
        QLabel* l = labelShowing(&bar, kHostile);
        QVERIFY(l);
        QCOMPARE(l->textFormat(), Qt::PlainText);
    }

    void connectionResultShowsRemoteErrorLiterally()
    {
        TempCore t;
        GuiThreadGuard guard(t.core->store());
        AppContext ctx(*t.core, t.path());
        ConnectionResultPanel panel(ctx);
        panel.show();
        ConnectionTest r;
        r.vpsId = 1;
        r.category = QStringLiteral("error");
        r.message = kHostile;
        panel.showResult(r);
        QLabel* l = labelShowing(&panel, kHostile);
        QVERIFY(l);
        QCOMPARE(l->textFormat(), Qt::PlainText);
        QVERIFY(!l->openExternalLinks());
    }

    void confirmationShowsNamesLiterally()
    {
        QWidget parent;
        parent.show();
        confirmDestructive(&parent, QStringLiteral("Delete"), kHostile, QStringLiteral("Delete"),
                           [] {});
        auto* box = parent.findChild<QMessageBox*>(QStringLiteral("confirmDialog"));
        QVERIFY(box);
        QCOMPARE(box->textFormat(), Qt::PlainText);
        box->reject();
    }

    // Every label of the whole window is plain text.
    void everyLabelOfTheWindowIsPlainText()
    {
        TempCore t;
        GuiThreadGuard guard(t.core->store());
        AppContext ctx(*t.core, t.path());
        MainWindow window(ctx);
        window.show();
        QTest::qWait(200);
        const auto labels = window.findChildren<QLabel*>();
        QVERIFY(labels.size() > 10);
        for (QLabel* l : labels)
            QVERIFY2(l->textFormat() == Qt::PlainText,
                     qPrintable(l->objectName() + ": " + l->text()));
    }
};

QTEST_MAIN(TestPlainText)
#include "tst_plaintext.moc"
