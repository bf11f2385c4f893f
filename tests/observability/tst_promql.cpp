#include "observability/MetricsPanels.h"
#include "observability/MetricsService.h"
#include "observability/PromQlLexer.h"
#include "observability/PromQlScoper.h"
#include "observability/PromQlSelectors.h"

#include <QtTest>

using namespace chom::metrics;

// Structural PromQL tenant scoping: every vector selector gets exactly one
// tenant matcher, nothing else changes, and anything doubtful is refused.
// Declared first and defined below: moc does not lex the raw string
// literals of the tables, so it must meet the class before them.
class TestPromQl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void scope_data();
    void scope();
    void property_data();
    void property();
    void labels_data();
    void labels();
    void quoteRoundTrip_data();
    void quoteRoundTrip();
    void panelScopes();
};

namespace {

void scoped(const char* name, const QString& in, const QString& out,
            const QString& value = QStringLiteral("7"))
{
    QTest::newRow(name) << in << value << out << false;
}

void refused(const char* name, const QString& in, const QString& value = QStringLiteral("7"))
{
    QTest::newRow(name) << in << value << QString() << true;
}

} // namespace

void TestPromQl::scope_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("refused");

    // Selector shapes.
    scoped("bare metric", "up", R"(up{tenant_id="7"})");
    scoped("braces", R"(up{job="node"})", R"(up{job="node",tenant_id="7"})");
    scoped("empty braces", "up{}", R"(up{tenant_id="7"})");
    scoped("trailing comma", R"(up{job="node",})", R"(up{job="node",tenant_id="7"})");
    scoped("brace only", R"({__name__=~"node_.*"})", R"({__name__=~"node_.*",tenant_id="7"})");
    scoped("quoted metric name", R"({"my.metric"})", R"({"my.metric",tenant_id="7"})");
    scoped("colon metric", "job:http_requests:rate5m",
           R"(job:http_requests:rate5m{tenant_id="7"})");
    scoped("all match ops", R"(x{a!="1",b=~"2",c!~"3"})",
           R"(x{a!="1",b=~"2",c!~"3",tenant_id="7"})");
    scoped("keyword as metric name", "offset", R"(offset{tenant_id="7"})");
    // Ranges, modifiers, subqueries.
    scoped("range", "http_requests_total[5m]", R"(http_requests_total{tenant_id="7"}[5m])");
    scoped("range with braces", R"(x{a="b"}[1h30m])", R"(x{a="b",tenant_id="7"}[1h30m])");
    scoped("offset", "up offset 5m", R"(up{tenant_id="7"} offset 5m)");
    scoped("negative offset", "rate(up[5m] offset -1h)",
           R"(rate(up{tenant_id="7"}[5m] offset -1h))");
    scoped("at timestamp", "up @ 1609746000", R"(up{tenant_id="7"} @ 1609746000)");
    scoped("at start end", "rate(up[5m] @ end()) - up @ start()",
           R"(rate(up{tenant_id="7"}[5m] @ end()) - up{tenant_id="7"} @ start())");
    scoped("subquery", "max_over_time(rate(x[5m])[1h:1m])",
           R"(max_over_time(rate(x{tenant_id="7"}[5m])[1h:1m]))");
    scoped("subquery no step", "min_over_time(up[30m:])",
           R"(min_over_time(up{tenant_id="7"}[30m:]))");
    scoped("subquery of parens", "(a + b)[10m:1m] offset 1m",
           R"((a{tenant_id="7"} + b{tenant_id="7"})[10m:1m] offset 1m)");
    // Functions and aggregations.
    scoped("function", "rate(x[5m])", R"(rate(x{tenant_id="7"}[5m]))");
    scoped("upstream node_load1", "node_load1", R"(node_load1{tenant_id="7"})");
    scoped(
        "upstream cpu",
        R"(100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100))",
        R"(100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle",tenant_id="7"}[5m])) * 100))");
    scoped("upstream nginx", "sum(rate(nginx_http_requests_total[5m])) by (status)",
           R"(sum(rate(nginx_http_requests_total{tenant_id="7"}[5m])) by (status))");
    scoped("by before", "sum by (instance) (rate(x[5m]))",
           R"(sum by (instance) (rate(x{tenant_id="7"}[5m])))");
    scoped(
        "without before and after", "sum without (job) (up) + count(up) without (instance)",
        R"(sum without (job) (up{tenant_id="7"}) + count(up{tenant_id="7"}) without (instance))");
    scoped("label names look like metrics", "sum by (up, node_load1) (x)",
           R"(sum by (up, node_load1) (x{tenant_id="7"}))");
    scoped("topk", "topk(5, rate(x[5m]))", R"(topk(5, rate(x{tenant_id="7"}[5m])))");
    scoped("quantile", "quantile(0.9, x)", R"(quantile(0.9, x{tenant_id="7"}))");
    scoped("count_values string", R"(count_values("version", build_info))",
           R"(count_values("version", build_info{tenant_id="7"}))");
    scoped("strings look like selectors",
           R"(label_replace(up, "dst", "up{x=\"1\"}", 'src', `(.*)`))",
           R"(label_replace(up{tenant_id="7"}, "dst", "up{x=\"1\"}", 'src', `(.*)`))");
    scoped(
        "histogram quantile",
        R"(histogram_quantile(0.9, sum by (le) (rate(req_bucket{job="api"}[5m]))))",
        R"(histogram_quantile(0.9, sum by (le) (rate(req_bucket{job="api",tenant_id="7"}[5m]))))");
    scoped("case insensitive keywords", "SUM BY (job) (up) AND ON(job) down OFFSET 1m",
           R"(SUM BY (job) (up{tenant_id="7"}) AND ON(job) down{tenant_id="7"} OFFSET 1m)");
    scoped("no selector", "vector(1) + time()", "vector(1) + time()");
    // Binary expressions.
    scoped("on group_left", "a * on(instance) group_left(job) b",
           R"(a{tenant_id="7"} * on(instance) group_left(job) b{tenant_id="7"})");
    scoped("ignoring group_right", "a / ignoring(code) group_right b",
           R"(a{tenant_id="7"} / ignoring(code) group_right b{tenant_id="7"})");
    scoped("bool", "up == bool 1", R"(up{tenant_id="7"} == bool 1)");
    scoped("bool on", "a > bool on(x) b", R"(a{tenant_id="7"} > bool on(x) b{tenant_id="7"})");
    scoped("or vector", "up or vector(1)", R"(up{tenant_id="7"} or vector(1))");
    scoped("and unless", "a and b unless on(job) c",
           R"(a{tenant_id="7"} and b{tenant_id="7"} unless on(job) c{tenant_id="7"})");
    scoped("atan2 unary", "-a atan2 +b", R"(-a{tenant_id="7"} atan2 +b{tenant_id="7"})");
    // Literals.
    scoped("numbers", "1e3 * up + 0x1f - .5 / 5.", R"(1e3 * up{tenant_id="7"} + 0x1f - .5 / 5.)");
    scoped("inf nan", "up > -Inf and up != NaN",
           R"(up{tenant_id="7"} > -Inf and up{tenant_id="7"} != NaN)");
    scoped("quotes and escapes", R"(up{a='n\'x',b=`c\d`,c="q\"}"})",
           R"(up{a='n\'x',b=`c\d`,c="q\"}",tenant_id="7"})");
    scoped("comment", "up # {tenant_id=\"8\"} is only a comment",
           "up{tenant_id=\"7\"} # {tenant_id=\"8\"} is only a comment");
    scoped("layout kept", "sum(\n  rate(x [5m])\n)", "sum(\n  rate(x{tenant_id=\"7\"} [5m])\n)");
    // Hostile tenant values: escaped, never structural.
    scoped("value quote brace", "up", R"(up{tenant_id="\"}"})", R"("})");
    scoped("value backslash", "up", R"(up{tenant_id="\\"})", R"(\)");
    scoped("value newline", "up", R"(up{tenant_id="a\nb"})", "a\nb");
    scoped("value injection or", "up", R"(up{tenant_id="\"} or vector(1) or {a=\""})",
           R"("} or vector(1) or {a=")");
    scoped("value injection regex", R"(up{job="x"})",
           R"(up{job="x",tenant_id="7\",tenant_id=~\".*"})", R"(7",tenant_id=~".*)");
    scoped("value unicode", "up", QStringLiteral("up{tenant_id=\"ma\u00f1ana\"}"),
           QStringLiteral("ma\u00f1ana"));

    // Refusals.
    refused("existing label", R"(up{tenant_id="8"})");
    refused("existing label regex", R"(up{tenant_id=~".*"})");
    refused("existing label negative in rhs", R"(up or down{tenant_id!="7"})");
    refused("existing quoted label", R"({"tenant_id"="8"})");
    refused("existing escaped label", R"({"tenant\u005fid"="8"})");
    refused("unterminated string", R"(up{job="node})");
    refused("unterminated raw string", "up{job=`node}");
    refused("unterminated brace", R"(up{job="node")");
    refused("unterminated paren", "rate(up[5m]");
    refused("unterminated bracket", "up[5m");
    refused("unbalanced paren", "up)");
    refused("unbalanced brace", R"(up{job="a"}})");
    refused("nested brace", "up{a{}}");
    refused("unknown character", "up $ 1");
    refused("semicolon", "up; drop");
    refused("bang", "!up");
    refused("bad escape", R"(up{job="\q"})");
    refused("newline in string", "up{job=\"a\nb\"}");
    refused("bad duration", "up[5min]");
    refused("identifier in range", "up[foo]");
    refused("by without aggregation", "up by (job)");
    refused("on without operator", "on(job) up");
    refused("missing operand", "up +");
    refused("two operands", "up down");
    refused("keyword as function", "by(up)");
    refused("empty", "");
    refused("blank", " \n\t ");
    refused("comment only", "# nothing");
    refused("too long", QStringLiteral("up + ").repeated(13108) + QStringLiteral("up"));
    refused("empty value", "up", QString());
}

