#include "ssh/LineSplitter.h"

namespace chom {

void LineSplitter::feed(const char* data, qsizetype size, const LineSink& sink)
{
    qsizetype from = m_buffer.size(); // everything before was searched already
    m_buffer.append(data, size);
    qsizetype start = 0;
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', from);
        m_scanned += (nl < 0 ? m_buffer.size() : nl + 1) - from;
        if (nl < 0)
            break;
        if (sink)
            sink(m_buffer.mid(start, nl - start));
        start = from = nl + 1;
    }
    if (start > 0)
        m_buffer.remove(0, start); // once per chunk, not once per line
}

void LineSplitter::flush(const LineSink& sink)
{
    if (!m_buffer.isEmpty() && sink)
        sink(m_buffer);
    m_buffer.clear();
}

} // namespace chom
