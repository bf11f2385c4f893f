#include "TlsProbe.h"

#include "TlsCertificateFacts.h"

#include <QPointer>
#include <QSslSocket>
#include <QTimer>

#include <algorithm>

namespace chom {
namespace {

QString addressOf(const TlsTarget& t)
{
    const QString host =
        t.host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(t.host) : t.host;
    return QStringLiteral("%1:%2").arg(host).arg(t.port);
}

ServedCertificate failure(ServedCertificate r, const QString& code, const QString& message)
{
    r.reachable = false;
    r.errorCode = code;
    r.error = message;
    return r;
}

} // namespace

TlsProbe::TlsProbe(QObject* parent) : TlsProbe(Options{}, parent) {}

TlsProbe::TlsProbe(Options options, QObject* parent) : QObject(parent)
{
    setOptions(options);
}

TlsProbe::~TlsProbe()
{
    // No callback and no signal from here on: drop the batches first, then
    // close the sockets with their connections to us already cut.
    m_batches.clear();
    m_queue.clear();
    const QList<QSslSocket*> sockets = m_flights.keys();
    for (QSslSocket* s : sockets) {
        s->disconnect(this);
        s->abort();
        delete s;
    }
    m_flights.clear();
}

void TlsProbe::setOptions(const Options& options)
{
    m_options = options;
    m_options.concurrency = std::max(1, options.concurrency);
    m_options.timeoutMs = std::max(1, options.timeoutMs);
    schedulePump();
}

QSslConfiguration TlsProbe::configFor(const Options& options) const
{
    QSslConfiguration c = QSslConfiguration::defaultConfiguration();
    // QueryPeer: the handshake verifies the chain and collects the errors
    // (our `trusted`) but never aborts on them, so that the certificate of a
    // self-signed, expired or misnamed site is still read. Setting a CA list
    // also stops the on-demand loading of the system's CAs.
    c.setPeerVerifyMode(QSslSocket::QueryPeer);
    if (!options.caCertificates.isEmpty())
        c.setCaCertificates(options.caCertificates);
    return c;
}

quint64 TlsProbe::probe(const QVector<TlsTarget>& targets, Done done)
{
    const quint64 id = m_nextId++;
    Batch& b = m_batches[id];
    b.targets = targets;
    b.done = std::move(done);
    b.config = configFor(m_options);
    b.timeoutMs = m_options.timeoutMs;
    b.remaining = int(targets.size());
    b.results.resize(targets.size());
    for (int i = 0; i < targets.size(); ++i) {
        b.results[i].domain = targets.at(i).domain;
        b.results[i].address = addressOf(targets.at(i));
        m_queue.emplace_back(id, i);
    }
    // Sockets start from the event loop, so that `done` (and a failure
    // reported while connecting) never runs inside this call.
    schedulePump();
    return id;
}

void TlsProbe::cancel(quint64 id)
{
    if (m_batches.erase(id) == 0)
        return;
    m_queue.erase(std::remove_if(m_queue.begin(), m_queue.end(),
                                 [id](const auto& q) { return q.first == id; }),
                  m_queue.end());
    const QList<QSslSocket*> sockets = m_flights.keys();
    for (QSslSocket* s : sockets)
        if (m_flights.value(s).batch == id)
            close(s);
    schedulePump(); // the freed slots go to the other batches
}

void TlsProbe::schedulePump()
{
    if (m_pumpQueued)
        return;
    m_pumpQueued = true;
    QMetaObject::invokeMethod(this, &TlsProbe::pump, Qt::QueuedConnection);
}

void TlsProbe::pump()
{
    m_pumpQueued = false;
    while (m_flights.size() < m_options.concurrency && !m_queue.empty()) {
        const auto [batch, index] = m_queue.front();
        m_queue.pop_front();
        if (m_batches.count(batch))
            start(batch, index);
    }
    completeFinished();
}

// Callbacks last, one at a time: a callback may start or cancel batches, or
// destroy the probe.
void TlsProbe::completeFinished()
{
    QPointer<TlsProbe> self(this);
    for (auto it = m_batches.begin(); it != m_batches.end();) {
        if (it->second.remaining > 0) {
            ++it;
            continue;
        }
        Batch b = std::move(it->second);
        m_batches.erase(it);
        if (b.done)
            b.done(b.results);
        if (!self)
            return;
        it = m_batches.begin();
    }
}

void TlsProbe::start(quint64 batchId, int index)
{
    const Batch& b = m_batches.at(batchId);
    const TlsTarget& t = b.targets.at(index);
    auto* s = new QSslSocket(this);
    s->setSslConfiguration(b.config);
    Flight f;
    f.batch = batchId;
    f.index = index;
    f.timer = new QTimer(s);
    f.timer->setSingleShot(true);
    f.timer->setTimerType(Qt::PreciseTimer); // a coarse one may fire 5% early
    f.clock.start();
    connect(f.timer, &QTimer::timeout, this, [this, s] { onTimeout(s); });
    connect(s, &QSslSocket::encrypted, this, [this, s] { onEncrypted(s); });
    connect(s, &QAbstractSocket::errorOccurred, this,
            [this, s](QAbstractSocket::SocketError e) { onError(s, e); });
    f.timer->start(b.timeoutMs);
    m_flights.insert(s, f);
    Q_EMIT openSocketsChanged(openSockets());
    // SNI and the name checked are the site's domain, not the host.
    // Nothing may follow: a failure can be reported (and the socket closed)
    // inside this call.
    s->connectToHostEncrypted(t.host, t.port, t.domain);
}

ServedCertificate TlsProbe::blank(const Flight& f) const
{
    ServedCertificate r = m_batches.at(f.batch).results.at(f.index);
    r.durationMs = f.clock.elapsed();
    return r;
}

void TlsProbe::onEncrypted(QSslSocket* s)
{
    if (!m_flights.contains(s))
        return;
    const Flight f = m_flights.value(s);
    ServedCertificate r = blank(f);
    const QList<QSslCertificate> chain = s->peerCertificateChain();
    if (chain.isEmpty() || chain.constFirst().isNull()) {
        finish(s, failure(r, QStringLiteral("NO_CERTIFICATE"),
                          QStringLiteral("%1 completed the TLS handshake without a certificate")
                              .arg(r.address)));
        return;
    }
    readServedCertificate(r, chain, s->sslHandshakeErrors());
    r.reachable = true;
    finish(s, r);
}

void TlsProbe::onError(QSslSocket* s, int error)
{
    if (!m_flights.contains(s))
        return;
    const ServedCertificate r = blank(m_flights.value(s));
    const QString& at = r.address;
    switch (QAbstractSocket::SocketError(error)) {
    case QAbstractSocket::ConnectionRefusedError:
        finish(s, failure(r, QStringLiteral("CONNECT_REFUSED"),
                          QStringLiteral("%1 refused the connection").arg(at)));
        return;
    case QAbstractSocket::HostNotFoundError:
        finish(s, failure(r, QStringLiteral("HOST_NOT_FOUND"),
                          QStringLiteral("host of %1 not found: %2").arg(at, s->errorString())));
        return;
    case QAbstractSocket::SocketTimeoutError:
        onTimeout(s);
        return;
    case QAbstractSocket::RemoteHostClosedError:
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        finish(
            s,
            failure(r, QStringLiteral("HANDSHAKE_FAILED"),
                    QStringLiteral("TLS handshake with %1 failed: %2").arg(at, s->errorString())));
        return;
    default:
        finish(s, failure(r, QStringLiteral("CONNECT_FAILED"),
                          QStringLiteral("cannot connect to %1: %2").arg(at, s->errorString())));
    }
}

void TlsProbe::onTimeout(QSslSocket* s)
{
    if (!m_flights.contains(s))
        return;
    const ServedCertificate r = blank(m_flights.value(s));
    const int ms = m_batches.at(m_flights.value(s).batch).timeoutMs;
    const QString what = s->state() == QAbstractSocket::ConnectedState
                             ? QStringLiteral("no TLS handshake from %1 within %2 ms")
                             : QStringLiteral("no TCP connection to %1 within %2 ms");
    finish(s, failure(r, QStringLiteral("TIMEOUT"), what.arg(r.address).arg(ms)));
}

void TlsProbe::finish(QSslSocket* s, ServedCertificate result)
{
    const Flight f = m_flights.value(s);
    close(s);
    auto it = m_batches.find(f.batch);
    if (it != m_batches.end()) {
        it->second.results[f.index] = std::move(result);
        --it->second.remaining;
    }
    schedulePump();
}

void TlsProbe::close(QSslSocket* s)
{
    const Flight f = m_flights.take(s);
    f.timer->stop();
    f.timer->disconnect(this);
    s->disconnect(this);
    // abort(): the descriptor closes now, so the count of open sockets is
    // exact; a probe has nothing to say to the server after the handshake.
    s->abort();
    s->deleteLater(); // we may be inside one of its signals
    Q_EMIT openSocketsChanged(openSockets());
}

} // namespace chom
