#include "AgentProcess.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>

namespace chom::test {

namespace {
const QString kAgent = QStringLiteral(CHOM_SOURCE_DIR "/resources/agent/chom-agent");

QJsonObject errorObject(const QJsonObject& envelope)
{
    return envelope.value(QLatin1String("error")).toObject();
}
} // namespace

QString AgentReply::code() const
{
    return errorObject(envelope).value(QLatin1String("code")).toString();
}

QString AgentReply::message() const
{
    return errorObject(envelope).value(QLatin1String("message")).toString();
}

AgentReply runAgent(const QString& root, const QStringList& args, const QString& fail)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("CHOM_AGENT_ROOT"));
    if (!fail.isEmpty())
        env.insert(QStringLiteral("CHOM_AGENT_TEST_FAIL"), fail);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("bash"), QStringList{kAgent, QStringLiteral("--root"), root} + args);
    AgentReply r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitCode();
    r.raw = p.readAllStandardOutput();
    r.envelope = QJsonDocument::fromJson(r.raw).object();
    return r;
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& content)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) == content.size();
}

} // namespace chom::test
