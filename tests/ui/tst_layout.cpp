// Every page of the window at 1280×800, the smallest size the console
// supports: no visible button or label is narrower than it needs
// (sizeHint), and none sticks out of its parent.
#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/MainWindow.h"

#include <QAbstractButton>
#include <QLabel>
#include <QStackedWidget>
#include <QtTest>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;

namespace {

QString describe(const QWidget* w)
{
    QString text;
    if (auto* b = qobject_cast<const QAbstractButton*>(w))
        text = b->text();
    else if (auto* l = qobject_cast<const QLabel*>(w))
        text = l->text().left(60);
    return QStringLiteral("%1 %2 \"%3\" width %4 < %5 or outside %6")
        .arg(QString::fromLatin1(w->metaObject()->className()), w->objectName(), text)
        .arg(w->width())
        .arg(w->sizeHint().width())
        .arg(w->parentWidget() ? w->parentWidget()->objectName() : QString());
}

// Clipped: narrower than its hint (a wrapping label may wrap instead), or
// partly outside its parent.
bool clipped(const QWidget* w)
{
    if (!w->isVisible() || w->sizeHint().width() <= 0)
        return false;
    const auto* label = qobject_cast<const QLabel*>(w);
    if (label && (label->wordWrap() || label->text().isEmpty()))
        return false;
    if (w->width() < w->sizeHint().width())
        return true;
    const QWidget* p = w->parentWidget();
    return p && !p->rect().contains(w->geometry());
}

} // namespace

class TestLayout : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyPageFitsAt1280x800()
    {
        TempCore t;
        GuiThreadGuard guard(t.core->store());
        AppContext ctx(*t.core, t.path());
        MainWindow window(ctx);
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.size(), QSize(1280, 800)); // no minimum above the smallest size
        auto* stack = window.findChild<QStackedWidget*>();
        QVERIFY(stack);
        QStringList problems;
        for (int i = 0; i < stack->count(); ++i) {
            window.showPage(i);
            QTest::qWait(150);
            QWidget* page = stack->currentWidget();
            QVERIFY(page);
            QList<QWidget*> widgets;
            for (QAbstractButton* b : page->findChildren<QAbstractButton*>())
                widgets << b;
            for (QLabel* l : page->findChildren<QLabel*>())
                widgets << l;
            for (QWidget* w : widgets)
                if (clipped(w))
                    problems << QStringLiteral("page %1: %2").arg(i).arg(describe(w));
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

QTEST_MAIN(TestLayout)
#include "tst_layout.moc"
