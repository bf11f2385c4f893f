#include "EndpointOptions.h"

#include "Command.h"
#include "TerminalPrompt.h"
#include "base/AppIdentity.h"
#include "observability/EndpointSettings.h"

#include <QCoreApplication>

namespace chom::cli::endpointopts {
namespace {

namespace ep = metrics::endpoints;
using Auth = metrics::EndpointConfig::Auth;

// QSettings() reads the application's own file; the console saves under
// organisation "chom", application "chom-console" (app/gui/main.cpp). Switched
// only while the saved endpoint is read, then restored.
class ConsoleSettingsScope
{
public:
    ConsoleSettingsScope()
        : m_org(QCoreApplication::organizationName()), m_app(QCoreApplication::applicationName())
    {
        QCoreApplication::setOrganizationName(consoleOrganization());
        QCoreApplication::setApplicationName(consoleApplication());
    }
    ~ConsoleSettingsScope()
    {
        QCoreApplication::setOrganizationName(m_org);
        QCoreApplication::setApplicationName(m_app);
    }
    ConsoleSettingsScope(const ConsoleSettingsScope&) = delete;
    ConsoleSettingsScope& operator=(const ConsoleSettingsScope&) = delete;

private:
    QString m_org;
    QString m_app;
};

metrics::EndpointConfig savedEndpoint()
{
    ConsoleSettingsScope scope;
    return ep::loadPublic(ep::Kind::Prometheus);
}

Result<QUrl> parseUrl(const QString& text)
{
    const QUrl parsed = QUrl::fromUserInput(text.trimmed());
    if (!parsed.isValid() || parsed.host().isEmpty() ||
        (parsed.scheme() != QLatin1String("http") && parsed.scheme() != QLatin1String("https")))
        return usageError(
            QStringLiteral("\"%1\" is not an http(s) Prometheus URL").arg(text.left(80)));
    return parsed;
}

// --secret-file, else $CHOM_PROMETHEUS_SECRET; required for bearer/basic.
Status applySecret(const Args& a, metrics::EndpointConfig& c, bool fromSettings)
{
    const QString file = a.value(QStringLiteral("secret-file"));
    if (c.auth == Auth::None) {
        if (!file.isEmpty())
            return usageError(QStringLiteral("--secret-file needs --auth bearer or basic"));
        return okStatus();
    }
    if (!file.isEmpty()) {
        auto secret = readSecretFileLine(QStringLiteral("--secret-file"), file);
        if (!secret)
            return secret.error();
        c.secret = secret.value();
    } else {
        c.secret = qEnvironmentVariable("CHOM_PROMETHEUS_SECRET");
    }
    if (!c.secret.isEmpty())
        return okStatus();
    return usageError(
        QStringLiteral("%1 auth needs a secret: set CHOM_PROMETHEUS_SECRET or pass "
                       "--secret-file PATH%2")
            .arg(ep::authKey(c.auth), fromSettings ? QStringLiteral(" (chomctl does not open the "
                                                                    "console's secret store)")
                                                   : QString()));
}

// --auth, --user, --ca-file, --timeout over `c` (defaults or saved values).
Status applyOptions(const Args& a, metrics::EndpointConfig& c)
{
    if (a.has(QStringLiteral("auth"))) {
        const QString auth = a.value(QStringLiteral("auth"));
        if (Status st =
                oneOf(QStringLiteral("auth"), auth,
                      {QStringLiteral("none"), QStringLiteral("bearer"), QStringLiteral("basic")});
            !st)
            return st;
        c.auth = ep::authFromKey(auth);
    }
    if (a.has(QStringLiteral("user")))
        c.user = a.value(QStringLiteral("user"));
    if (c.auth == Auth::Basic && c.user.isEmpty())
        return usageError(QStringLiteral("--auth basic needs --user NAME"));
    if (a.has(QStringLiteral("ca-file")))
        c.caFile = a.value(QStringLiteral("ca-file")); // checked by the client: prometheus_tls
    const qint64 savedS = qBound(qint64(1), qint64(c.timeoutMs) / 1000, qint64(600));
    auto timeout = a.integer(QStringLiteral("timeout"), savedS, 1, 600);
    if (!timeout)
        return timeout.error();
    c.timeoutMs = int(timeout.value() * 1000);
    return okStatus();
}

} // namespace

QStringList valueOptions()
{
    return {QStringLiteral("prometheus"), QStringLiteral("timeout"), QStringLiteral("ca-file"),
            QStringLiteral("auth"),       QStringLiteral("user"),    QStringLiteral("secret-file"),
            QStringLiteral("secret")}; // accepted only to refuse it with a reason
}

QString helpText()
{
    return QStringLiteral(
        "Options for the queries:\n"
        "  --prometheus URL   Prometheus base URL (default: $CHOM_PROMETHEUS_URL, else the\n"
        "                     endpoint saved on the console's Settings page)\n"
        "  --timeout S        per-request timeout in seconds (default 10, or the saved one)\n"
        "  --ca-file PEM      extra CA certificate(s) trusted for an https URL\n"
        "  --auth MODE        none (default), bearer or basic\n"
        "  --user NAME        the basic-auth user name\n"
        "  --secret-file PATH read the bearer token or basic-auth password from PATH\n"
        "The secret is never taken from the command line (ps shows every process's\n"
        "arguments): use --secret-file or $CHOM_PROMETHEUS_SECRET. chomctl does not open\n"
        "the console's secret store, so a saved endpoint with auth needs one of them too.\n");
}

Result<metrics::EndpointConfig> resolve(const Args& a)
{
    if (a.has(QStringLiteral("secret")))
        return usageError(QStringLiteral("--secret is refused: other users can read argv (ps); "
                                         "use CHOM_PROMETHEUS_SECRET or --secret-file PATH"));
    QString url = a.value(QStringLiteral("prometheus"));
    if (url.trimmed().isEmpty())
        url = qEnvironmentVariable("CHOM_PROMETHEUS_URL");
    const bool fromSettings = url.trimmed().isEmpty();
    metrics::EndpointConfig c = fromSettings ? savedEndpoint() : metrics::EndpointConfig{};
    if (fromSettings && c.url.isEmpty())
        return usageError(QStringLiteral("no Prometheus URL: pass --prometheus URL, set "
                                         "CHOM_PROMETHEUS_URL or save one in the console's "
                                         "Settings"));
    auto parsed = parseUrl(fromSettings ? c.url.toString() : url);
    if (!parsed)
        return parsed.error();
    c.url = parsed.value();
    if (Status st = applyOptions(a, c); !st)
        return st.error();
    if (Status st = applySecret(a, c, fromSettings); !st)
        return st.error();
    return c;
}

} // namespace chom::cli::endpointopts
