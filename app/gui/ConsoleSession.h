#pragma once

#include "GuiOptions.h"

#include <QString>

#include <memory>

namespace chom {

class AppContext;
class Core;
class DemoSeeder;
class FleetRuntime;
class MainWindow;
class StartupProbe;

// The console once its store is open: the core, the GUI context, the fleet
// runtime, the demo seeder and the main window, shown. Members go in reverse:
// the window first, the core last (the runtime's teardown order in between).
class ConsoleSession
{
public:
    ConsoleSession(std::unique_ptr<Core> core, const QString& dataDir, const GuiOptions& options);
    ~ConsoleSession();
    ConsoleSession(const ConsoleSession&) = delete;
    ConsoleSession& operator=(const ConsoleSession&) = delete;

private:
    void wireNotices();

    std::unique_ptr<Core> m_core;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<FleetRuntime> m_fleet;
    std::unique_ptr<DemoSeeder> m_seeder;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<StartupProbe> m_probe;
};

} // namespace chom
