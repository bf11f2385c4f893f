#include "observability/PromQlLexer.h"

#include <QCoreApplication>
#include <QStringDecoder>

namespace chom::metrics::promql {

namespace {

bool isAlpha(QChar c)
{
    const char16_t u = c.unicode();
    return u == '_' || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
}
bool isDigit(QChar c)
{
    return c.unicode() >= '0' && c.unicode() <= '9';
}
bool isAlnum(QChar c)
{
    return isAlpha(c) || isDigit(c);
}
bool isHex(QChar c)
{
    const char16_t u = c.unicode();
    return isDigit(c) || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
}
bool isSpace(QChar c)
{
    const char16_t u = c.unicode();
    return u == ' ' || u == '\t' || u == '\n' || u == '\r';
}

Error lexError(const QString& what, int pos)
{
    return makeError(
        QStringLiteral("promql_refused"),
        QCoreApplication::translate("chom::PromQlLexer", "PromQL refused: %1 at offset %2")
            .arg(what)
            .arg(pos));
}

// Length of a duration (one or more <digits><unit>) at pos, or 0.
int scanDuration(const QString& s, int pos)
{
    int i = pos;
    bool any = false;
    while (i < s.size() && isDigit(s[i])) {
        int j = i;
        while (j < s.size() && isDigit(s[j]))
            ++j;
        if (j >= s.size())
            break;
        int unit = 0;
        if (s.mid(j, 2) == QLatin1String("ms"))
            unit = 2;
        else if (QStringLiteral("smhdwy").contains(s[j]))
            unit = 1;
        if (unit == 0)
            break;
        i = j + unit;
        any = true;
    }
    if (!any || (i < s.size() && (isAlnum(s[i]) || s[i] == QLatin1Char('.'))))
        return 0;
    return i - pos;
}

// Length of a number (decimal, float with exponent, hex) at pos, or 0.
int scanNumber(const QString& s, int pos)
{
    int i = pos;
    auto digitsWhile = [&](auto pred) {
        int n = 0;
        while (i < s.size() && pred(s[i])) {
            ++i;
            ++n;
        }
        return n;
    };
    if (s.mid(i, 2).compare(QLatin1String("0x"), Qt::CaseInsensitive) == 0) {
        i += 2;
        if (digitsWhile(isHex) == 0)
            return 0;
    } else {
        int digits = digitsWhile(isDigit);
        if (i < s.size() && s[i] == QLatin1Char('.')) {
            ++i;
            digits += digitsWhile(isDigit);
        }
        if (digits == 0)
            return 0;
        if (i < s.size() && (s[i] == QLatin1Char('e') || s[i] == QLatin1Char('E'))) {
            ++i;
            if (i < s.size() && (s[i] == QLatin1Char('+') || s[i] == QLatin1Char('-')))
                ++i;
            if (digitsWhile(isDigit) == 0)
                return 0;
        }
    }
    if (i < s.size() && (isAlnum(s[i]) || s[i] == QLatin1Char('.')))
        return 0;
    return i - pos;
}

// Length of a quoted string starting at pos (the opening quote), or -1.
int scanString(const QString& s, int pos)
{
    const QChar q = s[pos];
    int i = pos + 1;
    while (i < s.size()) {
        const QChar c = s[i];
        if (c == q)
            return i + 1 - pos;
        if (q != QLatin1Char('`')) {
            if (c == QLatin1Char('\n'))
                return -1;
            if (c == QLatin1Char('\\'))
                ++i; // the escape itself is checked by unquote()
        }
        ++i;
    }
    return -1;
}

} // namespace

Result<QVector<Token>> lex(const QString& s)
{
    QVector<Token> out;
    bool inBraces = false;
    bool inBrackets = false;
    int i = 0;
    auto push = [&](TokenKind k, int len) {
        out.append(Token{k, i, i + len, s.mid(i, len)});
        i += len;
    };
    while (i < s.size()) {
        const QChar c = s[i];
        const char16_t u = c.unicode();
        if (isSpace(c)) {
            ++i;
        } else if (u == '#') {
            while (i < s.size() && s[i] != QLatin1Char('\n') && s[i] != QLatin1Char('\r'))
                ++i;
        } else if (u == '"' || u == '\'' || u == '`') {
            const int len = scanString(s, i);
            if (len < 0)
                return lexError(QStringLiteral("unterminated string"), i);
            auto value = unquote(s.mid(i, len));
            if (!value)
                return lexError(value.errorMessage(), i);
            push(TokenKind::String, len);
        } else if (isDigit(c) || (u == '.' && i + 1 < s.size() && isDigit(s[i + 1]))) {
            if (int d = scanDuration(s, i))
                push(TokenKind::Duration, d);
            else if (int n = scanNumber(s, i))
                push(TokenKind::Number, n);
            else
                return lexError(QStringLiteral("malformed number or duration"), i);
        } else if (isAlpha(c) || (u == ':' && !inBrackets && !inBraces)) {
            int j = i + 1;
            while (j < s.size() &&
                   (isAlnum(s[j]) || (s[j] == QLatin1Char(':') && !inBraces && !inBrackets)))
                ++j;
            push(TokenKind::Word, j - i);
        } else if (u == ':' && inBrackets) {
            push(TokenKind::Colon, 1);
        } else if (u == '{') {
            if (inBraces)
                return lexError(QStringLiteral("nested brace"), i);
            inBraces = true;
            push(TokenKind::LeftBrace, 1);
        } else if (u == '}') {
            if (!inBraces)
                return lexError(QStringLiteral("unbalanced '}'"), i);
            inBraces = false;
            push(TokenKind::RightBrace, 1);
        } else if (u == '[') {
            if (inBrackets || inBraces)
                return lexError(QStringLiteral("unexpected '['"), i);
            inBrackets = true;
            push(TokenKind::LeftBracket, 1);
        } else if (u == ']') {
            if (!inBrackets)
                return lexError(QStringLiteral("unbalanced ']'"), i);
            inBrackets = false;
            push(TokenKind::RightBracket, 1);
        } else if (u == '(' || u == ')' || u == ',' || u == '@') {
            push(u == '('   ? TokenKind::LeftParen
                 : u == ')' ? TokenKind::RightParen
                 : u == ',' ? TokenKind::Comma
                            : TokenKind::At,
                 1);
        } else {
            static const char* const ops[] = {"==", "!=", "<=", ">=", "=~", "!~", "+", "-",
                                              "*",  "/",  "%",  "^",  "<",  ">",  "="};
            int len = 0;
            for (const char* op : ops) {
                const QLatin1String o(op);
                if (QStringView(s).mid(i).startsWith(o)) {
                    len = int(o.size());
                    break;
                }
            }
            if (len == 0)
                return lexError(QStringLiteral("unexpected character '%1'").arg(c), i);
            push(TokenKind::Operator, len);
        }
    }
    if (inBraces)
        return lexError(QStringLiteral("unterminated '{'"), i);
    if (inBrackets)
        return lexError(QStringLiteral("unterminated '['"), i);
    out.append(Token{TokenKind::End, i, i, QString()});
    return out;
}

Result<QString> unquote(const QString& lit)
{
    const auto bad = [](const QString& why) {
        return makeError(QStringLiteral("promql_refused"), why);
    };
    if (lit.size() < 2 || lit.front() != lit.back())
        return bad(QStringLiteral("malformed string literal"));
    const QChar q = lit.front();
    const QString body = lit.mid(1, lit.size() - 2);
    if (q == QLatin1Char('`'))
        return body;
    QByteArray bytes;
    QString plain; // pending run without escapes
    for (int i = 0; i < body.size(); ++i) {
        const QChar c = body[i];
        if (c == q || c == QLatin1Char('\n'))
            return bad(QStringLiteral("unescaped quote or newline in string"));
        if (c != QLatin1Char('\\')) {
            plain += c;
            continue;
        }
        bytes += plain.toUtf8();
        plain.clear();
        if (++i >= body.size())
            return bad(QStringLiteral("unterminated escape sequence"));
        const char16_t e = body[i].unicode();
        static const QLatin1String simple("abfnrtv\\");
        static const char simpleOut[] = "\a\b\f\n\r\t\v\\";
        const int si = simple.indexOf(QChar(e));
        if (si >= 0) {
            bytes += simpleOut[si];
            continue;
        }
        if (e == q.unicode()) {
            bytes += char(e);
            continue;
        }
        int n = 0, base = 16;
        uint max = 255;
        if (e >= '0' && e <= '7') {
            n = 3, base = 8, --i;
        } else if (e == 'x') {
            n = 2;
        } else if (e == 'u') {
            n = 4, max = 0x10FFFF;
        } else if (e == 'U') {
            n = 8, max = 0x10FFFF;
        } else {
            return bad(QStringLiteral("unknown escape sequence"));
        }
        uint x = 0;
        for (int k = 0; k < n; ++k) {
            if (++i >= body.size())
                return bad(QStringLiteral("unterminated escape sequence"));
            const int d = isHex(body[i]) ? QString(body[i]).toInt(nullptr, 16) : 99;
            if (d >= base)
                return bad(QStringLiteral("illegal character in escape sequence"));
            x = x * uint(base) + uint(d);
        }
        if (x > max || (x >= 0xD800 && x < 0xE000))
            return bad(QStringLiteral("escape sequence is an invalid code point"));
        if (max == 255)
            bytes += char(x);
        else
            bytes += QString::fromUcs4(reinterpret_cast<const char32_t*>(&x), 1).toUtf8();
    }
    bytes += plain.toUtf8();
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString result = decode(bytes);
    if (decode.hasError())
        return bad(QStringLiteral("string is not valid UTF-8"));
    return result;
}

QString quote(const QString& value)
{
    QString out = QStringLiteral("\"");
    for (QChar c : value) {
        switch (c.unicode()) {
        case '\\':
            out += QLatin1String("\\\\");
            break;
        case '"':
            out += QLatin1String("\\\"");
            break;
        case '\n':
            out += QLatin1String("\\n");
            break;
        case '\r':
            out += QLatin1String("\\r");
            break;
        case '\t':
            out += QLatin1String("\\t");
            break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                out += QStringLiteral("\\x%1").arg(int(c.unicode()), 2, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

} // namespace chom::metrics::promql
