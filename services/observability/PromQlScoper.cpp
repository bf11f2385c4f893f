#include "observability/PromQlScoper.h"

#include "observability/PromQlLexer.h"
#include "observability/PromQlSelectors.h"

#include <QCoreApplication>

namespace chom::metrics {

Result<QString> scopeQuery(const QString& promql, const QString& label, const QString& value)
{
    const auto refuse = [](const QString& why) {
        return makeError(QStringLiteral("promql_refused"),
                         QCoreApplication::translate("chom::PromQlScoper", "PromQL refused: ") +
                             why);
    };
    if (!promql::isLabelName(label) || label == QLatin1String("__name__"))
        return refuse(QStringLiteral("invalid scope label '%1'").arg(label));
    if (value.isEmpty())
        return refuse(
            QStringLiteral("empty scope value (it would match series without the label)"));
    if (!value.isValidUtf16() || !promql.isValidUtf16())
        return refuse(QStringLiteral("invalid UTF-16"));
    if (promql.trimmed().isEmpty())
        return refuse(QStringLiteral("empty query"));
    if (promql.toUtf8().size() > kMaxQueryBytes)
        return refuse(QStringLiteral("query longer than %1 bytes").arg(kMaxQueryBytes));

    auto selectors = promql::findSelectors(promql);
    if (!selectors)
        return selectors.error();

    const QString matcher = label + QLatin1Char('=') + promql::quote(value);
    QString out;
    int copied = 0;
    for (const promql::Selector& s : *selectors) {
        for (const promql::Matcher& m : s.matchers)
            if (m.name == label)
                return refuse(QStringLiteral("the query already has a matcher on '%1'").arg(label));
        out += QStringView(promql).mid(copied, s.insertAt - copied);
        if (s.needsBraces)
            out += QLatin1Char('{') + matcher + QLatin1Char('}');
        else
            out += (s.needsComma ? QStringLiteral(",") : QString()) + matcher;
        copied = s.insertAt;
    }
    out += QStringView(promql).mid(copied);
    return out;
}

} // namespace chom::metrics
