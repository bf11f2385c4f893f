// promql::findSelectors: the walk over the tokens that finds every vector selector.
#include "observability/PromQlSelectors.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace chom::metrics {

namespace promql {

namespace {

bool isOneOf(const QString& lower, std::initializer_list<const char*> words)
{
    for (const char* w : words)
        if (lower == QLatin1String(w))
            return true;
    return false;
}

bool isAggregator(const QString& w)
{
    return isOneOf(w, {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count",
                       "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio"});
}

// Keywords that upstream never accepts as a metric name.
bool isReservedWord(const QString& w)
{
    return isOneOf(w, {"bool", "on", "ignoring", "group_left", "group_right", "atan2"});
}

// Keywords that upstream does accept as a metric name (so they are not function names).
bool isKeyword(const QString& w)
{
    return isAggregator(w) || isReservedWord(w) ||
           isOneOf(w, {"by", "without", "offset", "and", "or", "unless", "start", "end"});
}

class Walker
{
public:
    explicit Walker(const QVector<Token>& t) : m_t(t) {}

    Result<QVector<Selector>> run()
    {
        if (m_t.size() <= 1)
            return fail(QStringLiteral("empty expression"));
        for (;;) {
            const bool ok = m_operand ? operand() : operatorPosition();
            if (!ok)
                return Error{m_error};
            if (m_done)
                return m_out;
        }
    }

private:
    enum class Frame
    {
        Paren,
        Call,
        Aggregation,
        AggregationWithModifier
    };

    const Token& tok(int ahead = 0) const
    {
        return m_t[std::min(m_i + ahead, int(m_t.size()) - 1)];
    }
    bool is(TokenKind k, int ahead = 0) const { return tok(ahead).kind == k; }
    bool isOp(const char* op, int ahead = 0) const
    {
        return is(TokenKind::Operator, ahead) && tok(ahead).text == QLatin1String(op);
    }
    QString lowerWord(int ahead = 0) const
    {
        return is(TokenKind::Word, ahead) ? tok(ahead).text.toLower() : QString();
    }
    Error fail(const QString& what)
    {
        m_error = makeError(
            QStringLiteral("promql_refused"),
            QCoreApplication::translate("chom::PromQlSelectors", "PromQL refused: %1 at offset %2")
                .arg(what)
                .arg(tok().start));
        return m_error;
    }
    bool refuse(const QString& what)
    {
        fail(what);
        return false;
    }

    // ( label, label, ... ) after by/without/on/ignoring/group_left/group_right.
    bool labelList()
    {
        if (!is(TokenKind::LeftParen))
            return refuse(QStringLiteral("expected '(' before a label list"));
        ++m_i;
        while (!is(TokenKind::RightParen)) {
            if (!(is(TokenKind::Word) && isLabelName(tok().text)) && !is(TokenKind::String))
                return refuse(QStringLiteral("expected a label name"));
            ++m_i;
            if (is(TokenKind::Comma))
                ++m_i;
            else if (!is(TokenKind::RightParen))
                return refuse(QStringLiteral("expected ',' or ')' in a label list"));
        }
        ++m_i;
        return true;
    }

