#pragma once

// A loopback TCP proxy in front of one target host:port, for failure tests.
// It lives in the thread that creates it (the test's): requests are served
// while that thread runs its event loop (QTRY_*, QSignalSpy::wait, QEventLoop).
//
// Modes (per request, switchable at any time):
//   PassThrough  forward both ways, each client chunk delayed by latencyMs()
//   Http500      answer "500 Internal Server Error" itself (optionally with a
//                Prometheus error JSON body), never contacting the target
//   Reset        abort the client connection as soon as a request arrives
//   Hang         accept and read, never answer
//   Truncate     answer 200 with Content-Length larger than the bytes sent, close
//   Garble       valid HTTP 200 whose body is not JSON
// Only ever listens on and connects to loopback addresses.

#include <QHostAddress>
#include <QObject>
#include <QPointer>

class QTcpServer;
class QTcpSocket;

namespace chom::test {

class FaultProxy : public QObject
{
    Q_OBJECT
public:
    enum class Mode
    {
        PassThrough,
        Http500,
        Reset,
        Hang,
        Truncate,
        Garble
    };

    FaultProxy(const QString& targetHost, quint16 targetPort, QObject* parent = nullptr);
    ~FaultProxy() override;

    bool listen(quint16 port = 0); // 127.0.0.1, 0 = any free port
    quint16 port() const;
    QString url() const; // http://127.0.0.1:PORT

    void setMode(Mode mode) { m_mode = mode; }
    Mode mode() const { return m_mode; }
    void setLatencyMs(int ms) { m_latencyMs = ms; }
    int latencyMs() const { return m_latencyMs; }
    // Http500 with {"status":"error","errorType":..,"error":..} when set.
    void setPrometheusError(const QString& errorType, const QString& error);
    void clearPrometheusError();

    int requestCount() const { return m_requests; } // HTTP requests seen
    void resetCount() { m_requests = 0; }
    void closeAll(); // drop every open connection

private:
    struct Conn;
    void onNewConnection();
    void onClientData(Conn* c);
    void answer(Conn* c);
    void drop(Conn* c);

    QTcpServer* m_server = nullptr;
    QString m_targetHost;
    quint16 m_targetPort;
    Mode m_mode = Mode::PassThrough;
    int m_latencyMs = 0;
    QByteArray m_promErrorBody;
    int m_requests = 0;
    QList<Conn*> m_conns;
};

} // namespace chom::test
