#include "ConsoleSession.h"

#include "StartupProbe.h"
#include "inventory/Core.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/DemoSeeder.h"
#include "ui/shell/FleetRuntime.h"
#include "ui/shell/MainWindow.h"
#include "ui/widgets/NoticeBar.h"

namespace chom {

ConsoleSession::ConsoleSession(std::unique_ptr<Core> core, const QString& dataDir,
                               const GuiOptions& options)
    : m_core(std::move(core))
{
    m_ctx = std::make_unique<AppContext>(*m_core, dataDir);
    // One SSH pool, operation runner and fleet service for the whole GUI.
    m_fleet = std::make_unique<FleetRuntime>(*m_core, *m_ctx);
    // Queued before any page asks for data, so pages see the finished fleet.
    m_seeder = std::make_unique<DemoSeeder>(*m_ctx);
    if (options.demo)
        m_seeder->start(options.demoSites);
    m_window = std::make_unique<MainWindow>(*m_ctx);
    wireNotices();
    m_fleet->recoverInterrupted();
    if (options.exitAfterFirstPaint)
        m_probe = std::make_unique<StartupProbe>(*m_window, options.screenshotDir);
    m_window->show();
    // Another console or a chomctl on the same store: their writes reach the
    // pages and the dashboard within a poll (set up on the store thread,
    // queued behind the first page loads so the first paint does not wait).
    m_ctx->run<int>(
        m_ctx.get(),
        [](Core& c) {
            c.watchExternalChanges();
            return 0;
        },
        [](int) {});
}

ConsoleSession::~ConsoleSession()
{
    m_probe.reset();
    m_window.reset();
    m_seeder.reset();
    m_fleet.reset();
    m_ctx.reset();
    m_core.reset();
}

void ConsoleSession::wireNotices()
{
    MainWindow* window = m_window.get();
    QObject::connect(m_seeder.get(), &DemoSeeder::progress, window->notices(),
                     &NoticeBar::showBusy);
    QObject::connect(m_seeder.get(), &DemoSeeder::finished, window,
                     [window](bool ok, const QString& msg) {
                         window->notices()->clearBusy();
                         if (ok)
                             window->notices()->showInfo(msg);
                         else
                             window->notices()->showError(msg);
                         window->refreshTitle();
                     });
    QObject::connect(
        m_fleet.get(), &FleetRuntime::interruptedFound, window->notices(),
        [window](const QVector<Id>&, const QString& msg) { window->notices()->showInfo(msg); });
    QObject::connect(m_fleet.get(), &FleetRuntime::identityRestored, window->notices(),
                     [window](bool ok, const QString& msg) {
                         if (!ok)
                             window->notices()->showError(msg);
                     });
}

} // namespace chom
