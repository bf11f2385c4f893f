#include "HostileHost.h"

#include <QFile>
#include <QSaveFile>

namespace chom::test {

HostileHost::HostileHost()
{
    m_fleet.setForceCommand(scriptPath());
}

QString HostileHost::scriptPath()
{
    return QStringLiteral(CHOM_SOURCE_DIR "/tests/support/hostile-host.sh");
}

bool HostileHost::start(int count, int firstOctet)
{
    return m_fleet.start(count, firstOctet);
}

bool HostileHost::writeFile(int hostIndex, const QString& name, const QByteArray& data)
{
    const auto hosts = m_fleet.hosts();
    if (hostIndex < 0 || hostIndex >= hosts.size())
        return false;
    const QString path = hosts[hostIndex].sandbox + QLatin1Char('/') + name;
    if (data.isEmpty())
        return !QFile::exists(path) || QFile::remove(path);
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        return false;
    if (!f.commit())
        return false;
    return QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup |
                                           QFile::ReadOther);
}

bool HostileHost::setMode(int hostIndex, const QString& mode)
{
    return writeFile(hostIndex, QStringLiteral("hostile-mode"),
                     mode.isEmpty() ? QByteArray() : mode.toUtf8() + '\n');
}

bool HostileHost::setReply(int hostIndex, const QByteArray& reply)
{
    return writeFile(hostIndex, QStringLiteral("hostile-reply"), reply);
}

QByteArray HostileHost::readFile(int hostIndex, const QString& name) const
{
    const auto hosts = m_fleet.hosts();
    if (hostIndex < 0 || hostIndex >= hosts.size())
        return {};
    QFile f(hosts[hostIndex].sandbox + QLatin1Char('/') + name);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray HostileHost::lastStdin(int hostIndex) const
{
    return readFile(hostIndex, QStringLiteral("hostile-stdin"));
}

QStringList HostileHost::commandsSeen(int hostIndex) const
{
    const QByteArray all = readFile(hostIndex, QStringLiteral("hostile-commands"));
    if (all.isEmpty())
        return {};
    QStringList out = QString::fromUtf8(all).split(QLatin1Char('\n'));
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

} // namespace chom::test
