#include "Command.h"

#include <QJsonObject>

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

bool Command::parseTarget(const QStringList& raw, const QString& what, Output& out, QString* target,
                          int* exitCode) const
{
    Args a;
    if (!parse(raw, {}, {}, a, out, exitCode))
        return false;
    if (auto st = a.expectPositionals({what}); !st) {
        *exitCode = fail(out, st.error());
        return false;
    }
    *target = a.positionals().at(0);
    return true;
}

int Command::reportDeleted(Output& out, const QString& kind, qint64 id, const QString& labelKey,
                           const QString& label) const
{
    if (out.json())
        out.printJson(QJsonObject{
            {QStringLiteral("deleted"), kind}, {QStringLiteral("id"), id}, {labelKey, label}});
    else
        out.printLine(QStringLiteral("Deleted %1 #%2 %3.")
                          .arg(kind == QLatin1String("vps") ? QStringLiteral("VPS") : kind)
                          .arg(id)
                          .arg(label));
    return ExitOk;
}

int RecordCommand::run(Core& core, const QStringList& args, Output& out)
{
    using Action = int (RecordCommand::*)(Core&, const QStringList&, Output&);
    static const std::pair<const char*, Action> actions[] = {
        {"list", &RecordCommand::list},     {"show", &RecordCommand::show},
        {"add", &RecordCommand::add},       {"update", &RecordCommand::update},
        {"delete", &RecordCommand::remove},
    };
    const QString action = args.value(0, QStringLiteral("list"));
    for (const auto& [word, method] : actions)
        if (action == QLatin1String(word))
            return (this->*method)(core, args.mid(1), out);
    return runOther(core, args, out);
}

int RecordCommand::runOther(Core&, const QStringList& args, Output& out)
{
    return unknownAction(out, args.value(0));
}

int Command::runUnopened(const StoreConfig&, const QString&, const QStringList&, Output& out)
{
    return fail(out, makeError(ErrorKind::Internal, QStringLiteral("internal"),
                               QStringLiteral("this command needs an open store")));
}

} // namespace chom::cli
