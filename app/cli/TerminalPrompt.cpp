#include "TerminalPrompt.h"

#include <QFile>
#include <QFileInfo>

#include <cstdio>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace chom::cli {
namespace {

constexpr qint64 kMaxSecretBytes = 64 * 1024;

Error usage(const QString& message)
{
    return makeError(ErrorKind::Usage, QStringLiteral("usage"), message);
}

// One line from fd, without its line break; nullopt at end of input.
std::optional<QByteArray> readLine(int fd)
{
    QByteArray line;
    char c = 0;
    for (;;) {
        const ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return line.isEmpty() ? std::nullopt : std::optional<QByteArray>(line);
        if (c == '\n')
            return line;
        if (line.size() >= kMaxSecretBytes)
            return std::nullopt;
        line.append(c);
    }
}

// Echo off for the life of the object; restored even when reading fails.
class EchoOff
{
public:
    explicit EchoOff(int fd) : m_fd(fd)
    {
        m_ok = ::tcgetattr(fd, &m_saved) == 0;
        if (m_ok) {
            termios quiet = m_saved;
            quiet.c_lflag &= tcflag_t(~ECHO);
            quiet.c_lflag |= ECHONL;
            ::tcsetattr(fd, TCSAFLUSH, &quiet);
        }
    }
    ~EchoOff()
    {
        if (m_ok)
            ::tcsetattr(m_fd, TCSAFLUSH, &m_saved);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

private:
    int m_fd;
    bool m_ok = false;
    termios m_saved{};
};

} // namespace

std::optional<QString> askHidden(const QString& question)
{
    const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (tty < 0)
        return std::nullopt;
    const QByteArray q = question.toLocal8Bit();
    std::optional<QByteArray> line;
    if (::write(tty, q.constData(), size_t(q.size())) == q.size()) {
        EchoOff quiet(tty);
        line = readLine(tty);
    }
    ::close(tty);
    if (!line)
        return std::nullopt;
    return QString::fromUtf8(*line);
}

Result<QString> readSecretInput(const QString& question)
{
    if (::isatty(STDIN_FILENO)) {
        auto answer = askHidden(question);
        if (!answer)
            return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"),
                             QStringLiteral("no password given"));
        return *answer;
    }
    auto line = readLine(STDIN_FILENO);
    if (!line)
        return usage(QStringLiteral("expected the password as one line on stdin"));
    if (line->endsWith('\r'))
        line->chop(1);
    return QString::fromUtf8(*line);
}

Result<QString> readSecretFileLine(const QString& option, const QString& path)
{
    QFile f(path);
    if (!QFileInfo(path).isFile() || !f.open(QIODevice::ReadOnly))
        return usage(
            QStringLiteral("cannot read %1 %2: %3")
                .arg(option, path, f.exists() ? f.errorString() : QStringLiteral("no such file")));
    QByteArray data = f.read(kMaxSecretBytes + 1);
    if (data.size() > kMaxSecretBytes)
        return usage(QStringLiteral("%1 %2 is over 64 KiB").arg(option, path));
    while (data.endsWith('\n') || data.endsWith('\r'))
        data.chop(1);
    return QString::fromUtf8(data);
}

} // namespace chom::cli
