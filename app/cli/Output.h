#pragma once

#include "base/Result.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QPair>
#include <QStringList>
#include <QTextStream>
#include <QVector>

namespace chom::cli {

// Process exit codes (documented in `chomctl --help`).
enum ExitCode : int
{
    ExitOk = 0,
    ExitFailed = 1,   // the operation ran and reported a failure (e.g. audit chain broken)
    ExitUsage = 2,    // unknown command/option, missing or malformed argument
    ExitNotFound = 3, // the named tenant, VPS or site does not exist
    ExitStore = 4,    // the store cannot be opened, is busy or read-only
    ExitRefused = 5,  // validation, quota or conflict: nothing was changed
};

int exitCodeFor(const Error& error);

using Fields = QVector<QPair<QString, QString>>;

// Everything chomctl prints. Tables or JSON on stdout; errors as exactly one
// line "chomctl: <message>" on stderr, with stdout left empty. Human output
// shows text from hosts and the store literally: terminal control and bidi
// characters are written as \xNN / \uNNNN escapes (terminalSafe), so a
// value can never move the cursor, recolour or retitle the terminal. JSON
// output is unchanged (JSON escapes control characters itself).
class Output
{
public:
    explicit Output(bool json);
    ~Output();

    bool json() const { return m_json; }

    void printJson(const QJsonValue& value);
    // A JSON array streamed one compact object per line, so large lists never
    // sit in memory twice.
    void beginJsonArray();
    void printJsonItem(const QJsonObject& item);
    void endJsonArray();
    void printTable(const QStringList& headers, const QVector<QStringList>& rows);
    void printFields(const Fields& fields);
    void printLine(const QString& line = QString());

    // Print the error and return its exit code; usage errors point at the
    // help of `command`.
    int fail(const Error& error, const QString& command = QString());
    int usage(const QString& message, const QString& command = QString());
    static void errorLine(const QString& message);
    // `text` with every control character (C0 but, when keepLayout, newline
    // and tab; DEL; C1) and every bidi or zero-width format character escaped.
    static QString terminalSafe(const QString& text, bool keepLayout = false);

private:
    bool m_json;
    qint64 m_items = 0;
    QTextStream m_out;
};

} // namespace chom::cli
