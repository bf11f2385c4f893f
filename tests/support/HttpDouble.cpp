#include "HttpDouble.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace chom::test {

namespace {

constexpr char kBuffer[] = "chomHttpDoubleBuffer"; // socket properties
constexpr char kDone[] = "chomHttpDoubleDone";

QByteArray reason(int status)
{
    static const QHash<int, QByteArray> phrases{{200, "OK"},
                                                {204, "No Content"},
                                                {400, "Bad Request"},
                                                {401, "Unauthorized"},
                                                {403, "Forbidden"},
                                                {404, "Not Found"},
                                                {500, "Internal Server Error"},
                                                {502, "Bad Gateway"},
                                                {503, "Service Unavailable"}};
    return phrases.value(status, "Status");
}

} // namespace

QByteArray HttpDouble::Request::header(const QByteArray& name) const
{
    for (const auto& h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    return {};
}

bool HttpDouble::Request::hasHeader(const QByteArray& name) const
{
    for (const auto& h : headers)
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

HttpDouble::HttpDouble(QObject* parent)
    : QObject(parent), m_notFound(404, "404 page not found\n", "text/plain; charset=utf-8")
{
}

HttpDouble::~HttpDouble()
{
    closeAll();
}

bool HttpDouble::listen(quint16 port)
{
    if (!m_server) {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &HttpDouble::onNewConnection);
    }
    return m_server->listen(QHostAddress::LocalHost, port);
}

quint16 HttpDouble::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QUrl HttpDouble::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port()));
}

void HttpDouble::setRoute(const QByteArray& target, const Response& response)
{
    m_routes.insert("* " + target, response);
}

void HttpDouble::setRoute(const QByteArray& method, const QByteArray& target,
                          const Response& response)
{
    m_routes.insert(method + ' ' + target, response);
}

QList<QByteArray> HttpDouble::requestLines() const
{
    QList<QByteArray> out;
    for (const Request& r : m_requests)
        out << r.line();
    return out;
}

QList<QByteArray> HttpDouble::headerValues(const QByteArray& name) const
{
    QList<QByteArray> out;
    for (const Request& r : m_requests)
        for (const auto& h : r.headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                out << h.second;
    return out;
}

void HttpDouble::closeAll()
{
    const auto sockets = findChildren<QTcpSocket*>(Qt::FindDirectChildrenOnly);
    for (QTcpSocket* s : sockets) {
        s->disconnect(this);
        s->abort();
        s->deleteLater();
    }
}

void HttpDouble::onNewConnection()
{
    while (QTcpSocket* s = m_server->nextPendingConnection()) {
        s->setParent(this);
        connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
        connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
    }
}

void HttpDouble::onData(QTcpSocket* s)
{
    if (s->property(kDone).toBool()) {
        s->readAll(); // one request per connection; the answer closes it
        return;
    }
    const QByteArray buf = s->property(kBuffer).toByteArray() + s->readAll();
    s->setProperty(kBuffer, buf);
    const int end = int(buf.indexOf("\r\n\r\n"));
    if (end < 0)
        return;

    Request r;
    r.head = buf.left(end);
    QList<QByteArray> lines = r.head.split('\n');
    for (QByteArray& l : lines)
        if (l.endsWith('\r'))
            l.chop(1);
    const QList<QByteArray> first = lines.value(0).split(' ');
    r.method = first.value(0);
    r.target = first.value(1);
    const int q = int(r.target.indexOf('?'));
    r.path = q < 0 ? r.target : r.target.left(q);
    r.query = q < 0 ? QByteArray() : r.target.mid(q + 1);
    for (int i = 1; i < lines.size(); ++i) {
        const int colon = int(lines.at(i).indexOf(':'));
        if (colon > 0)
            r.headers.append(
                {lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed()});
    }
    const qsizetype length = r.header("Content-Length").toLongLong();
    if (buf.size() - (end + 4) < length)
        return; // the rest of the body is still on its way
    r.body = buf.mid(end + 4, length);

    s->setProperty(kDone, true);
    s->setProperty(kBuffer, QVariant());
    m_requests << r;
    if (m_hang)
        return;
    const Response answer = answerFor(r);
    if (answer.delayMs > 0)
        QTimer::singleShot(answer.delayMs, s, [s, answer] { send(s, answer); });
    else
        send(s, answer);
}

HttpDouble::Response HttpDouble::answerFor(const Request& r) const
{
    auto it = m_routes.constFind(r.method + ' ' + r.target);
    if (it == m_routes.constEnd())
        it = m_routes.constFind("* " + r.target);
    if (it != m_routes.constEnd())
        return it.value();
    return m_handler ? m_handler(r) : m_notFound;
}

void HttpDouble::send(QTcpSocket* s, const Response& r)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + ' ' + reason(r.status) + "\r\n";
    if (!r.contentType.isEmpty())
        out += "Content-Type: " + r.contentType + "\r\n";
    for (const auto& h : r.headers)
        out += h.first + ": " + h.second + "\r\n";
    out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n" + r.body;
    s->write(out);
    s->disconnectFromHost();
}

} // namespace chom::test
