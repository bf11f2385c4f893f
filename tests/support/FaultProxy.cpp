#include "FaultProxy.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace chom::test {

struct FaultProxy::Conn
{
    QPointer<QTcpSocket> client;
    QPointer<QTcpSocket> upstream;
    QByteArray pendingToUpstream; // until the upstream is connected
    QByteArray headerScan;        // to count requests ("\r\n\r\n")
    bool answered = false;
};

FaultProxy::FaultProxy(const QString& targetHost, quint16 targetPort, QObject* parent)
    : QObject(parent), m_targetHost(targetHost), m_targetPort(targetPort)
{
    Q_ASSERT(QHostAddress(targetHost).isLoopback());
}

FaultProxy::~FaultProxy()
{
    closeAll();
}

bool FaultProxy::listen(quint16 port)
{
    if (!m_server) {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
    }
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 FaultProxy::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QString FaultProxy::url() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(port());
}

void FaultProxy::setPrometheusError(const QString& errorType, const QString& error)
{
    m_promErrorBody = QJsonDocument(QJsonObject{{QStringLiteral("status"), QStringLiteral("error")},
                                                {QStringLiteral("errorType"), errorType},
                                                {QStringLiteral("error"), error}})
                          .toJson(QJsonDocument::Compact);
}

void FaultProxy::clearPrometheusError()
{
    m_promErrorBody.clear();
}

void FaultProxy::closeAll()
{
    const auto conns = m_conns;
    for (Conn* c : conns)
        drop(c);
}

void FaultProxy::drop(Conn* c)
{
    if (!m_conns.removeOne(c))
        return;
    if (c->client) {
        c->client->disconnect(this);
        c->client->abort();
        c->client->deleteLater();
    }
    if (c->upstream) {
        c->upstream->disconnect(this);
        c->upstream->abort();
        c->upstream->deleteLater();
    }
    delete c;
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket* s = m_server->nextPendingConnection()) {
        auto* c = new Conn;
        c->client = s;
        m_conns << c;
        connect(s, &QTcpSocket::readyRead, this, [this, c] { onClientData(c); });
        connect(s, &QTcpSocket::disconnected, this, [this, c] {
            // Let the latency timers flush what is queued, then close.
            QTimer::singleShot(m_latencyMs + 50, this, [this, c] { drop(c); });
        });
    }
}

void FaultProxy::onClientData(Conn* c)
{
    if (!c->client)
        return;
    const QByteArray data = c->client->readAll();
    c->headerScan += data;
    int requestsNow = 0;
    for (int at = c->headerScan.indexOf("\r\n\r\n"); at >= 0;
         at = c->headerScan.indexOf("\r\n\r\n")) {
        ++requestsNow;
        c->headerScan = c->headerScan.mid(at + 4);
    }
    m_requests += requestsNow;

    switch (m_mode) {
    case Mode::Hang:
        return;
    case Mode::Reset:
        if (requestsNow > 0)
            drop(c);
        return;
    case Mode::Http500:
    case Mode::Truncate:
    case Mode::Garble:
        if (requestsNow > 0 && !c->answered) {
            c->answered = true;
            QTimer::singleShot(m_latencyMs, this, [this, c] {
                if (m_conns.contains(c))
                    answer(c);
            });
        }
        return;
    case Mode::PassThrough:
        break;
    }

    if (!c->upstream) {
        auto* up = new QTcpSocket(this);
        c->upstream = up;
        connect(up, &QTcpSocket::connected, this, [c] {
            c->upstream->write(c->pendingToUpstream);
            c->pendingToUpstream.clear();
        });
        connect(up, &QTcpSocket::readyRead, this, [this, c] {
            const QByteArray back = c->upstream->readAll();
            if (c->client)
                c->client->write(back);
            Q_UNUSED(this);
        });
        connect(up, &QTcpSocket::disconnected, this, [this, c] {
            if (c->client)
                c->client->disconnectFromHost();
            Q_UNUSED(this);
        });
        up->connectToHost(m_targetHost, m_targetPort);
    }
    const auto forward = [this, c, data] {
        if (!m_conns.contains(c) || !c->upstream)
            return;
        if (c->upstream->state() == QAbstractSocket::ConnectedState)
            c->upstream->write(data);
        else
            c->pendingToUpstream += data;
    };
    if (m_latencyMs > 0)
        QTimer::singleShot(m_latencyMs, this, forward);
    else
        forward();
}

void FaultProxy::answer(Conn* c)
{
    QByteArray head;
    QByteArray body;
    qint64 declared = -1;
    if (m_mode == Mode::Http500) {
        body = m_promErrorBody.isEmpty() ? QByteArray("internal error\n") : m_promErrorBody;
        head = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: " +
               QByteArray(m_promErrorBody.isEmpty() ? "text/plain" : "application/json") + "\r\n";
    } else if (m_mode == Mode::Garble) {
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\x01\x02 "
               "garbled <html>";
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
    } else { // Truncate: promise 4096 bytes, send a few, close
        body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[";
        declared = 4096;
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n";
    }
    head += "Content-Length: " + QByteArray::number(declared >= 0 ? declared : body.size()) +
            "\r\nConnection: close\r\n\r\n";
    c->client->write(head + body);
    c->client->flush();
    c->client->disconnectFromHost();
}

} // namespace chom::test