    // metric, metric{...} or {...}; m_i is on the metric name or the brace.
    bool selector()
    {
        Selector s;
        if (is(TokenKind::Word)) {
            s.metric = tok().text;
            s.insertAt = tok().end;
            s.needsBraces = true;
            ++m_i;
        }
        if (is(TokenKind::LeftBrace)) {
            s.needsBraces = false;
            s.insertAt = tok().end;
            ++m_i;
            while (!is(TokenKind::RightBrace)) {
                Matcher m;
                const bool quotedName = is(TokenKind::String);
                if (quotedName)
                    m.name = *unquote(tok().text); // lex() already validated it
                else if (is(TokenKind::Word) && isLabelName(tok().text))
                    m.name = tok().text;
                else
                    return refuse(QStringLiteral("expected a label name in a selector"));
                ++m_i;
                if (isOp("=") || isOp("!=") || isOp("=~") || isOp("!~")) {
                    m.op = tok().text;
                    ++m_i;
                    if (!is(TokenKind::String))
                        return refuse(QStringLiteral("expected a string after a matcher"));
                    m.value = *unquote(tok().text);
                    ++m_i;
                } else if (quotedName) {
                    m.value = m.name; // {"metric.name"}: a metric name matcher
                    m.name = QStringLiteral("__name__");
                    m.op = QStringLiteral("=");
                } else {
                    return refuse(QStringLiteral("expected a matching operator"));
                }
                s.matchers.append(m);
                s.insertAt = m_t[m_i - 1].end;
                s.needsComma = true;
                if (is(TokenKind::Comma)) {
                    s.insertAt = tok().end;
                    s.needsComma = false;
                    ++m_i;
                } else if (!is(TokenKind::RightBrace)) {
                    return refuse(QStringLiteral("expected ',' or '}' in a selector"));
                }
            }
            ++m_i;
        }
        m_out.append(s);
        m_operand = false;
        return true;
    }

    bool operand()
    {
        const int stage = m_modifierStage;
        m_modifierStage = 0;
        if (is(TokenKind::Word)) {
            const QString w = lowerWord();
            if (stage == 1 && w == QLatin1String("bool")) {
                ++m_i;
                m_modifierStage = 4; // bool, then on/ignoring still allowed
                return true;
            }
            if ((stage == 1 || stage == 4) &&
                (w == QLatin1String("on") || w == QLatin1String("ignoring"))) {
                ++m_i;
                m_modifierStage = 2;
                return labelList();
            }
            if (stage == 2 &&
                (w == QLatin1String("group_left") || w == QLatin1String("group_right"))) {
                ++m_i;
                return is(TokenKind::LeftParen) ? labelList() : true;
            }
            if (isReservedWord(w))
                return refuse(QStringLiteral("unexpected keyword '%1'").arg(tok().text));
            const QString next = lowerWord(1);
            if (isAggregator(w) && (is(TokenKind::LeftParen, 1) || next == QLatin1String("by") ||
                                    next == QLatin1String("without"))) {
                ++m_i;
                Frame f = Frame::Aggregation;
                if (!is(TokenKind::LeftParen)) {
                    ++m_i;
                    if (!labelList())
                        return false;
                    f = Frame::AggregationWithModifier;
                    if (!is(TokenKind::LeftParen))
                        return refuse(QStringLiteral("expected '(' after an aggregation"));
                }
                ++m_i;
                m_stack.append(f);
                return true;
            }
            if (is(TokenKind::LeftParen, 1)) {
                if (isKeyword(w))
                    return refuse(
                        QStringLiteral("keyword '%1' used as a function").arg(tok().text));
                m_i += 2;
                m_stack.append(Frame::Call);
                return true;
            }
            if (w == QLatin1String("inf") || w == QLatin1String("nan")) {
                ++m_i;
                m_operand = false;
                return true;
            }
            return selector();
        }
        switch (tok().kind) {
        case TokenKind::LeftBrace:
            return selector();
        case TokenKind::Number:
        case TokenKind::Duration:
        case TokenKind::String:
            ++m_i;
            m_operand = false;
            return true;
        case TokenKind::LeftParen:
            ++m_i;
            m_stack.append(Frame::Paren);
            return true;
        case TokenKind::Operator:
            if (isOp("+") || isOp("-")) {
                ++m_i; // unary sign
                return true;
            }
            break;
        case TokenKind::RightParen:
            // An empty argument list: time(), vector() with nothing inside.
            if (m_i > 0 && m_t[m_i - 1].kind == TokenKind::LeftParen && !m_stack.isEmpty() &&
                m_stack.last() != Frame::Paren)
                return closeParen();
            break;
        case TokenKind::End:
            return refuse(QStringLiteral("incomplete expression"));
        default:
            break;
        }
        return refuse(QStringLiteral("unexpected '%1'").arg(tok().text));
    }

