#include "fleet/AgentProtocol.h"

#include "ssh/ShellQuote.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

static void initAgentResource()
{
    Q_INIT_RESOURCE(chom_agent);
}

namespace chom {

Error AgentReply::error() const
{
    switch (kind) {
    case Kind::Transport: {
        Error e = toError(ssh);
        e.message = message.isEmpty() ? e.message : message;
        return e;
    }
    case Kind::Ok:
        return makeError(
            ErrorKind::Internal, QStringLiteral("internal"),
            QCoreApplication::translate("chom::AgentProtocol",
                                        "The agent call succeeded; there is no error."));
    default:
        return makeError(ErrorKind::Remote, code, message);
    }
}

} // namespace chom

namespace chom::agent {
namespace {

const char* const kProgram = "\"$CHOM_AGENT_ROOT\"/opt/chom-agent/bin/chom-agent";

QByteArray readResource(const QString& name)
{
    static const bool once = (initAgentResource(), true);
    Q_UNUSED(once);
    QFile f(QStringLiteral(":/chom-agent/") + name);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

QString rawExcerpt(const SshResult& r)
{
    QByteArray raw = r.out;
    if (!r.err.isEmpty())
        raw += (raw.isEmpty() ? QByteArray() : QByteArray("\n")) + r.err;
    raw = raw.trimmed();
    if (raw.isEmpty())
        return QStringLiteral("(no output)");
    return QString::fromUtf8(raw.left(300));
}

} // namespace

QString relativePath()
{
    return QStringLiteral("/opt/chom-agent/bin/chom-agent");
}
QString relativeVersionPath()
{
    return QStringLiteral("/opt/chom-agent/VERSION");
}

Result<AgentCall> call(const QString& command, const QStringList& args)
{
    static const QRegularExpression word(QStringLiteral("^[a-z][a-z0-9:_-]{0,63}$"));
    if (!word.match(command).hasMatch())
        return makeError(ErrorKind::Usage, QStringLiteral("invalid_argument"),
                         QStringLiteral("%1 is not an agent command name").arg(command.left(80)));
    AgentCall c;
    if (args.isEmpty()) {
        c.line = QString::fromLatin1(kProgram) + QLatin1Char(' ') + command;
        return c;
    }
    c.line = QString::fromLatin1(kProgram) + QStringLiteral(" --args-stdin ") + command;
    c.input = "chom-args " + QByteArray::number(args.size()) + '\n';
    for (const QString& a : args) {
        const QByteArray v = a.toUtf8();
        if (v.contains('\0'))
            return makeError(ErrorKind::Usage, QStringLiteral("invalid_argument"),
                             QStringLiteral("an argument holds a NUL byte, which cannot be sent"));
        c.input += v + '\0';
    }
    return c;
}

QString probeRootCommand()
{
    return QStringLiteral("printf %s \"$CHOM_AGENT_ROOT\"");
}

QJsonObject parseEnvelope(const QByteArray& out)
{
    const QList<QByteArray> lines = out.split('\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QByteArray line = it->trimmed();
        if (!line.startsWith('{'))
            continue;
        QJsonParseError e{};
        QJsonDocument doc = QJsonDocument::fromJson(line, &e);
        if (e.error == QJsonParseError::GarbageAtEnd)
            doc = QJsonDocument::fromJson(line.left(e.offset), &e);
        if (e.error != QJsonParseError::NoError || !doc.isObject())
            return {};
        return doc.object();
    }
    return {};
}

AgentReply classify(const SshResult& r)
{
    AgentReply a;
    a.ssh = r;
    if (r.error != SshErrorKind::None) {
        a.kind = AgentReply::Kind::Transport;
        a.code = toString(r.error);
        a.message = r.message;
        return a;
    }
    const QJsonObject env = parseEnvelope(r.out);
    if (!env.isEmpty() && env.contains(QStringLiteral("ok"))) {
        a.agentVersion = env.value(QStringLiteral("agent")).toString();
        a.command = env.value(QStringLiteral("command")).toString();
        if (env.value(QStringLiteral("ok")).toBool()) {
            a.kind = AgentReply::Kind::Ok;
            a.data = env.value(QStringLiteral("data")).toObject();
            return a;
        }
        const QJsonObject err = env.value(QStringLiteral("error")).toObject();
        a.kind = AgentReply::Kind::AgentError;
        a.code = err.value(QStringLiteral("code")).toString(QStringLiteral("AGENT_ERROR"));
        a.message = err.value(QStringLiteral("message")).toString();
        if (a.message.isEmpty())
            a.message = QStringLiteral("The agent reported %1 without a message.").arg(a.code);
        return a;
    }
    const QByteArray all = r.out + r.err;
    if (r.exitStatus == 127 || all.contains("not found") || all.contains("No such file")) {
        a.kind = AgentReply::Kind::AgentMissing;
        a.code = QStringLiteral("agent_missing");
        a.message = QStringLiteral("The CHOM agent is not installed on this host; run bootstrap.");
        return a;
    }
    a.kind = AgentReply::Kind::AgentAborted;
    a.code = QStringLiteral("agent_aborted");
    a.message = QStringLiteral("The agent stopped without an answer (exit %1): %2")
                    .arg(r.exitStatus)
                    .arg(rawExcerpt(r));
    return a;
}

QByteArray bundledScript()
{
    return readResource(QStringLiteral("chom-agent"));
}

QString bundledVersion()
{
    return QString::fromUtf8(readResource(QStringLiteral("VERSION"))).trimmed();
}

int compareVersions(const QString& a, const QString& b)
{
    const QStringList x = a.split(QLatin1Char('.'));
    const QStringList y = b.split(QLatin1Char('.'));
    for (int i = 0; i < qMax(x.size(), y.size()); ++i) {
        const int l = x.value(i).toInt();
        const int r = y.value(i).toInt();
        if (l != r)
            return l < r ? -1 : 1;
    }
    return 0;
}

} // namespace chom::agent
