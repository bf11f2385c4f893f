#include "Command.h"

namespace chom::cli {

bool Command::parse(const QStringList& raw, const QStringList& valueOptions,
                    const QStringList& flags, Args& into, Output& out, int* exitCode) const
{
    auto parsed = Args::parse(raw, valueOptions, flags);
    if (!parsed) {
        *exitCode = fail(out, parsed.error());
        return false;
    }
    into = parsed.value();
    return true;
}

int Command::unknownAction(Output& out, const QString& action) const
{
    return out.usage(QStringLiteral("unknown %1 action \"%2\"").arg(name(), action), name());
}

Status oneOf(const QString& option, const QString& value, const QStringList& allowed)
{
    if (allowed.contains(value))
        return okStatus();
    return usageError(QStringLiteral("--%1 must be one of %2, not \"%3\"")
                          .arg(option, allowed.join(QStringLiteral(", ")), value.left(40)));
}

} // namespace chom::cli
