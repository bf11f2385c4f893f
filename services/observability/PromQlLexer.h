#pragma once

#include "base/Result.h"

#include <QString>
#include <QVector>

// A small PromQL lexer (shaped after the upstream Prometheus lexer); the
// structural walk over its tokens is in PromQlSelectors.h.
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

} // namespace chom::metrics::promql
