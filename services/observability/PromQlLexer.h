#pragma once

#include "base/Result.h"

#include <QString>
#include <QVector>

// A small PromQL lexer (shaped after the upstream Prometheus lexer) and the
// structural walk that finds every vector selector in an expression. Used by
// scopeQuery() to rewrite queries and by the tests to re-check the output.
namespace chom::metrics::promql {

enum class TokenKind
{
    Word,         // identifier, metric name or keyword: [a-zA-Z_:][a-zA-Z0-9_:]*
    Number,       // 1, 1.5, .5, 1e3, 0x1f (Inf/NaN are Words, classified by the walk)
    Duration,     // 5m, 1h30m, 250ms
    String,       // "..." '...' `...` (text keeps the quotes)
    Operator,     // + - * / % ^ == != < > <= >= = =~ !~
    LeftParen,    // (
    RightParen,   // )
    LeftBrace,    // {
    RightBrace,   // }
    LeftBracket,  // [
    RightBracket, // ]
    Comma,        // ,
    Colon,        // : (only inside [...])
    At,           // @
    End,          // end of input (always the last token)
};

struct Token
{
    TokenKind kind;
    int start = 0; // offset into the source (QChar units)
    int end = 0;   // one past the last character
    QString text;
};

// Splits promql into tokens; whitespace and # comments are skipped. Anything
// the lexer does not understand (unterminated strings, unknown characters,
// bad escapes, malformed numbers) is an error.
Result<QVector<Token>> lex(const QString& promql);

// The value of a string token (with its quotes), with escapes resolved.
Result<QString> unquote(const QString& literal);

// value as a PromQL double-quoted string literal.
QString quote(const QString& value);

struct Matcher
{
    QString name; // label name (quoted names unquoted)
    QString op;   // = != =~ !~
    QString value;
};

struct Selector
{
    QString metric;            // empty for a brace-only selector
    QVector<Matcher> matchers; // as written (a bare {"name"} becomes __name__="name")
    int insertAt = 0;          // where a new matcher goes
    bool needsBraces = false;  // bare metric name: insert {m}
    bool needsComma = false;   // non-empty braces without a trailing comma
};

// Walks the expression and returns its vector selectors in source order.
// Label names in grouping lists, function names, keywords, numbers,
// durations and strings are not selectors. Anything that does not fit the
// grammar subset understood here is an error.
Result<QVector<Selector>> findSelectors(const QString& promql);

// [a-zA-Z_][a-zA-Z0-9_]*
bool isLabelName(const QString& s);

} // namespace chom::metrics::promql
