#pragma once

#include "ServedCertificate.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QVector>

#include <deque>
#include <functional>
#include <map>

class QSslSocket;
class QTimer;

namespace chom {

// One server to ask: `domain` goes in the TLS handshake as SNI, `host` (a
// name or an address) and `port` are where to connect.
struct TlsTarget
{
    QString domain;
    QString host;
    quint16 port = 443;
};

// Opens a TLS handshake with each target and reports the certificate it
// serves for the target's name (ServedCertificate), including certificates
// that do not verify (self-signed, expired, for another name): the chain is
// checked against the CA set, never used to refuse the handshake. Runs on
// the thread it lives on, event-driven only (no threads, no nested event
// loops, no waiting calls); at most `concurrency` sockets are open at once,
// across all batches. Destroying the probe drops every batch without a
// callback. errorCode: CONNECT_REFUSED, HOST_NOT_FOUND, TIMEOUT (connect
// plus handshake over timeoutMs), HANDSHAKE_FAILED (not TLS, or the server
// broke it off), NO_CERTIFICATE, CONNECT_FAILED (any other socket error).
class TlsProbe : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int concurrency = 64;                  // sockets open at once (at least 1)
        int timeoutMs = 5000;                  // connect plus handshake, per target
        QList<QSslCertificate> caCertificates; // empty = the system's CAs
    };
    using Done = std::function<void(const QVector<ServedCertificate>&)>;

    explicit TlsProbe(QObject* parent = nullptr);
    explicit TlsProbe(Options options, QObject* parent = nullptr);
    ~TlsProbe() override;

    // Applies to batches started afterwards (the concurrency to all of them).
    void setOptions(const Options& options);
    const Options& options() const { return m_options; }

    // Probes every target; `done` runs exactly once, later (never inside
    // this call), with one result per target in target order, unless the
    // batch is cancelled or the probe destroyed first. Returns the batch id.
    quint64 probe(const QVector<TlsTarget>& targets, Done done);
    // Stops a batch: its sockets close now, its callback never runs.
    void cancel(quint64 id);

    int openSockets() const { return int(m_flights.size()); }

Q_SIGNALS:
    // The number of open sockets changed (after a socket opened or closed).
    void openSocketsChanged(int open);

private:
    struct Batch
    {
        QVector<TlsTarget> targets;
        QVector<ServedCertificate> results;
        Done done;
        QSslConfiguration config;
        int timeoutMs = 0;
        int remaining = 0;
    };
    struct Flight
    {
        quint64 batch = 0;
        int index = 0;
        QTimer* timer = nullptr;
        QElapsedTimer clock;
    };

    QSslConfiguration configFor(const Options& options) const;
    void schedulePump();
    void pump();
    void completeFinished();
    void start(quint64 batchId, int index);
    void onEncrypted(QSslSocket* socket);
    void onError(QSslSocket* socket, int error);
    void onTimeout(QSslSocket* socket);
    // Records the result of the socket's target and closes the socket.
    void finish(QSslSocket* socket, ServedCertificate result);
    void close(QSslSocket* socket);
    ServedCertificate blank(const Flight& f) const;

    Options m_options;
    quint64 m_nextId = 1;
    bool m_pumpQueued = false;
    std::map<quint64, Batch> m_batches;
    std::deque<std::pair<quint64, int>> m_queue; // targets not started yet, in order
    QHash<QSslSocket*, Flight> m_flights;
};

} // namespace chom
