#include "StartupProbe.h"

#include "base/ProcessStats.h"
#include "ui/inventory/DashboardPage.h"
#include "ui/inventory/SitesPage.h"
#include "ui/shell/MainWindow.h"

#include <QCoreApplication>
#include <QDir>
#include <QPixmap>
#include <QTimer>

#include <cstdio>

namespace chom {

StartupProbe::StartupProbe(MainWindow& window, const QString& screenshotDir, QObject* parent)
    : QObject(parent), m_window(window), m_screenshotDir(screenshotDir)
{
    connect(window.dashboardPage(), &DashboardPage::firstPaintWithStats, this,
            &StartupProbe::onFirstPaint);
    // A benchmark must never hang: give up if figures never reach the screen.
    QTimer::singleShot(kGiveUpMs, this, [] {
        std::fprintf(stderr, "chom-console: the dashboard showed no figures within %d s\n",
                     kGiveUpMs / 1000);
        QCoreApplication::exit(3);
    });
}

void StartupProbe::onFirstPaint()
{
    const qint64 ms = processStats::msSinceProcessStart();
    std::printf("first_paint_ms=%lld rss_kb=%lld\n", static_cast<long long>(ms),
                static_cast<long long>(processStats::residentKb()));
    std::fflush(stdout);
    QTimer::singleShot(1000, this, &StartupProbe::finish);
}

void StartupProbe::finish()
{
    std::printf("idle_rss_kb=%lld\n", static_cast<long long>(processStats::residentKb()));
    std::fflush(stdout);
    if (!m_screenshotDir.isEmpty() && QDir().mkpath(m_screenshotDir))
        m_window.grab().save(QDir(m_screenshotDir).filePath(QStringLiteral("dashboard.png")));
    // Then the heaviest page: every site loaded into the Sites table.
    SitesPage* sites = m_window.sitesPage();
    connect(sites, &SitesPage::rowsLoaded, this, [this] {
        std::printf("sites_loaded_ms=%lld sites_rss_kb=%lld\n",
                    static_cast<long long>(m_sitesTimer.elapsed()),
                    static_cast<long long>(processStats::residentKb()));
        std::fflush(stdout);
        QTimer::singleShot(1000, this, [] {
            std::printf("sites_idle_rss_kb=%lld\n",
                        static_cast<long long>(processStats::residentKb()));
            std::fflush(stdout);
            QCoreApplication::quit();
        });
    });
    m_sitesTimer.start();
    m_window.showPage(1);
}

} // namespace chom
