#include "ConsoleSession.h"
#include "GuiOptions.h"
#include "base/AppIdentity.h"
#include "base/Async.h"
#include "inventory/Core.h"
#include "runtime/StorePassword.h"
#include "secrets/SessionPassphrase.h"
#include "ui/shell/PasswordPrompt.h"
#include "ui/widgets/Theme.h"

#include <QApplication>
#include <QGuiApplication>
#include <QMessageBox>

#include <cstdio>
#include <memory>
#include <optional>

using namespace chom;

namespace {

bool headless()
{
    return qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
}

// A store that cannot be opened is left exactly as it is; say why and stop:
// on stderr, and in a non-modal box whose closing ends the event loop with 1.
// False when no box is shown (offscreen): the caller returns 1 itself.
bool failToOpen(const QString& store, const QString& message)
{
    const QString text =
        QObject::tr("CHOM Console cannot open the store %1:\n%2").arg(store, message);
    std::fprintf(stderr, "chom-console: %s\n", qPrintable(text));
    const QString platform = QGuiApplication::platformName();
    if (platform == QLatin1String("offscreen") || platform == QLatin1String("minimal")) {
        QCoreApplication::exit(1); // when the event loop already runs
        return false;
    }
    auto* box = new QMessageBox(QMessageBox::Critical, QObject::tr("CHOM Console"), text);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, [] { QCoreApplication::exit(1); });
    box->open();
    return true;
}

// Before the event loop runs: 1 at once, or once the box is closed.
int failBeforeRunning(QApplication& app, const QString& store, const QString& message)
{
    if (failToOpen(store, message))
        app.exec(); // until the box is closed
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);
    const GuiOptions opt = GuiOptions::parse(args);
    if (!opt.error.isEmpty()) {
        std::fprintf(stderr, "chom-console: %s\n\n%s", qPrintable(opt.error),
                     qPrintable(GuiOptions::usage()));
        return 2;
    }
    if (opt.help) {
        std::fputs(qPrintable(GuiOptions::usage()), stdout);
        return 0;
    }
    if (opt.version) {
        std::printf("chom-console %s\n", CHOM_VERSION);
        return 0;
    }
    // No display at all (CI, SSH, benchmarks): render offscreen instead of failing.
    if (headless() && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");

    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(consoleOrganization());
    QCoreApplication::setApplicationName(consoleApplication());
    QCoreApplication::setApplicationVersion(QStringLiteral(CHOM_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("CHOM Console"));
    theme::apply(app);

    const QString dir = resolveDataDir(opt.dataDir);
    const auto config = resolveStoreConfig(opt.storeUrl, dir);
    if (!config)
        return failBeforeRunning(app, opt.storeUrl, config.error().message);
    // The master passphrase of the encrypted secrets file, when a saved store
    // password (or anything later) needs it, is asked in a non-modal dialog.
    SessionPassphrase::instance().setSecretsDir(dir);
    SessionPassphrase::instance().setAsk(askMasterPassphrase);

    // Opened at once, or after reading the saved PostgreSQL password on a
    // worker when the server asks for one (the event loop runs meanwhile).
    std::unique_ptr<ConsoleSession> session;
    // Closing the master-passphrase prompt, the only window yet, must not quit.
    QApplication::setQuitOnLastWindowClosed(false);
    std::optional<QString> failedAtOnce;
    bool running = false;
    storepassword::openCoreAsync(
        config.value(), [dir] { return storepassword::openForRead(dir); }, &app,
        [&](Result<std::unique_ptr<Core>> opened) {
            if (!opened && !running)
                failedAtOnce = opened.error().message;
            else if (!opened)
                failToOpen(describeStore(config.value()), opened.error().message);
            else {
                session = std::make_unique<ConsoleSession>(std::move(opened).value(), dir, opt);
                QApplication::setQuitOnLastWindowClosed(true);
            }
        });
    if (failedAtOnce)
        return failBeforeRunning(app, describeStore(config.value()), *failedAtOnce);
    running = true;
    const int code = app.exec();
    session.reset();     // before the application object
    async::drainPools(); // a store-password read still running, if any
    return code;
}
