#include "PrometheusFixture.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>

#ifndef CHOM_SOURCE_DIR
#error "CHOM_SOURCE_DIR must be defined (the source tree holding scripts/services/prometheus.sh)"
#endif

namespace chom::test {

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
    return QStringLiteral("http://127.0.0.1:%1").arg(m_promPort);
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
