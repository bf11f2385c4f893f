#include "GuiOptions.h"
#include "StartupProbe.h"
#include "base/AppIdentity.h"
#include "inventory/Core.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/DemoSeeder.h"
#include "ui/shell/FleetRuntime.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/NoticeBar.h"
#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QGuiApplication>
#include <QMessageBox>

#include <cstdio>
#include <memory>

using namespace chom;

namespace {

bool headless()
{
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// A store that cannot be opened is left exactly as it is; say why and stop.
int failToOpen(const QString& store, const QString& message)
{
    const QString text =
        QObject::tr("CHOM Console cannot open the store %1:\n%2").arg(store, message);
    std::fprintf(stderr, "chom-console: %s\n", qPrintable(text));
    const QString platform = QGuiApplication::platformName();
    if (platform != QLatin1String("offscreen") && platform != QLatin1String("minimal"))
        QMessageBox::critical(nullptr, QObject::tr("CHOM Console"), text);
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const GuiOptions opt = GuiOptions::parse(args);
    if (!opt.error.isEmpty()) {
        std::fprintf(stderr, "chom-console: %s\n\n%s", qPrintable(opt.error),
                     qPrintable(GuiOptions::usage()));
        return 2;
    }
    if (opt.help) {
        std::fputs(qPrintable(GuiOptions::usage()), stdout);
        return 0;
    }
    if (opt.version) {
        std::printf("chom-console %s\n", CHOM_VERSION);
        return 0;
    }
    // No display at all (CI, SSH, benchmarks): render offscreen instead of failing.
    if (headless() && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(consoleOrganization());
    QCoreApplication::setApplicationName(consoleApplication());
    QCoreApplication::setApplicationVersion(QStringLiteral(CHOM_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("CHOM Console"));
    theme::apply(app);

    const QString dir = resolveDataDir(opt.dataDir);
    const auto config = resolveStoreConfig(opt.storeUrl, dir);
    if (!config)
        return failToOpen(opt.storeUrl, config.error().message);
    auto opened = Core::open(config.value());
    if (!opened)
        return failToOpen(describeStore(config.value()), opened.error().message);
    std::unique_ptr<Core> core = std::move(opened).value();

    AppContext ctx(*core, dir);
    // One SSH pool, operation runner and fleet service for the whole GUI.
    FleetRuntime fleet(*core, ctx);
    // Queued before any page asks for data, so pages see the finished fleet.
    DemoSeeder seeder(ctx);
    if (opt.demo)
        seeder.start(opt.demoSites);

    MainWindow window(ctx);
    QObject::connect(&seeder, &DemoSeeder::progress, window.notices(), &NoticeBar::showBusy);
    QObject::connect(&seeder, &DemoSeeder::finished, &window,
                     [&window](bool ok, const QString& msg) {
                         window.notices()->clearBusy();
                         if (ok)
                             window.notices()->showInfo(msg);
                         else
                             window.notices()->showError(msg);
                         window.refreshTitle();
                     });
    QObject::connect(
        &fleet, &FleetRuntime::interruptedFound, window.notices(),
        [&window](const QVector<Id>&, const QString& msg) { window.notices()->showInfo(msg); });
    QObject::connect(&fleet, &FleetRuntime::identityRestored, window.notices(),
                     [&window](bool ok, const QString& msg) {
                         if (!ok)
                             window.notices()->showError(msg);
                     });
    fleet.recoverInterrupted();
    std::unique_ptr<StartupProbe> probe;
    if (opt.exitAfterFirstPaint)
        probe = std::make_unique<StartupProbe>(window, opt.screenshotDir);
    window.show();
    // Another console or a chomctl on the same store: their writes reach the
    // pages and the dashboard within a poll (set up on the store thread, queued behind the first
    // page loads so the first paint does not wait for it).
    ctx.run<int>(
        &ctx,
        [](Core& c) {
            c.watchExternalChanges();
            return 0;
        },
        [](int) {});
    return app.exec();
}
