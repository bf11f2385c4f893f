#include "fleet/AgentServe.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace chom::agent {

ServeCall::ServeCall(QString command, QStringList args)
    : m_command(std::move(command)), m_count(int(args.size()))
{
    for (const QString& a : args)
        m_values.append(a.toUtf8()).append('\0');
}

QByteArray ServeCall::serverCommand() const
{
    return QByteArrayLiteral("\"$CHOM_AGENT_ROOT\"/opt/chom-agent/bin/chom-agent serve");
}

QByteArray ServeCall::frame(quint64 id) const
{
    QByteArray f("{\"id\":");
    f.append(QByteArray::number(id)).append(",\"command\":\"").append(m_command.toLatin1());
    f.append("\",\"args\":").append(QByteArray::number(m_count)).append("}\n");
    return f.append(m_values);
}

QByteArray ServeCall::cancelFrame(quint64 id) const
{
    QByteArray f("{\"cancel\":");
    return f.append(QByteArray::number(id)).append("}\n");
}

std::optional<quint64> ServeCall::replyId(const QByteArray& line) const
{
    static const QByteArray lead("{\"id\":");
    if (!line.startsWith(lead))
        return std::nullopt;
    qsizetype end = lead.size();
    while (end < line.size() && end - lead.size() < 19 && line.at(end) >= '0' &&
           line.at(end) <= '9')
        ++end;
    if (end == lead.size() || end >= line.size() || line.at(end) != ',')
        return std::nullopt;
    bool ok = false;
    const quint64 id = line.mid(lead.size(), end - lead.size()).toULongLong(&ok);
    return ok ? std::optional<quint64>(id) : std::nullopt;
}

bool ServeCall::acceptsHello(const QByteArray& line) const
{
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    return o.value(QStringLiteral("ok")).toBool() &&
           o.value(QStringLiteral("command")).toString() == QLatin1String("serve") &&
           o.value(QStringLiteral("data")).toObject().value(QStringLiteral("protocol")).toInt() ==
               kServeProtocol;
}

bool servable(const QString& command)
{
    static const QStringList reads{
        QStringLiteral("version"), QStringLiteral("help"),      QStringLiteral("health"),
        QStringLiteral("stats"),   QStringLiteral("site:list"), QStringLiteral("site:info"),
        QStringLiteral("diag"),    QStringLiteral("args:echo"), QStringLiteral("site:probe"),
    };
    return reads.contains(command);
}

std::shared_ptr<const ServeRequest> serveCall(const QString& command, const QStringList& args)
{
    if (!servable(command))
        return nullptr;
    return std::make_shared<ServeCall>(command, args);
}

} // namespace chom::agent
