#include "ssh/ShellQuote.h"

#include <QCoreApplication>

namespace chom::shell {

Result<QString> quote(const QString& value)
{
    if (value.contains(QChar(0)))
        return makeError(
            QStringLiteral("invalid_argument"),
            QCoreApplication::translate("chom::ShellQuote",
                                        "A value contains a NUL character and cannot be sent."));
    QString out;
    out.reserve(value.size() + 2);
    out += QLatin1Char('\'');
    for (QChar c : value) {
        if (c == QLatin1Char('\''))
            out += QStringLiteral("'\\''");
        else
            out += c;
    }
    out += QLatin1Char('\'');
    return out;
}

Result<QString> join(const QString& program, const QStringList& args)
{
    QString cmd = program; // a constant chosen by the console, never user input
    for (const QString& a : args) {
        auto q = quote(a);
        if (!q)
            return q.error();
        cmd += QLatin1Char(' ') + q.value();
    }
    return cmd;
}

} // namespace chom::shell
