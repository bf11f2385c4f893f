#pragma once

#include "base/Result.h"

#include <QHash>
#include <QSet>
#include <QStringList>

namespace chom::cli {

// The options of one action: `--name value`, `--name=value`, boolean flags
// and positionals. Unknown options are usage errors (code "usage").
class Args
{
public:
    static Result<Args> parse(const QStringList& raw, const QStringList& valueOptions,
                              const QStringList& flags = {});

    bool has(const QString& name) const
    {
        return m_values.contains(name) || m_flags.contains(name);
    }
    QString value(const QString& name) const { return m_values.value(name); }
    const QStringList& positionals() const { return m_positionals; }
    bool anyOf(const QStringList& names) const;

    // The option as an integer in [min, max]; `fallback` when absent.
    Result<qint64> integer(const QString& name, qint64 fallback, qint64 min, qint64 max) const;
    // Exactly `count` positionals, named in the message when missing.
    Status expectPositionals(const QStringList& names) const;

private:
    QHash<QString, QString> m_values;
    QSet<QString> m_flags;
    QStringList m_positionals;
};

Error usageError(const QString& message);

} // namespace chom::cli