    bool closeParen()
    {
        if (m_stack.isEmpty())
            return refuse(QStringLiteral("unbalanced ')'"));
        const Frame f = m_stack.takeLast();
        ++m_i;
        m_operand = false;
        m_aggregationClosed = f == Frame::Aggregation;
        return true;
    }

    bool numberOrDuration(bool allowSign)
    {
        if (allowSign && (isOp("+") || isOp("-")))
            ++m_i;
        if (!is(TokenKind::Number) && !is(TokenKind::Duration))
            return refuse(QStringLiteral("expected a number or a duration"));
        ++m_i;
        return true;
    }

    bool operatorPosition()
    {
        const bool aggregationClosed = m_aggregationClosed;
        m_aggregationClosed = false;
        const QString w = lowerWord();
        if (is(TokenKind::Word)) {
            if (isOneOf(w, {"and", "or", "unless", "atan2"})) {
                ++m_i;
                m_operand = true;
                m_modifierStage = 1;
                return true;
            }
            if (w == QLatin1String("offset")) {
                ++m_i;
                return numberOrDuration(true);
            }
            if (aggregationClosed && (w == QLatin1String("by") || w == QLatin1String("without"))) {
                ++m_i;
                return labelList();
            }
            return refuse(QStringLiteral("unexpected '%1'").arg(tok().text));
        }
        switch (tok().kind) {
        case TokenKind::Operator:
            if (isOneOf(tok().text,
                        {"+", "-", "*", "/", "%", "^", "==", "!=", "<", ">", "<=", ">="})) {
                ++m_i;
                m_operand = true;
                m_modifierStage = 1;
                return true;
            }
            break;
        case TokenKind::LeftBracket: // range [5m] or subquery [1h:1m] / [1h:]
            ++m_i;
            if (!numberOrDuration(false))
                return false;
            if (is(TokenKind::Colon)) {
                ++m_i;
                if (!is(TokenKind::RightBracket) && !numberOrDuration(false))
                    return false;
            }
            if (!is(TokenKind::RightBracket))
                return refuse(QStringLiteral("expected ']'"));
            ++m_i;
            return true;
        case TokenKind::At:
            ++m_i;
            if ((lowerWord() == QLatin1String("start") || lowerWord() == QLatin1String("end")) &&
                is(TokenKind::LeftParen, 1) && is(TokenKind::RightParen, 2)) {
                m_i += 3;
                return true;
            }
            return numberOrDuration(true);
        case TokenKind::RightParen:
            return closeParen();
        case TokenKind::Comma:
            if (m_stack.isEmpty() || m_stack.last() == Frame::Paren)
                return refuse(QStringLiteral("unexpected ','"));
            ++m_i;
            m_operand = true;
            return true;
        case TokenKind::End:
            if (!m_stack.isEmpty())
                return refuse(QStringLiteral("unclosed '('"));
            m_done = true;
            return true;
        default:
            break;
        }
        return refuse(QStringLiteral("unexpected '%1'").arg(tok().text));
    }

    const QVector<Token>& m_t;
    int m_i = 0;
    bool m_operand = true;
    bool m_done = false;
    bool m_aggregationClosed = false;
    int m_modifierStage = 0; // 1 after a binary operator, 4 after bool, 2 after on/ignoring
    QVector<Frame> m_stack;
    QVector<Selector> m_out;
    Error m_error;
};

} // namespace

bool isLabelName(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));
    return re.match(s).hasMatch();
}

Result<QVector<Selector>> findSelectors(const QString& promql)
{
    auto tokens = lex(promql);
    if (!tokens)
        return tokens.error();
    return Walker(*tokens).run();
}

} // namespace promql

} // namespace chom::metrics
