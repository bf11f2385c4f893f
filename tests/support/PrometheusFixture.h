#pragma once

// Real Prometheus + node_exporter on loopback for tests, started by
// scripts/services/prometheus.sh in a fresh temporary directory on free
// ports, with a 1 s scrape interval. start() returns once up{job="node"} is 1
// (the first scrape, ~6 s after start). Tests QSKIP with unavailableReason()
// when the Debian packages prometheus / prometheus-node-exporter are missing.
//
// Optionally (before start()) HTTPS with a throwaway CA made by the openssl
// CLI (enableTls) and basic auth with a bcrypt hash made by htpasswd
// (setBasicAuth); both need tlsUnavailableReason() to be empty.

#include <QMap>
#include <QString>

#include <memory>

class QProcessEnvironment;
class QTemporaryDir;

namespace chom::test {

class PrometheusFixture
{
public:
    PrometheusFixture();
    ~PrometheusFixture(); // stop()
    PrometheusFixture(const PrometheusFixture&) = delete;
    PrometheusFixture& operator=(const PrometheusFixture&) = delete;

    // Before start(): labels on the node target (e.g. tenant_id) and a rules
    // file body (alerting rules for /api/v1/alerts tests).
    void setTargetLabels(const QMap<QString, QString>& labels) { m_labels = labels; }
    void setRulesYaml(const QByteArray& yaml) { m_rules = yaml; }
    // HTTPS: a fresh CA and a server certificate for IP 127.0.0.1 (plus an
    // unrelated second CA for negative tests) in their own temporary
    // directory. false + error() on failure. url() then says https.
    bool enableTls();
    // Basic auth on every Prometheus endpoint (hashed at start()).
    void setBasicAuth(const QString& user, const QString& password);
    bool tlsEnabled() const { return m_tlsDir != nullptr; }
    QString caFile() const;        // the CA that signed the server certificate
    QString foreignCaFile() const; // a CA that did not

    bool start(); // false + error() on failure (nothing left running)
    void stop();  // idempotent
    bool isRunning() const { return m_promPort != 0; }

    QString url() const; // http://127.0.0.1:PORT, https:// after enableTls()
    quint16 prometheusPort() const { return m_promPort; }
    quint16 nodeExporterPort() const { return m_nodePort; }
    QString dir() const;
    QString error() const { return m_error; }

    static bool available();
    static QString unavailableReason(); // empty when available()
    // Also empty only when openssl and htpasswd (apache2-utils) are there.
    static QString tlsUnavailableReason();
    static QString scriptPath();
    // A loopback port nothing listens on right now.
    static quint16 freePort();

private:
    bool runScript(const QStringList& args, QString* out, int timeoutMs);
    void addSecurityEnv(QProcessEnvironment& env) const;
    bool hashPassword();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QTemporaryDir> m_tlsDir; // outlives start()/stop()
    QString m_authUser;
    QString m_authPassword;
    QString m_authHash;
    QMap<QString, QString> m_labels;
    QByteArray m_rules;
    quint16 m_promPort = 0;
    quint16 m_nodePort = 0;
    QString m_error;
};

} // namespace chom::test
