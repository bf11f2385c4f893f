#pragma once

#include <QByteArray>

#include <optional>

namespace chom {

// A request that a long-lived server on the host can answer on one channel
// of the pooled session, instead of a command of its own (see ServeChannel).
// The protocol is the server's: this describes how to start it, frame a
// request and read its replies, one line each, led by the request's id.
// Only requests that are safe to repeat use it: after a server crash the
// requests it held are sent again.
class ServeRequest
{
public:
    virtual ~ServeRequest() = default;

    // Constant program text that starts the server; requests with the same
    // text share one server per session.
    virtual QByteArray serverCommand() const = 0;
    // The request as it crosses the channel.
    virtual QByteArray frame(quint64 id) const = 0;
    // Asks the server to stop request `id` (the reply is then discarded).
    virtual QByteArray cancelFrame(quint64 id) const = 0;
    // The id leading a reply line (0 for the hello), or nothing when the
    // line is not a reply the protocol allows.
    virtual std::optional<quint64> replyId(const QByteArray& line) const = 0;
    // Whether the first line a server sent (id 0) shows a server this
    // client speaks with; anything else means: use the one-shot command.
    virtual bool acceptsHello(const QByteArray& line) const = 0;
};

} // namespace chom
