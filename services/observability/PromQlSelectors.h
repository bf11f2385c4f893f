#pragma once

#include "observability/PromQlLexer.h"

// The structural walk over PromQlLexer's tokens that finds every vector
// selector in an expression. Used by scopeQuery() to rewrite queries and by
// the tests to re-check the output.
namespace chom::metrics::promql {

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
