#pragma once

#include "Domain.h"
#include "ServedSsl.h"
#include "sites/ServedCertificate.h"
#include "sites/TlsProbe.h"

#include <QHash>
#include <QObject>

namespace chom {

// The SSL column's probe: the certificate each site's server serves for its
// name, judged against the site's record (verdict()), probed at most once
// per `ttlSeconds` per site and never twice at the same time. Event-driven
// on its thread (TlsProbe); results arrive as served().
class ServedSslCheck : public QObject
{
    Q_OBJECT
public:
    struct Target
    {
        Site site;
        QString host; // the VPS's address
    };

    explicit ServedSslCheck(QObject* parent = nullptr);

    void setPort(quint16 port) { m_port = port; } // 443; tests use their own
    void setTtl(int seconds) { m_ttl = seconds; }
    TlsProbe& probe() { return m_probe; }

    // Probes the targets not checked within the TTL and not in flight.
    void check(const QVector<Target>& targets);

    // valid, expiring (a third of its lifetime left), expired, differs (not
    // the certificate the store records), mismatch (not for the site's
    // name), untrusted, unreachable.
    static ServedSsl verdict(const Site& site, const ServedCertificate& served, qint64 now);

Q_SIGNALS:
    void served(chom::Id siteId, const chom::ServedSsl& result);

private:
    TlsProbe m_probe;
    QHash<Id, qint64> m_checked; // site -> when its probe started
    quint16 m_port = 443;
    int m_ttl = 600;
};

} // namespace chom
