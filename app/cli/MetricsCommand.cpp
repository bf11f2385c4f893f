#include "MetricsCommand.h"

#include "EndpointOptions.h"
#include "Format.h"
#include "observability/PromQlScoper.h"
#include "observability/PrometheusClient.h"

#include <QDateTime>
#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>

#include <functional>

#include <cmath>

namespace chom::cli {
namespace {

const QStringList kEndpointOptions = endpointopts::valueOptions();

// Runs the client's asynchronous call to completion: chomctl has no GUI loop.
template <typename Start> void waitFor(Start start)
{
    QEventLoop loop;
    bool done = false;
    start([&] {
        done = true;
        loop.quit();
    });
    if (!done)
        loop.exec();
}

// One query or range query against `config`, waited for.
metrics::QueryResult fetchOnce(
    const metrics::EndpointConfig& config,
    const std::function<void(metrics::PrometheusClient&, metrics::PrometheusClient::Done)>& send)
{
    QNetworkAccessManager nam;
    metrics::PrometheusClient client(nam, config);
    metrics::QueryResult result;
    waitFor([&](auto finish) {
        send(client, [&result, finish](const metrics::QueryResult& r) {
            result = r;
            finish();
        });
    });
    return result;
}

Error metricsError(const metrics::MetricsError& e)
{
    return metrics::toError(e);
}

QString labelText(const QMap<QString, QString>& labels)
{
    QStringList parts;
    QString name;
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (it.key() == QLatin1String("__name__"))
            name = it.value();
        else
            parts << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value());
    }
    return name + QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

QJsonValue jsonNumber(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QString timeText(double ms)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(ms), Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
}

QJsonObject toJson(const metrics::QueryResult& r)
{
    QJsonArray series;
    for (const auto& s : r.series) {
        QJsonObject labels;
        for (auto it = s.labels.begin(); it != s.labels.end(); ++it)
            labels.insert(it.key(), it.value());
        QJsonArray points;
        for (const QPointF& p : s.points)
            points.append(QJsonArray{qint64(p.x()), jsonNumber(p.y())});
        series.append(
            QJsonObject{{QStringLiteral("labels"), labels}, {QStringLiteral("points"), points}});
    }
    return QJsonObject{{QStringLiteral("result_type"), r.resultType},
                       {QStringLiteral("series"), series},
                       {QStringLiteral("bytes"), r.bytes}};
}

int printResult(const metrics::QueryResult& r, bool range, Output& out)
{
    if (out.json()) {
        out.printJson(toJson(r));
        return ExitOk;
    }
    QVector<QStringList> rows;
    for (const auto& s : r.series) {
        const QPointF last = s.points.isEmpty() ? QPointF() : s.points.last();
        QStringList row{labelText(s.labels)};
        if (range)
            row << QString::number(s.points.size());
        row << (std::isfinite(last.y()) ? QString::number(last.y(), 'g', 12)
                                        : QStringLiteral("NaN"))
            << timeText(last.x());
        rows << row;
    }
    QStringList headers{QStringLiteral("SERIES")};
    if (range)
        headers << QStringLiteral("POINTS");
    headers << (range ? QStringLiteral("LAST") : QStringLiteral("VALUE")) << QStringLiteral("TIME");
    out.printTable(headers, rows);
    return ExitOk;
}

// "1700000000", "now", "-1h", "-30m", "-90s" (relative to now), ISO-8601.
Result<qint64> parseTime(const QString& option, const QString& text, qint64 now)
{
    const QString t = text.trimmed();
    if (t.isEmpty() || t == QLatin1String("now"))
        return now;
    bool ok = false;
    const qint64 secs = t.toLongLong(&ok);
    if (ok && secs > 0)
        return secs;
    if (t.startsWith(QLatin1Char('-')) && t.size() > 2) {
        const qint64 n = t.mid(1, t.size() - 2).toLongLong(&ok);
        const QChar unit = t.back();
        const qint64 mult = unit == QLatin1Char('s')   ? 1
                            : unit == QLatin1Char('m') ? 60
                            : unit == QLatin1Char('h') ? 3600
                            : unit == QLatin1Char('d') ? 86400
                                                       : 0;
        if (ok && n >= 0 && mult)
            return now - n * mult;
    }
    const QDateTime dt = QDateTime::fromString(t, Qt::ISODate);
    if (dt.isValid())
        return dt.toSecsSinceEpoch();
    return usageError(QStringLiteral("--%1 expects Unix seconds, \"now\", -N[smhd] or ISO-8601, "
                                     "not \"%2\"")
                          .arg(option, t.left(40)));
}

} // namespace

