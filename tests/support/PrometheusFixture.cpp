#include "PrometheusFixture.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>

#ifndef CHOM_SOURCE_DIR
#error "CHOM_SOURCE_DIR must be defined (the source tree holding scripts/services/prometheus.sh)"
#endif

namespace chom::test {
namespace {

const QStringList kSecurityVars{
    QStringLiteral("PROMETHEUS_TLS_CERT"),        QStringLiteral("PROMETHEUS_TLS_KEY"),
    QStringLiteral("PROMETHEUS_TLS_CA"),          QStringLiteral("PROMETHEUS_BASIC_AUTH_USER"),
    QStringLiteral("PROMETHEUS_BASIC_AUTH_HASH"), QStringLiteral("PROMETHEUS_BASIC_AUTH_PASSWORD")};

// Runs a tool to completion; stdout in *out; false + *error on any failure.
bool runTool(const QString& program, const QStringList& args, const QByteArray& input,
             QByteArray* out, QString* error)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(program, args);
    if (!p.waitForStarted(5000)) {
        *error = QStringLiteral("%1 did not start: %2").arg(program, p.errorString());
        return false;
    }
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        p.kill();
        *error =
            QStringLiteral("%1 %2 failed: %3")
                .arg(program, args.value(0), QString::fromUtf8(p.readAllStandardError()).trimmed());
        return false;
    }
    if (out)
        *out = p.readAllStandardOutput();
    return true;
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

// A self-signed CA (EC P-256, 2 days) as DIR/NAME.crt + DIR/NAME.key.
bool makeCa(const QString& dir, const QString& name, QString* error)
{
    const QString cnf = dir + QLatin1Char('/') + name + QStringLiteral(".cnf");
    const QByteArray config = "[req]\ndistinguished_name = dn\nx509_extensions = v3_ca\n"
                              "prompt = no\n[dn]\nCN = CHOM test " +
                              name.toUtf8() +
                              "\n[v3_ca]\nbasicConstraints = critical,CA:TRUE\n"
                              "keyUsage = critical,keyCertSign,cRLSign\n"
                              "subjectKeyIdentifier = hash\n";
    if (!writeFile(cnf, config)) {
        *error = QStringLiteral("cannot write %1").arg(cnf);
        return false;
    }
    return runTool(QStringLiteral("openssl"),
                   {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                    QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                    QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-config"), cnf,
                    QStringLiteral("-keyout"), dir + QLatin1Char('/') + name + ".key",
                    QStringLiteral("-out"), dir + QLatin1Char('/') + name + ".crt"},
                   {}, nullptr, error);
}

// DIR/server.{crt,key} for IP 127.0.0.1, signed by DIR/ca.{crt,key}.
bool makeServerCert(const QString& dir, QString* error)
{
    const QString ext = dir + QStringLiteral("/server-ext.cnf");
    if (!writeFile(ext, "subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\n"
                        "keyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\n")) {
        *error = QStringLiteral("cannot write %1").arg(ext);
        return false;
    }
    const QString csr = dir + QStringLiteral("/server.csr");
    if (!runTool(QStringLiteral("openssl"),
                 {QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-newkey"),
                  QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                  QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                  QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                  QStringLiteral("-keyout"), dir + QStringLiteral("/server.key"),
                  QStringLiteral("-out"), csr},
                 {}, nullptr, error))
        return false;
    return runTool(QStringLiteral("openssl"),
                   {QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                    QStringLiteral("-CA"), dir + QStringLiteral("/ca.crt"),
                    QStringLiteral("-CAkey"), dir + QStringLiteral("/ca.key"),
                    QStringLiteral("-set_serial"), QStringLiteral("2"), QStringLiteral("-days"),
                    QStringLiteral("2"), QStringLiteral("-extfile"), ext, QStringLiteral("-out"),
                    dir + QStringLiteral("/server.crt")},
                   {}, nullptr, error);
}

} // namespace

PrometheusFixture::PrometheusFixture() = default;

PrometheusFixture::~PrometheusFixture()
{
    stop();
}

QString PrometheusFixture::scriptPath()
{
    return QStringLiteral(CHOM_SOURCE_DIR "/scripts/services/prometheus.sh");
}

QString PrometheusFixture::unavailableReason()
{
    if (!QFileInfo(QStringLiteral("/usr/bin/prometheus")).isExecutable())
        return QStringLiteral("/usr/bin/prometheus is missing (Debian package prometheus)");
    if (!QFileInfo(QStringLiteral("/usr/bin/prometheus-node-exporter")).isExecutable())
        return QStringLiteral("/usr/bin/prometheus-node-exporter is missing (Debian package "
                              "prometheus-node-exporter)");
    if (!QFileInfo::exists(scriptPath()))
        return QStringLiteral("%1 is missing").arg(scriptPath());
    return {};
}

QString PrometheusFixture::tlsUnavailableReason()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        return QStringLiteral("openssl is missing (Debian package openssl)");
    if (QStandardPaths::findExecutable(QStringLiteral("htpasswd")).isEmpty())
        return QStringLiteral("htpasswd is missing (Debian package apache2-utils)");
    return {};
}

