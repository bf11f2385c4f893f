#pragma once

#include "base/Result.h"
#include "ssh/SshTypes.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace chom {

// What one agent invocation came to, classified once for every caller.
struct AgentReply
{
    enum class Kind
    {
        Ok,           // envelope with ok=true
        AgentError,   // envelope with ok=false: the agent's own code and message
        AgentMissing, // the program is not installed (exit 127 / "not found")
        AgentAborted, // exit != 0 and no envelope: raw output in the message
        Transport,    // SSH never ran it (see ssh.error); counted by the breaker
    };
    Kind kind = Kind::Transport;
    QString code;    // agent code (DIAG_NOT_ALLOWED…), agent_missing, agent_aborted or ssh kind
    QString message; // human sentence, the agent's own when it answered
    QString agentVersion;
    QString command;
    QJsonObject data;
    SshResult ssh;

    bool ok() const { return kind == Kind::Ok; }
    // The core error, kind set explicitly: transport when SSH never ran the
    // agent (the SSH kind decides), remote for anything the host answered.
    Error error() const;
};

namespace agent {

// Where the agent lives under $CHOM_AGENT_ROOT (empty on real servers).
QString relativePath();        // "/opt/chom-agent/bin/chom-agent"
QString relativeVersionPath(); // "/opt/chom-agent/VERSION"

// One agent call as it crosses the wire. The command line is constant
// program text (the program, --args-stdin when there are arguments, the
// command name), so the login shell never parses a value; the arguments
// travel on stdin as "chom-args N\n" followed by N NUL-terminated values.
struct AgentCall
{
    QString line;
    QByteArray input;
};
// invalid_argument for a command name that is not a plain word or an
// argument holding NUL.
Result<AgentCall> call(const QString& command, const QStringList& args = {});
// Constant command printing the agent root of the session's environment.
QString probeRootCommand();

// The FIRST complete JSON object on the last stdout line starting with '{'.
// Empty (isEmpty()) when no such object exists.
QJsonObject parseEnvelope(const QByteArray& out);
AgentReply classify(const SshResult& result);

// The agent shipped inside the core (Qt resource).
QByteArray bundledScript();
QString bundledVersion();
// -1, 0, 1 like strcmp over dotted numeric versions ("1.10.0" > "1.9.2").
int compareVersions(const QString& a, const QString& b);

} // namespace agent
} // namespace chom