QString MetricsCommand::summary() const
{
    return QStringLiteral("query Prometheus (query, range, alerts, health) or scope a query");
}

QString MetricsCommand::usage() const
{
    return QStringLiteral(
               "Usage:\n"
               "  chomctl metrics query PROMQL [--time T]        instant query (default: now)\n"
               "  chomctl metrics range PROMQL [--start T] [--end T] [--step S]\n"
               "                                                 range query (default: the last "
               "hour,\n"
               "                                                 step 60 s)\n"
               "  chomctl metrics alerts                         firing and pending alerts\n"
               "  chomctl metrics health                         GET /-/healthy and its response "
               "time\n"
               "  chomctl metrics scope PROMQL --tenant ID       print the query scoped to one "
               "tenant\n"
               "                                                 (no Prometheus needed)\n"
               "\n") +
           endpointopts::helpText() +
           QStringLiteral(
               "T is Unix seconds, \"now\", -N[smhd] (e.g. -1h) or ISO-8601.\n"
               "\n"
               "Connection failures are retried twice with backoff. Exit 0 on success, 1 when\n"
               "Prometheus cannot be reached or reports an error (the message names the cause:\n"
               "resolve, refused, timeout, reset, tls, http, prometheus, invalid_json,\n"
               "too_large), 2 usage error (also: no Prometheus URL, unknown --auth, no secret),\n"
               "5 a query scope refuses.\n");
}

int MetricsCommand::run(Core&, const QStringList& args, Output& out)
{
    const QString action = args.value(0);
    const QStringList rest = args.mid(1);
    if (action == QLatin1String("query"))
        return query(rest, out);
    if (action == QLatin1String("range"))
        return range(rest, out);
    if (action == QLatin1String("alerts"))
        return alerts(rest, out);
    if (action == QLatin1String("health"))
        return health(rest, out);
    if (action == QLatin1String("scope"))
        return scope(rest, out);
    if (action.isEmpty())
        return out.usage(QStringLiteral("metrics needs an action"), name());
    return unknownAction(out, action);
}

std::optional<metrics::EndpointConfig> MetricsCommand::endpointOnly(const QStringList& raw,
                                                                    Output& out, int* code) const
{
    Args a;
    if (!parse(raw, kEndpointOptions, {}, a, out, code))
        return std::nullopt;
    if (auto st = a.expectPositionals({}); !st) {
        *code = fail(out, st.error());
        return std::nullopt;
    }
    auto config = endpointopts::resolve(a);
    if (!config) {
        *code = fail(out, config.error());
        return std::nullopt;
    }
    return config.value();
}

int MetricsCommand::query(const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, kEndpointOptions + QStringList{QStringLiteral("time")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("PROMQL")}); !st)
        return fail(out, st.error());
    auto config = endpointopts::resolve(a);
    if (!config)
        return fail(out, config.error());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    qint64 at = 0;
    if (a.has(QStringLiteral("time"))) {
        auto t = parseTime(QStringLiteral("time"), a.value(QStringLiteral("time")), now);
        if (!t)
            return fail(out, t.error());
        at = t.value();
    }
    const QString promql = a.positionals().at(0);
    const metrics::QueryResult result =
        fetchOnce(config.value(), [&](metrics::PrometheusClient& c, auto done) {
            c.query(promql, at, std::move(done));
        });
    if (!result.ok())
        return fail(out, metricsError(result.error));
    return printResult(result, false, out);
}

int MetricsCommand::range(const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw,
               kEndpointOptions + QStringList{QStringLiteral("start"), QStringLiteral("end"),
                                              QStringLiteral("step")},
               {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("PROMQL")}); !st)
        return fail(out, st.error());
    auto config = endpointopts::resolve(a);
    if (!config)
        return fail(out, config.error());
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    auto end = parseTime(QStringLiteral("end"), a.value(QStringLiteral("end")), now);
    if (!end)
        return fail(out, end.error());
    auto start = a.has(QStringLiteral("start"))
                     ? parseTime(QStringLiteral("start"), a.value(QStringLiteral("start")), now)
                     : Result<qint64>(end.value() - 3600);
    if (!start)
        return fail(out, start.error());
    auto step = a.integer(QStringLiteral("step"), 60, 1, 86400);
    if (!step)
        return fail(out, step.error());
    if (start.value() > end.value())
        return fail(out, usageError(QStringLiteral("--start is after --end")));
    if ((end.value() - start.value()) / step.value() + 1 > 11000)
        return fail(out, usageError(QStringLiteral("more than 11000 points per series: raise "
                                                   "--step or shorten the range")));
    const metrics::RangeQuery q{a.positionals().at(0), start.value(), end.value(),
                                int(step.value())};
    const metrics::QueryResult result =
        fetchOnce(config.value(), [&](metrics::PrometheusClient& c, auto done) {
            c.queryRange(q, std::move(done));
        });
    if (!result.ok())
        return fail(out, metricsError(result.error));
    return printResult(result, true, out);
}

