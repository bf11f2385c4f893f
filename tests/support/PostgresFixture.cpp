#include "PostgresFixture.h"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#ifndef CHOM_SOURCE_DIR
#error "CHOM_SOURCE_DIR must be defined (the source tree holding scripts/services/postgres.sh)"
#endif

namespace chom::test {
namespace {

const QString kInitdb = QStringLiteral("/usr/lib/postgresql/15/bin/initdb");

// The value of the script's "postgresql URL" output line, empty if none.
QString urlFromOutput(const QString& out)
{
    const QStringList lines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString& line : lines) {
        if (line.startsWith(QLatin1String("postgresql ")))
            return line.mid(11).trimmed();
    }
    return {};
}

} // namespace

PostgresFixture::PostgresFixture() = default;

PostgresFixture::~PostgresFixture()
{
    stop();
}

QString PostgresFixture::scriptPath()
{
    return QStringLiteral(CHOM_SOURCE_DIR "/scripts/services/postgres.sh");
}

QString PostgresFixture::unavailableReason()
{
    if (!QFileInfo(kInitdb).isExecutable())
        return QStringLiteral("%1 is missing (Debian package postgresql)").arg(kInitdb);
    if (!QFileInfo::exists(scriptPath()))
        return QStringLiteral("%1 is missing").arg(scriptPath());
    return {};
}

bool PostgresFixture::available()
{
    return unavailableReason().isEmpty();
}

QString PostgresFixture::url() const
{
    return QStringLiteral("postgresql://chom@127.0.0.1:%1/chom").arg(m_port);
}

QString PostgresFixture::dir() const
{
    return m_dir ? m_dir->path() : QString();
}

bool PostgresFixture::runScript(const QStringList& args, QString* out, int timeoutMs,
                                const QByteArray& input)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::SeparateChannels);
    p.start(QStringLiteral("/bin/bash"), QStringList{scriptPath()} + args);
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        m_error = QStringLiteral("postgres.sh %1 timed out").arg(args.value(0));
        return false;
    }
    if (out)
        *out = QString::fromUtf8(p.readAllStandardOutput());
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("postgres.sh %1 failed (rc %2): %3")
                      .arg(args.value(0))
                      .arg(p.exitCode())
                      .arg(QString::fromUtf8(p.readAllStandardError()).trimmed());
        return false;
    }
    return true;
}

bool PostgresFixture::start()
{
    stop();
    m_error.clear();
    if (!available()) {
        m_error = unavailableReason();
        return false;
    }
    // The script's name pattern: a later start stops servers whose test crashed.
    m_dir =
        std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/chom-postgres-XXXXXX"));
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        m_dir.reset();
        return false;
    }
    // The script picks a free port; another process can take it before the
    // server binds it, so try a few times.
    for (int attempt = 0; attempt < 3; ++attempt) {
        QString out;
        if (!runScript({QStringLiteral("start"), m_dir->path()}, &out, 60000))
            continue;
        const QUrl url(urlFromOutput(out));
        if (url.port() > 0) {
            m_port = quint16(url.port());
            return true;
        }
        m_error = QStringLiteral("postgres.sh start printed no URL: %1").arg(out.trimmed());
        break;
    }
    const QString why = m_error;
    stop(); // a start that failed half-way may have left a server behind
    m_error = why;
    return false;
}

void PostgresFixture::stop()
{
    if (!m_dir)
        return;
    runScript({QStringLiteral("stop"), m_dir->path()}, nullptr, 30000);
    m_port = 0;
    m_dir.reset();
}

QString PostgresFixture::createDatabase(const QString& name)
{
    m_error.clear();
    if (!isRunning()) {
        m_error = QStringLiteral("the server is not running");
        return {};
    }
    QString out;
    if (!runScript({QStringLiteral("createdb"), m_dir->path(), name}, &out, 30000))
        return {};
    return urlFromOutput(out);
}

QString PostgresFixture::createPasswordRole(const QString& name, const QString& password)
{
    m_error.clear();
    if (!isRunning()) {
        m_error = QStringLiteral("the server is not running");
        return {};
    }
    QString out;
    if (!runScript({QStringLiteral("password-role"), m_dir->path(), name}, &out, 30000,
                   password.toUtf8() + '\n'))
        return {};
    return urlFromOutput(out);
}

} // namespace chom::test
