#pragma once

// Runs the source tree's agent as a local process against a sandbox root
// (the site tests' stack), and reads its one envelope.

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace chom::test {

struct AgentReply
{
    int exitCode = -1; // -1: it did not finish within the timeout
    QJsonObject envelope;
    QByteArray raw;
    bool ok() const { return envelope.value(QLatin1String("ok")).toBool(); }
    QString code() const;
    QString message() const;
    QJsonObject data() const { return envelope.value(QLatin1String("data")).toObject(); }
    QString describe() const { return QString::fromUtf8(raw); }
};

// `fail`: a CHOM_AGENT_TEST_FAIL checkpoint ("site.create.vhost", ...).
AgentReply runAgent(const QString& root, const QStringList& args, const QString& fail = {});

// The same with the arguments on stdin (--args-stdin), as the console sends
// them: what a password needs.
AgentReply runAgentStdin(const QString& root, const QStringList& args, const QString& fail = {});
// Several agents at once (each its own process), every reply in order.
QVector<AgentReply> runAgents(const QString& root, const QVector<QStringList>& argsList);

QByteArray readFile(const QString& path);
// Replaces a file's content; false when it cannot be written.
bool writeFile(const QString& path, const QByteArray& content);

} // namespace chom::test
