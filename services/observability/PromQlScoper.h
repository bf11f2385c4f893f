#pragma once

#include "base/Result.h"

#include <QString>

namespace chom::metrics {

// Adds a tenant matcher to every vector selector of a PromQL expression,
// structurally (a lexer, not text substitution): bare metric names,
// selectors with braces, selectors inside functions, aggregations,
// subqueries and both sides of binary expressions. Strings, label names in
// by(...)/without(...)/on(...)/ignoring(...)/group_left(...), durations,
// numbers, keywords and function names are left alone. An existing matcher
// on the same label is refused (it could widen the scope), as is anything
// the lexer does not understand: refusing is always safe, guessing is not.
// The value is escaped as a PromQL double-quoted string.
//
// scopeQuery("rate(http_requests_total[5m])", "tenant_id", "42")
//   -> rate(http_requests_total{tenant_id="42"}[5m])
//
// Refused: an empty query or one over kMaxQueryBytes (UTF-8), an invalid label
// name (or __name__), an empty value (label="" matches series WITHOUT the
// label), and any query the lexer/walker in PromQlLexer.h does not accept.
// Error code: "promql_refused".
inline constexpr int kMaxQueryBytes = 64 * 1024;
Result<QString> scopeQuery(const QString& promql, const QString& label, const QString& value);

// The label the console scopes tenants by.
inline QString tenantLabel()
{
    return QStringLiteral("tenant_id");
}

} // namespace chom::metrics