void TestPromQl::scope()
{
    QFETCH(QString, input);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QFETCH(bool, refused);
    const auto r = scopeQuery(input, tenantLabel(), value);
    if (refused) {
        QVERIFY2(!r.ok(), qPrintable(r.ok() ? r.value() : QString()));
        QCOMPARE(r.error().code, QStringLiteral("promql_refused"));
        QVERIFY(!r.error().message.isEmpty());
    } else {
        QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
        QCOMPARE(r.value(), expected);
    }
}

// Re-lex every scoped output: each selector carries exactly one matcher
// on the label, an equality with the exact (unescaped) value, and the
// selector count is unchanged.
void TestPromQl::property_data()
{
    scope_data();
}
void TestPromQl::property()
{
    QFETCH(QString, input);
    QFETCH(QString, value);
    QFETCH(bool, refused);
    if (refused)
        QSKIP("refused row");
    const auto before = promql::findSelectors(input);
    QVERIFY2(before.ok(), qPrintable(before.errorMessage()));
    const auto r = scopeQuery(input, tenantLabel(), value);
    QVERIFY2(r.ok(), qPrintable(r.errorMessage()));
    const auto after = promql::findSelectors(r.value());
    QVERIFY2(after.ok(), qPrintable(after.errorMessage()));
    QCOMPARE(after->size(), before->size());
    for (const promql::Selector& s : *after) {
        int count = 0;
        for (const promql::Matcher& m : s.matchers) {
            if (m.name != tenantLabel())
                continue;
            ++count;
            QCOMPARE(m.op, QStringLiteral("="));
            QCOMPARE(m.value, value);
        }
        QCOMPARE(count, 1);
    }
}

