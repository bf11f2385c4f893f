#pragma once

#include "Args.h"
#include "Output.h"

#include <QStringList>

namespace chom {
class Core;
struct StoreConfig;
} // namespace chom

namespace chom::cli {

// One top-level chomctl command (tenants, vps, sites, stats, audit, demo).
class Command
{
public:
    virtual ~Command() = default;

    virtual QString name() const = 0;
    virtual QString summary() const = 0; // one line for `chomctl --help`
    virtual QString usage() const = 0;   // full text for `chomctl help <name>`
    // `args` excludes the command name and the global options.
    virtual int run(Core& core, const QStringList& args, Output& out) = 0;
    // A command about the store's login rather than its data runs before the
    // store is opened (it may be the one that makes opening possible).
    virtual bool opensStore() const { return true; }
    // True when these arguments only read: the store is then opened
    // read-only (works on a read-only store directory, never migrates).
    virtual bool readsOnly(const QStringList& args) const
    {
        Q_UNUSED(args);
        return false;
    }
    virtual int runUnopened(const StoreConfig& config, const QString& dataDir,
                            const QStringList& args, Output& out);

protected:
    // Parses the action's options; on error prints it and sets *exitCode.
    bool parse(const QStringList& raw, const QStringList& valueOptions, const QStringList& flags,
               Args& into, Output& out, int* exitCode) const;
    int fail(Output& out, const Error& error) const { return out.fail(error, name()); }
    int unknownAction(Output& out, const QString& action) const;
    // "<action> TARGET" with no options: *target gets it, or the usage error
    // is printed and *exitCode set.
    bool parseTarget(const QStringList& raw, const QString& what, Output& out, QString* target,
                     int* exitCode) const;
    // The one shape every delete reports in, text or JSON.
    int reportDeleted(Output& out, const QString& kind, qint64 id, const QString& labelKey,
                      const QString& label) const;
};

// A command over one kind of record (tenants, sites, vps): the
// list|show|add|update|delete dispatch is shared; `list` is the default
// action and runOther() takes any further ones.
class RecordCommand : public Command
{
public:
    int run(Core& core, const QStringList& args, Output& out) override;
    bool readsOnly(const QStringList& args) const override
    {
        const QString action = args.value(0, QStringLiteral("list"));
        return action == QLatin1String("list") || action == QLatin1String("show");
    }

protected:
    virtual int list(Core& core, const QStringList& args, Output& out) = 0;
    virtual int show(Core& core, const QStringList& args, Output& out) = 0;
    virtual int add(Core& core, const QStringList& args, Output& out) = 0;
    virtual int update(Core& core, const QStringList& args, Output& out) = 0;
    virtual int remove(Core& core, const QStringList& args, Output& out) = 0;
    // `args` still starts with the action.
    virtual int runOther(Core& core, const QStringList& args, Output& out);
};

// Checks `value` against the allowed words; a usage error names them.
Status oneOf(const QString& option, const QString& value, const QStringList& allowed);

} // namespace chom::cli
