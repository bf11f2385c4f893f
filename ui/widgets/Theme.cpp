#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QHash>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>
#include <QStyle>
#include <QStyleFactory>

namespace chom::theme {
namespace {

const char* const kStyleSheet = R"(
#sidebar { background: #18212f; border: none; color: #c9d1dc; outline: 0; padding-top: 4px; }
#sidebar::item { padding: 9px 16px; border-left: 3px solid transparent; }
#sidebar::item:hover { background: #222d3d; color: #ffffff; }
#sidebar::item:selected { background: #26344a; color: #ffffff; border-left: 3px solid #4f8cff; }
#brand { background: #18212f; color: #ffffff; }
#brandTitle { color: #ffffff; font-size: 15px; font-weight: 600; }
#brandSubtitle { color: #8b96a8; font-size: 11px; }
#pageStack, #pageStack > QWidget { background: #f4f6f9; }
#pageTitle { font-size: 20px; font-weight: 600; color: #141b26; }
#pageSubtitle { color: #5d6778; }
#card { background: #ffffff; border: 1px solid #e1e5ec; border-radius: 8px; }
#cardTitle { color: #5d6778; font-size: 12px; }
QLabel[cardValue="true"] { color: #141b26; font-size: 26px; font-weight: 600; }
#cardCaption { color: #8b96a8; font-size: 11px; }
#panelTitle { color: #141b26; font-weight: 600; }
#placeholderTitle { font-size: 16px; font-weight: 600; color: #141b26; }
#placeholderText { color: #5d6778; }
#noticeBar[kind="info"] { background: #e8f1ff; border-bottom: 1px solid #b9d2fb; }
#noticeBar[kind="error"] { background: #fdecea; border-bottom: 1px solid #f5c2bc; }
#noticeBar[kind="busy"] { background: #fff8e6; border-bottom: 1px solid #f3dc9c; }
#noticeText { color: #141b26; }
QStatusBar { background: #ffffff; border-top: 1px solid #e1e5ec; color: #5d6778; }
QStatusBar QLabel { color: #5d6778; padding: 2px 10px; }
QStatusBar::item { border: none; }
QLabel[role="fieldError"], #serviceError { color: #b42318; }
QLabel[role="fieldHint"] { color: #5d6778; }
#serviceError { background: #fdecea; border: 1px solid #f5c2bc; border-radius: 4px; padding: 6px; }
QTableView { background: #ffffff; alternate-background-color: #f8f9fb; border: 1px solid #e1e5ec;
             gridline-color: #eef0f4; selection-background-color: #dbe7ff; selection-color: #141b26; }
QHeaderView::section { background: #f4f6f9; color: #3b4556; border: none;
                       border-bottom: 1px solid #e1e5ec; border-right: 1px solid #eef0f4;
                       padding: 5px 6px; font-weight: 600; }
QPushButton[primary="true"] { background: #2f6fed; color: white; border: 1px solid #2a63d4;
                            border-radius: 4px; padding: 5px 14px; }
QPushButton[primary="true"]:hover { background: #2a63d4; }
QPushButton[primary="true"]:disabled { background: #9db8ef; border-color: #9db8ef; }
)";

void paintLogo(QPainter& p, int size)
{
    p.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;
    QPainterPath bg;
    bg.addRoundedRect(QRectF(0, 0, s, s), s * 0.22, s * 0.22);
    QLinearGradient g(0, 0, s, s);
    g.setColorAt(0, QColor(0x4f, 0x8c, 0xff));
    g.setColorAt(1, QColor(0x2a, 0x4f, 0xc4));
    p.fillPath(bg, g);
    // Three stacked "server" bars: a fleet at a glance.
    const qreal x = s * 0.2, w = s * 0.6, h = s * 0.14;
    for (int i = 0; i < 3; ++i) {
        const qreal y = s * 0.22 + i * s * 0.2;
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(255, 255, 255, i == 1 ? 255 : 215));
        p.drawRoundedRect(QRectF(x, y, w, h), h * 0.3, h * 0.3);
        p.setBrush(i == 2 ? QColor(0xf5, 0xa5, 0x24) : QColor(0x22, 0xc5, 0x5e));
        p.drawEllipse(QPointF(x + w - h * 0.6, y + h / 2), h * 0.22, h * 0.22);
    }
}

// Paints the logo at whatever size is asked for, when it is asked for:
// no pixmaps are rendered at startup that nobody shows.
class LogoEngine : public QIconEngine
{
public:
    void paint(QPainter* p, const QRect& rect, QIcon::Mode, QIcon::State) override
    {
        p->save();
        p->translate(rect.topLeft());
        paintLogo(*p, qMin(rect.width(), rect.height()));
        p->restore();
    }
    QIconEngine* clone() const override { return new LogoEngine; }
};

} // namespace

void apply(QApplication& app)
{
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette pal = app.style()->standardPalette();
    pal.setColor(QPalette::Window, QColor(0xf4, 0xf6, 0xf9));
    pal.setColor(QPalette::Base, Qt::white);
    pal.setColor(QPalette::AlternateBase, QColor(0xf8, 0xf9, 0xfb));
    pal.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xed));
    pal.setColor(QPalette::Button, QColor(0xfb, 0xfc, 0xfd));
    pal.setColor(QPalette::WindowText, QColor(0x14, 0x1b, 0x26));
    pal.setColor(QPalette::Text, QColor(0x14, 0x1b, 0x26));
    app.setPalette(pal);
    QFont f = app.font();
    if (f.pointSizeF() < 9.5)
        f.setPointSizeF(9.5);
    app.setFont(f);
    app.setStyleSheet(QString::fromLatin1(kStyleSheet));
    app.setWindowIcon(appIcon());
}

QIcon appIcon()
{
    static const QIcon icon(new LogoEngine);
    return icon;
}

QColor colorFor(const QString& state)
{
    static const QHash<QString, QColor> colors = {
        {QStringLiteral("active"), QColor(0x22, 0xa0, 0x5a)},
        {QStringLiteral("healthy"), QColor(0x22, 0xa0, 0x5a)},
        {QStringLiteral("completed"), QColor(0x22, 0xa0, 0x5a)},
        {QStringLiteral("creating"), QColor(0x2f, 0x6f, 0xed)},
        {QStringLiteral("provisioning"), QColor(0x2f, 0x6f, 0xed)},
        {QStringLiteral("running"), QColor(0x2f, 0x6f, 0xed)},
        {QStringLiteral("restoring"), QColor(0x7c, 0x4d, 0xdb)},
        {QStringLiteral("maintenance"), QColor(0x7c, 0x4d, 0xdb)},
        {QStringLiteral("degraded"), QColor(0xe0, 0x8e, 0x0b)},
        {QStringLiteral("deleting"), QColor(0xe0, 0x8e, 0x0b)},
        {QStringLiteral("orphaned"), QColor(0xc2, 0x6a, 0x0a)},
        {QStringLiteral("pending"), QColor(0xe0, 0x8e, 0x0b)},
        {QStringLiteral("failed"), QColor(0xd9, 0x36, 0x2b)},
        {QStringLiteral("unhealthy"), QColor(0xd9, 0x36, 0x2b)},
        {QStringLiteral("disabled"), QColor(0x8b, 0x96, 0xa8)},
        {QStringLiteral("unknown"), QColor(0x8b, 0x96, 0xa8)},
        {QStringLiteral("decommissioned"), QColor(0x5d, 0x67, 0x78)},
        {QStringLiteral("valid"), QColor(0x22, 0xa0, 0x5a)},
        {QStringLiteral("expiring"), QColor(0xe0, 0x8e, 0x0b)},
        {QStringLiteral("expired"), QColor(0xd9, 0x36, 0x2b)},
        {QStringLiteral("differs"), QColor(0xd9, 0x36, 0x2b)},
        {QStringLiteral("mismatch"), QColor(0xd9, 0x36, 0x2b)},
        {QStringLiteral("untrusted"), QColor(0xd9, 0x36, 0x2b)},
        {QStringLiteral("unreachable"), QColor(0x8b, 0x96, 0xa8)},
        {QStringLiteral("none"), QColor(0xc3, 0xc9, 0xd3)},
        {QStringLiteral("suspended"), QColor(0xe0, 0x8e, 0x0b)},
        {QStringLiteral("cancelled"), QColor(0x8b, 0x96, 0xa8)},
        {QStringLiteral("interrupted"), QColor(0xc2, 0x6a, 0x0a)},
    };
    return colors.value(state, QColor(0x8b, 0x96, 0xa8));
}

} // namespace chom::theme