bool PrometheusFixture::enableTls()
{
    m_error.clear();
    if (const QString why = tlsUnavailableReason(); !why.isEmpty()) {
        m_error = why;
        return false;
    }
    auto dir = std::make_unique<QTemporaryDir>();
    if (!dir->isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    if (!makeCa(dir->path(), QStringLiteral("ca"), &m_error) ||
        !makeServerCert(dir->path(), &m_error) ||
        !makeCa(dir->path(), QStringLiteral("foreign-ca"), &m_error))
        return false;
    m_tlsDir = std::move(dir);
    return true;
}

void PrometheusFixture::setBasicAuth(const QString& user, const QString& password)
{
    m_authUser = user;
    m_authPassword = password;
    m_authHash.clear();
}

QString PrometheusFixture::caFile() const
{
    return m_tlsDir ? m_tlsDir->filePath(QStringLiteral("ca.crt")) : QString();
}

QString PrometheusFixture::foreignCaFile() const
{
    return m_tlsDir ? m_tlsDir->filePath(QStringLiteral("foreign-ca.crt")) : QString();
}

// bcrypt (cost 10) by htpasswd; the password goes in on stdin (-i), not argv.
bool PrometheusFixture::hashPassword()
{
    if (m_authUser.isEmpty() || !m_authHash.isEmpty())
        return true;
    QByteArray out;
    if (!runTool(QStringLiteral("htpasswd"),
                 {QStringLiteral("-niBC"), QStringLiteral("10"), m_authUser},
                 m_authPassword.toUtf8(), &out, &m_error))
        return false;
    const QByteArray line = out.trimmed();
    m_authHash = QString::fromUtf8(line.mid(line.indexOf(':') + 1));
    return true;
}

void PrometheusFixture::addSecurityEnv(QProcessEnvironment& env) const
{
    for (const QString& name : kSecurityVars)
        env.remove(name);
    if (m_tlsDir) {
        env.insert(kSecurityVars[0], m_tlsDir->filePath(QStringLiteral("server.crt")));
        env.insert(kSecurityVars[1], m_tlsDir->filePath(QStringLiteral("server.key")));
        env.insert(kSecurityVars[2], caFile());
    }
    if (!m_authUser.isEmpty()) {
        env.insert(kSecurityVars[3], m_authUser);
        env.insert(kSecurityVars[4], m_authHash);
        env.insert(kSecurityVars[5], m_authPassword); // the readiness probe's only
    }
}

bool PrometheusFixture::available()
{
    return unavailableReason().isEmpty();
}

quint16 PrometheusFixture::freePort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost, 0))
        return 0;
    return s.serverPort();
}

QString PrometheusFixture::url() const
{
    return QStringLiteral("%1://127.0.0.1:%2")
        .arg(m_tlsDir ? QStringLiteral("https") : QStringLiteral("http"))
        .arg(m_promPort);
}

QString PrometheusFixture::dir() const
{
    return m_dir ? m_dir->path() : QString();
}

bool PrometheusFixture::runScript(const QStringList& args, QString* out, int timeoutMs)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    QStringList labels;
    for (auto it = m_labels.cbegin(); it != m_labels.cend(); ++it) {
        QString v = it.value();
        v.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('"'), QLatin1String("\\\""));
        labels << QStringLiteral("%1: \"%2\"").arg(it.key(), v);
    }
    env.insert(QStringLiteral("PROMETHEUS_TARGET_LABELS"), labels.join(QLatin1String(", ")));
    if (!m_rules.isEmpty() && m_dir) {
        const QString rules = m_dir->filePath(QStringLiteral("rules-in.yml"));
        QFile f(rules);
        if (f.open(QIODevice::WriteOnly))
            f.write(m_rules);
        env.insert(QStringLiteral("PROMETHEUS_RULES_FILE"), rules);
    }
    addSecurityEnv(env);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(QStringLiteral("/bin/bash"), QStringList{scriptPath()} + args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        m_error = QStringLiteral("prometheus.sh %1 timed out").arg(args.value(0));
        return false;
    }
    if (out)
        *out = QString::fromUtf8(p.readAllStandardOutput());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("prometheus.sh %1 failed (rc %2): %3")
                      .arg(args.value(0))
                      .arg(p.exitCode())
                      .arg(QString::fromUtf8(p.readAllStandardError()).trimmed());
        return false;
    }
    return true;
}

bool PrometheusFixture::start()
{
    stop();
    m_error.clear();
    if (!available()) {
        m_error = unavailableReason();
        return false;
    }
    if (!hashPassword())
        return false;
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        m_dir.reset();
        return false;
    }
    // Free ports can be taken between the probe and the bind: try a few.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const quint16 prom = freePort();
        quint16 node = freePort();
        while (node == prom)
            node = freePort();
        QString out;
        if (runScript({QStringLiteral("start"), m_dir->path(), QString::number(prom),
                       QString::number(node)},
                      &out, 90000)) {
            m_promPort = prom;
            m_nodePort = node;
            return true;
        }
    }
    m_dir.reset();
    return false;
}

void PrometheusFixture::stop()
{
    if (!m_dir)
        return;
    runScript({QStringLiteral("stop"), m_dir->path()}, nullptr, 20000);
    m_promPort = 0;
    m_nodePort = 0;
    m_dir.reset();
}

} // namespace chom::test
