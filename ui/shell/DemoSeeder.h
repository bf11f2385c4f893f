#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <memory>

namespace chom {

class AppContext;

// DemoData::fillIfEmpty on the store thread (queued before any
// page load, so pages see the finished fleet). A store that already holds
// data is left alone. Reports progress while generation runs.
class DemoSeeder : public QObject
{
    Q_OBJECT
public:
    explicit DemoSeeder(AppContext& ctx, QObject* parent = nullptr);
    void start(int siteCount);

Q_SIGNALS:
    void progress(const QString& message); // only while generating
    void finished(bool ok, const QString& message);

private:
    void poll();

    AppContext& m_ctx;
    int m_siteCount = 0;
    // Written by the store thread: 0 checking, 1 generating, 2 done.
    std::shared_ptr<std::atomic<int>> m_phase;
    QTimer m_poll;
    QElapsedTimer m_clock;
};

} // namespace chom
