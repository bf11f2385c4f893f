#pragma once

// A test double, not a real service: a minimal HTTP/1.1 server on 127.0.0.1
// that tests configure to play the documented HTTP protocol of a service that
// Debian does not package (Grafana, Loki, Alertmanager), or to record what a
// client sends (headers, bodies). Project rule: such tests use "a faithful
// protocol double written in the tests, documented as such" - each test says
// which API (and which documented answers) its double stands for.
//
// It lives in the thread that creates it (the test's): requests are served
// while that thread runs its event loop (QTRY_*, QSignalSpy::wait, QEventLoop).
// One request per connection: every answer carries Content-Length and
// "Connection: close", then the connection is closed. A request body is read
// up to its Content-Length before the request is logged and answered.
//
// How a request is answered, first match wins:
//   hang mode        logged, never answered (the connection stays open)
//   a route          exact request target (path and query as sent), for one
//                    method or for any
//   the handler      std::function<Response(const Request&)>, when set
//   not found        404 "404 page not found\n" (Go's net/http answer), or
//                    whatever setNotFound() set
// Only ever listens on the loopback address.

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>

class QTcpServer;
class QTcpSocket;

namespace chom::test {

class HttpDouble : public QObject
{
    Q_OBJECT
public:
    using Headers = QList<QPair<QByteArray, QByteArray>>;

    struct Request
    {
        QByteArray method; // "GET"
        QByteArray target; // "/api/search?type=dash-db", as sent
        QByteArray path;   // "/api/search"
        QByteArray query;  // "type=dash-db" (without '?'), empty when none
        Headers headers;   // in order, names as sent
        QByteArray head;   // request line and header lines, without the final CRLFCRLF
        QByteArray body;   // Content-Length bytes

        QByteArray line() const { return method + ' ' + target; } // "GET /path?query"
        // First value of a header (name case-insensitive), empty when absent.
        QByteArray header(const QByteArray& name) const;
        bool hasHeader(const QByteArray& name) const;
    };

    struct Response
    {
        Response(int status = 200, QByteArray body = {},
                 QByteArray contentType = "application/json")
            : status(status), body(std::move(body)), contentType(std::move(contentType))
        {
        }
        int status;
        QByteArray body;
        QByteArray contentType; // empty: no Content-Type header
        Headers headers;        // extra headers
        int delayMs = 0;        // answer this much later
    };
    using Handler = std::function<Response(const Request&)>;

    explicit HttpDouble(QObject* parent = nullptr);
    ~HttpDouble() override;

    bool listen(quint16 port = 0); // 127.0.0.1, 0 = any free port
    quint16 port() const;
    QUrl url() const; // http://127.0.0.1:PORT

    // Canned answers by exact request target; replaces an earlier one.
    void setRoute(const QByteArray& target, const Response& response);
    void setRoute(const QByteArray& method, const QByteArray& target, const Response& response);
    void clearRoutes() { m_routes.clear(); }
    void setHandler(Handler handler) { m_handler = std::move(handler); }
    void setNotFound(const Response& response) { m_notFound = response; }
    void setHang(bool hang) { m_hang = hang; } // accept and read, never answer

    const QList<Request>& requests() const { return m_requests; }
    int requestCount() const { return int(m_requests.size()); }
    Request lastRequest() const { return m_requests.value(m_requests.size() - 1); }
    QList<QByteArray> requestLines() const; // Request::line() of each
    // Every value of that header (name case-insensitive) over all requests.
    QList<QByteArray> headerValues(const QByteArray& name) const;
    void clearRequests() { m_requests.clear(); }

    void closeAll(); // drop every open connection

private:
    void onNewConnection();
    void onData(QTcpSocket* s);
    Response answerFor(const Request& r) const;
    static void send(QTcpSocket* s, const Response& r);

    QTcpServer* m_server = nullptr;
    QHash<QByteArray, Response> m_routes; // "METHOD target" or "* target"
    Handler m_handler;
    Response m_notFound;
    bool m_hang = false;
    QList<Request> m_requests;
};

} // namespace chom::test
