#include "Output.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace chom::cli {

// From the error's kind: the core decides what an error is, chomctl only
// which number says so.
int exitCodeFor(const Error& error)
{
    switch (error.kind()) {
    case ErrorKind::Usage:
        return ExitUsage;
    case ErrorKind::NotFound:
        return ExitNotFound;
    case ErrorKind::Store:
        return ExitStore;
    case ErrorKind::Rule:
    case ErrorKind::Conflict:
        return ExitRefused;
    default:
        return ExitFailed;
    }
}

QString Output::terminalSafe(const QString& text, bool keepLayout)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool layout = keepLayout && (u == u'\n' || u == u'\t');
        const bool control = (u < 0x20 && !layout) || (u >= 0x7f && u <= 0x9f);
        const bool format = c.category() == QChar::Other_Format; // bidi, zero-width
        if (control)
            out += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
        else if (format)
            out += QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

Output::Output(bool json) : m_json(json), m_out(stdout) {}

Output::~Output()
{
    m_out.flush();
}

void Output::printJson(const QJsonValue& value)
{
    QJsonDocument doc;
    if (value.isArray())
        doc = QJsonDocument(value.toArray());
    else
        doc = QJsonDocument(value.toObject());
    m_out << QString::fromUtf8(doc.toJson(QJsonDocument::Indented));
}

void Output::beginJsonArray()
{
    m_items = 0;
    m_out << '[';
}

void Output::printJsonItem(const QJsonObject& item)
{
    m_out << (m_items++ ? ",\n  " : "\n  ")
          << QString::fromUtf8(QJsonDocument(item).toJson(QJsonDocument::Compact));
}

void Output::endJsonArray()
{
    m_out << (m_items ? "\n]\n" : "]\n");
}

void Output::printTable(const QStringList& headers, const QVector<QStringList>& rows)
{
    QVector<QStringList> safeRows;
    safeRows.reserve(rows.size());
    for (const QStringList& row : rows) {
        QStringList safe;
        for (int c = 0; c < headers.size(); ++c)
            safe << terminalSafe(row.value(c));
        safeRows << safe;
    }
    QVector<int> widths(headers.size());
    for (int c = 0; c < headers.size(); ++c)
        widths[c] = int(headers.at(c).size());
    for (const QStringList& row : std::as_const(safeRows)) {
        for (int c = 0; c < row.size() && c < widths.size(); ++c)
            widths[c] = qMax(widths[c], int(row.at(c).size()));
    }
    auto emitRow = [&](const QStringList& cells) {
        QString line;
        for (int c = 0; c < headers.size(); ++c) {
            const QString& cell = cells.at(c);
            line += c + 1 < headers.size() ? cell.leftJustified(widths[c] + 2) : cell;
        }
        m_out << line << '\n';
    };
    emitRow(headers);
    for (const QStringList& row : safeRows)
        emitRow(row);
}

void Output::printFields(const Fields& fields)
{
    int width = 0;
    for (const auto& f : fields)
        width = qMax(width, int(f.first.size()));
    for (const auto& f : fields)
        m_out << QString(f.first + QLatin1Char(':')).leftJustified(width + 2)
              << terminalSafe(f.second) << '\n';
}

void Output::printLine(const QString& line)
{
    m_out << terminalSafe(line, true) << '\n';
}

int Output::fail(const Error& error, const QString& command)
{
    if (error.code == QLatin1String("usage"))
        return usage(error.message, command);
    errorLine(error.message);
    return exitCodeFor(error);
}

int Output::usage(const QString& message, const QString& command)
{
    const QString hint = command.isEmpty() ? QStringLiteral("chomctl --help")
                                           : QStringLiteral("chomctl help ") + command;
    errorLine(QStringLiteral("%1 (see %2)").arg(message, hint));
    return ExitUsage;
}

void Output::errorLine(const QString& message)
{
    QString one = terminalSafe(message.simplified());
    if (one.endsWith(QLatin1Char('.')))
        one.chop(1);
    const QByteArray bytes = (QStringLiteral("chomctl: ") + one + QLatin1Char('\n')).toUtf8();
    std::fflush(stdout);
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

} // namespace chom::cli
