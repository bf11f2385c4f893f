#include "Args.h"

namespace chom::cli {

Error usageError(const QString& message)
{
    return makeError(QStringLiteral("usage"), message);
}

Result<Args> Args::parse(const QStringList& raw, const QStringList& valueOptions,
                         const QStringList& flags)
{
    Args a;
    bool optionsEnded = false;
    for (int i = 0; i < raw.size(); ++i) {
        const QString& arg = raw.at(i);
        if (optionsEnded || !arg.startsWith(QLatin1String("--")) || arg == QLatin1String("-")) {
            if (!optionsEnded && arg.startsWith(QLatin1Char('-')) && arg.size() > 1)
                return usageError(QStringLiteral("unknown option \"%1\"").arg(arg));
            a.m_positionals << arg;
            continue;
        }
        if (arg == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }
        QString name = arg.mid(2);
        QString inlineValue;
        bool hasInline = false;
        const int eq = name.indexOf(QLatin1Char('='));
        if (eq >= 0) {
            inlineValue = name.mid(eq + 1);
            name = name.left(eq);
            hasInline = true;
        }
        if (flags.contains(name)) {
            if (hasInline)
                return usageError(QStringLiteral("option --%1 takes no value").arg(name));
            a.m_flags.insert(name);
        } else if (valueOptions.contains(name)) {
            if (!hasInline) {
                if (i + 1 >= raw.size())
                    return usageError(QStringLiteral("option --%1 needs a value").arg(name));
                inlineValue = raw.at(++i);
            }
            if (a.m_values.contains(name))
                return usageError(QStringLiteral("option --%1 given twice").arg(name));
            a.m_values.insert(name, inlineValue);
        } else {
            return usageError(QStringLiteral("unknown option \"--%1\"").arg(name));
        }
    }
    return a;
}

bool Args::anyOf(const QStringList& names) const
{
    for (const QString& n : names) {
        if (has(n))
            return true;
    }
    return false;
}

Result<qint64> Args::integer(const QString& name, qint64 fallback, qint64 min, qint64 max) const
{
    if (!m_values.contains(name))
        return fallback;
    bool ok = false;
    const qint64 v = m_values.value(name).trimmed().toLongLong(&ok);
    if (!ok || v < min || v > max)
        return usageError(QStringLiteral("--%1 expects a whole number from %2 to %3, not \"%4\"")
                              .arg(name)
                              .arg(min)
                              .arg(max)
                              .arg(m_values.value(name).left(40)));
    return v;
}

Status Args::expectPositionals(const QStringList& names) const
{
    if (m_positionals.size() < names.size())
        return usageError(QStringLiteral("missing %1").arg(names.at(m_positionals.size())));
    if (m_positionals.size() > names.size())
        return usageError(
            QStringLiteral("unexpected argument \"%1\"").arg(m_positionals.at(names.size())));
    return okStatus();
}

} // namespace chom::cli
