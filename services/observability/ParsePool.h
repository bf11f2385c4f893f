#pragma once

class QThreadPool;

namespace chom::metrics {

// Threads that parse big Prometheus bodies. They run below the GUI thread's
// priority (nice +10 on Linux, QThread::LowPriority elsewhere) so that a
// second's worth of 10k-point answers never keeps the event loop waiting
// for a core; on an idle machine they run at full speed all the same.
QThreadPool& parsePool();
void lowerParseThreadPriority(); // first thing in each task run on parsePool()

} // namespace chom::metrics
