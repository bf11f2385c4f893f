#include "AgentProcess.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>

#include <memory>
#include <vector>

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

namespace {

AgentReply runWith(const QString& root, const QStringList& args, const QString& fail, bool onStdin)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("CHOM_AGENT_ROOT"));
    if (!fail.isEmpty())
        env.insert(QStringLiteral("CHOM_AGENT_TEST_FAIL"), fail);
    p.setProcessEnvironment(env);
    if (onStdin) {
        p.start(QStringLiteral("bash"), {kAgent, QStringLiteral("--root"), root,
                                         QStringLiteral("--args-stdin"), args.value(0)});
        QByteArray in = "chom-args " + QByteArray::number(args.size() - 1) + '\n';
        for (const QString& a : args.mid(1))
            in += a.toUtf8() + '\0';
        p.write(in);
        p.closeWriteChannel();
    } else {
        p.start(QStringLiteral("bash"), QStringList{kAgent, QStringLiteral("--root"), root} + args);
    }
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

} // namespace

AgentReply runAgent(const QString& root, const QStringList& args, const QString& fail)
{
    return runWith(root, args, fail, false);
}

AgentReply runAgentStdin(const QString& root, const QStringList& args, const QString& fail)
{
    return runWith(root, args, fail, true);
}

QVector<AgentReply> runAgents(const QString& root, const QVector<QStringList>& argsList)
{
    std::vector<std::unique_ptr<QProcess>> procs;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("CHOM_AGENT_ROOT"));
    for (const QStringList& args : argsList) {
        procs.push_back(std::make_unique<QProcess>());
        procs.back()->setProcessEnvironment(env);
        procs.back()->start(QStringLiteral("bash"),
                            QStringList{kAgent, QStringLiteral("--root"), root} + args);
    }
    QVector<AgentReply> out;
    for (auto& p : procs) {
        AgentReply r;
        if (p->waitForFinished(120000)) {
            r.exitCode = p->exitCode();
            r.raw = p->readAllStandardOutput();
            r.envelope = QJsonDocument::fromJson(r.raw).object();
        } else {
            p->kill();
            p->waitForFinished();
        }
        out << r;
    }
    return out;
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