void TestPromQl::labels_data()
{
    QTest::addColumn<QString>("label");
    QTest::addColumn<bool>("ok");
    QTest::newRow("tenant_id") << "tenant_id" << true;
    QTest::newRow("underscore start") << "_team" << true;
    QTest::newRow("dash") << "tenant-id" << false;
    QTest::newRow("digit start") << "1tenant" << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("metric name label") << "__name__" << false;
    QTest::newRow("injection") << R"(a="1"} or {b)" << false;
}
void TestPromQl::labels()
{
    QFETCH(QString, label);
    QFETCH(bool, ok);
    const auto r = scopeQuery(QStringLiteral("up"), label, QStringLiteral("7"));
    QCOMPARE(r.ok(), ok);
    if (ok)
        QCOMPARE(r.value(), QStringLiteral("up{%1=\"7\"}").arg(label));
}

void TestPromQl::quoteRoundTrip_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("plain") << "42";
    QTest::newRow("controls") << QStringLiteral("a\tb\rc\x01"
                                                "d\x7f");
    QTest::newRow("quotes") << R"(\"'`)";
    QTest::newRow("non-bmp") << QString::fromUtf8("\xF0\x9F\x98\x80");
}
void TestPromQl::quoteRoundTrip()
{
    QFETCH(QString, value);
    const auto back = promql::unquote(promql::quote(value));
    QVERIFY2(back.ok(), qPrintable(back.errorMessage()));
    QCOMPARE(back.value(), value);
}

// Every standard panel under every scope kind: a site's host panels show its
// VPS, its HTTP panel its own domain; a site with no VPS gets a refusal, not
// the whole fleet.
void TestPromQl::panelScopes()
{
    const MetricsScope site =
        MetricsScope::site(QStringLiteral("shop.example.com"), QStringLiteral("127.0.0.9:9100"));
    for (const PanelSpec& p : standardPanels()) {
        for (const PanelSpec::Query& q : p.queries) {
            const auto fleet =
                MetricsService::scoped(q.promql, MetricsScope::fleet(), 15, p.perSite);
            QVERIFY(fleet);
            QVERIFY(!fleet.value().contains(QLatin1String("{rate}")));
            const auto tenant = MetricsService::scoped(
                q.promql, MetricsScope::tenant(QStringLiteral("7"), QStringLiteral("t")), 15,
                p.perSite);
            QVERIFY2(tenant, qPrintable(tenant.errorMessage()));
            QVERIFY(tenant.value().contains(QLatin1String("tenant_id=\"7\"")));
            const auto s = MetricsService::scoped(q.promql, site, 15, p.perSite);
            QVERIFY2(s, qPrintable(s.errorMessage()));
            if (p.perSite) {
                QVERIFY2(s.value().contains(QLatin1String("domain=\"shop.example.com\"")),
                         qPrintable(s.value()));
                QVERIFY(!s.value().contains(QLatin1String("instance=")));
            } else {
                QVERIFY2(s.value().contains(QLatin1String("instance=\"127.0.0.9:9100\"")),
                         qPrintable(s.value()));
                QVERIFY(!s.value().contains(QLatin1String("domain=")));
            }
            const auto unplaced = MetricsService::scoped(
                q.promql, MetricsScope::site(QStringLiteral("shop.example.com"), QString()), 15,
                p.perSite);
            QCOMPARE(unplaced.ok(), p.perSite);
            if (!unplaced)
                QVERIFY(unplaced.errorMessage().contains(QLatin1String("not placed")));
        }
    }
}

QTEST_GUILESS_MAIN(TestPromQl)
#include "tst_promql.moc"
