#pragma once

#include <QByteArray>

#include <functional>

namespace chom {

// Splits a byte stream into lines as chunks arrive. Each byte is searched for
// a newline once: the scan resumes where the previous chunk's scan ended, so
// a long line without newlines costs linear time, not quadratic.
class LineSplitter
{
public:
    using LineSink = std::function<void(const QByteArray& line)>;

    // Appends a chunk and hands every completed line (without '\n') to sink.
    void feed(const char* data, qsizetype size, const LineSink& sink);
    // Hands the unterminated tail, if any, to sink and clears it.
    void flush(const LineSink& sink);

    qsizetype pendingBytes() const { return m_buffer.size(); }
    // Bytes examined by the newline search so far (for the linearity test).
    qint64 scannedBytes() const { return m_scanned; }

private:
    QByteArray m_buffer;
    qint64 m_scanned = 0;
};

} // namespace chom
