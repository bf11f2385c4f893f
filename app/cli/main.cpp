// chomctl: the command-line front end of CHOM Console. Headless: QtCore and
// the core library only, so it runs over SSH and in scripts without a display.

#include "CliApp.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

// Errors reach the operator as one line through Output; Qt's own chatter
// (SQL driver notes and the like) is shown only with CHOMCTL_DEBUG set.
void quietHandler(QtMsgType type, const QMessageLogContext&, const QString& message)
{
    if (type == QtFatalMsg || qEnvironmentVariableIsSet("CHOMCTL_DEBUG")) {
        const QByteArray line =
            (QStringLiteral("chomctl: ") + message + QLatin1Char('\n')).toUtf8();
        std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    }
}

} // namespace

int main(int argc, char** argv)
{
    qInstallMessageHandler(quietHandler);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chomctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CHOM_VERSION));
    QStringList args = QCoreApplication::arguments();
    args.removeFirst();
    return chom::cli::CliApp().run(args);
}
