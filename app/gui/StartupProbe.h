#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>

namespace chom {

class MainWindow;

// The --exit-after-first-paint benchmark hook: once the dashboard has
// painted real figures, prints "first_paint_ms=… rss_kb=…", after one idle
// second "idle_rss_kb=…", then opens Sites and prints "sites_loaded_ms=…
// sites_rss_kb=…" and "sites_idle_rss_kb=…" before quitting.
class StartupProbe : public QObject
{
    Q_OBJECT
public:
    static constexpr int kGiveUpMs = 10 * 60 * 1000; // demo generation of 1M sites included

    StartupProbe(MainWindow& window, const QString& screenshotDir, QObject* parent = nullptr);

private:
    void onFirstPaint();
    void finish();

    MainWindow& m_window;
    QString m_screenshotDir;
    QElapsedTimer m_sitesTimer;
};

} // namespace chom