int MetricsCommand::alerts(const QStringList& raw, Output& out)
{
    int code = 0;
    const auto config = endpointOnly(raw, out, &code);
    if (!config)
        return code;
    QNetworkAccessManager nam;
    metrics::PrometheusClient client(nam, config.value());
    QVector<metrics::Alert> list;
    metrics::MetricsError error;
    waitFor([&](auto finish) {
        client.alerts(
            [&, finish](const QVector<metrics::Alert>& l, const metrics::MetricsError& e) {
                list = l;
                error = e;
                finish();
            });
    });
    if (error)
        return fail(out, metricsError(error));
    if (out.json()) {
        out.beginJsonArray();
        for (const auto& al : list) {
            QJsonObject labels, annotations;
            for (auto it = al.labels.begin(); it != al.labels.end(); ++it)
                labels.insert(it.key(), it.value());
            for (auto it = al.annotations.begin(); it != al.annotations.end(); ++it)
                annotations.insert(it.key(), it.value());
            out.printJsonItem(
                QJsonObject{{QStringLiteral("labels"), labels},
                            {QStringLiteral("annotations"), annotations},
                            {QStringLiteral("state"), al.state},
                            {QStringLiteral("active_at"), jsonTime(al.activeAtMs / 1000)},
                            {QStringLiteral("value"), jsonNumber(al.value)}});
        }
        out.endJsonArray();
        return ExitOk;
    }
    QVector<QStringList> rows;
    for (const auto& al : list)
        rows << QStringList{al.labels.value(QStringLiteral("alertname")), al.state,
                            formatTime(al.activeAtMs / 1000), QString::number(al.value, 'g', 6),
                            labelText(al.labels)};
    out.printTable({QStringLiteral("ALERT"), QStringLiteral("STATE"), QStringLiteral("SINCE"),
                    QStringLiteral("VALUE"), QStringLiteral("LABELS")},
                   rows);
    return ExitOk;
}

int MetricsCommand::health(const QStringList& raw, Output& out)
{
    int code = 0;
    const auto config = endpointOnly(raw, out, &code);
    if (!config)
        return code;
    QNetworkAccessManager nam;
    metrics::PrometheusClient client(nam, config.value());
    metrics::MetricsError error;
    qint64 ms = 0;
    waitFor([&](auto finish) {
        client.healthy([&, finish](const metrics::MetricsError& e, qint64 t) {
            error = e;
            ms = t;
            finish();
        });
    });
    if (error)
        return fail(out, metricsError(error));
    const QString url = config.value().url.toString(QUrl::RemoveUserInfo);
    if (out.json())
        out.printJson(QJsonObject{{QStringLiteral("url"), url},
                                  {QStringLiteral("healthy"), true},
                                  {QStringLiteral("response_ms"), ms}});
    else
        out.printLine(QStringLiteral("Prometheus at %1 is healthy (%2 ms).").arg(url).arg(ms));
    return ExitOk;
}

int MetricsCommand::scope(const QStringList& raw, Output& out)
{
    Args a;
    int code = 0;
    if (!parse(raw, {QStringLiteral("tenant")}, {}, a, out, &code))
        return code;
    if (auto st = a.expectPositionals({QStringLiteral("PROMQL")}); !st)
        return fail(out, st.error());
    const QString tenant = a.value(QStringLiteral("tenant"));
    if (tenant.isEmpty())
        return fail(out, usageError(QStringLiteral("scope needs --tenant ID")));
    auto scoped = metrics::scopeQuery(a.positionals().at(0), metrics::tenantLabel(), tenant);
    if (!scoped)
        return fail(out, makeError(QStringLiteral("invalid_query"), scoped.error().message));
    if (out.json())
        out.printJson(QJsonObject{{QStringLiteral("query"), a.positionals().at(0)},
                                  {QStringLiteral("label"), metrics::tenantLabel()},
                                  {QStringLiteral("tenant"), tenant},
                                  {QStringLiteral("scoped"), scoped.value()}});
    else
        out.printLine(scoped.value());
    return ExitOk;
}

} // namespace chom::cli
