#pragma once

#include "ssh/ServeRequest.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace chom::agent {

// `chom-agent serve` as a ServeRequest: a request line
// {"id":N,"command":"NAME","args":K} followed by K NUL-terminated values (the
// --args-stdin framing), replies led by "id", a hello with id 0 naming
// protocol 1 (resources/agent/README.md, "serve").
class ServeCall final : public ServeRequest
{
public:
    ServeCall(QString command, QStringList args);

    QByteArray serverCommand() const override;
    QByteArray frame(quint64 id) const override;
    QByteArray cancelFrame(quint64 id) const override;
    std::optional<quint64> replyId(const QByteArray& line) const override;
    bool acceptsHello(const QByteArray& line) const override;

private:
    QString m_command;
    QByteArray m_values; // the NUL-terminated values
    int m_count = 0;
};

// Whether `command` goes through serve: reads and other requests that are
// safe to send again after a server crash. Everything else runs one-shot.
bool servable(const QString& command);
// The serve form of a call, or null when it is not servable. `command` and
// `args` must already have passed agent::call().
std::shared_ptr<const ServeRequest> serveCall(const QString& command, const QStringList& args);

constexpr int kServeProtocol = 1;

} // namespace chom::agent
