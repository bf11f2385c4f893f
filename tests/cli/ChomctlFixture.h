#pragma once

// Shared fixture for the chomctl end-to-end tests: runs the real executable
// (CHOMCTL_PATH) in a QProcess against a fresh store per test function.

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

namespace chom::test {

struct Run
{
    int code = -1;
    QString out;
    QString err;

    QString describe() const
    {
        return QStringLiteral("exit %1\n--- stdout\n%2--- stderr\n%3").arg(code).arg(out, err);
    }
    QJsonDocument json() const
    {
        QJsonParseError e{};
        const QJsonDocument doc = QJsonDocument::fromJson(out.toUtf8(), &e);
        if (e.error != QJsonParseError::NoError)
            qWarning("invalid JSON (%s): %s", qPrintable(e.errorString()),
                     qPrintable(out.left(300)));
        return doc;
    }
    QJsonObject object() const { return json().object(); }
    QJsonArray array() const { return json().array(); }
    // The error contract: nothing on stdout, exactly one "chomctl: " line on stderr.
    bool isOneLineError() const
    {
        const QStringList lines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        return out.isEmpty() && lines.size() == 1 &&
               lines.first().startsWith(QLatin1String("chomctl: "));
    }
};

// Each macro evaluates its argument once: it may be a chomctl invocation.
#define CHECK_OK(expr)                                                                             \
    do {                                                                                           \
        const Run r_ = (expr);                                                                     \
        QVERIFY2(r_.code == 0 && r_.err.isEmpty(), qPrintable(r_.describe()));                     \
    } while (false)
#define CHECK_FAILS(expr, exitCode)                                                                \
    do {                                                                                           \
        const Run r_ = (expr);                                                                     \
        QVERIFY2(r_.code == (exitCode), qPrintable(r_.describe()));                                \
        QVERIFY2(r_.isOneLineError(), qPrintable(r_.describe()));                                  \
    } while (false)

// Base of the test classes; call freshStore() from init().
class ChomctlFixture : public QObject
{
protected:
    std::unique_ptr<QTemporaryDir> m_dir;

    QString storePath() const { return m_dir->path() + QStringLiteral("/chom.sqlite"); }

    static QProcessEnvironment headlessEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char* v : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY", "CHOM_DATA_DIR"})
            env.remove(QLatin1String(v));
        return env;
    }

    // `input` is chomctl's stdin, closed after it (empty: at once).
    // `program`: something that runs chomctl (runuser), else chomctl itself.
    static Run exec(const QStringList& args, const QProcessEnvironment& env,
                    const QByteArray& input = {}, const QString& program = QString())
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(program.isEmpty() ? QStringLiteral(CHOMCTL_PATH) : program, args);
        if (!input.isEmpty())
            p.write(input);
        p.closeWriteChannel();
        Run r;
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            r.err = QStringLiteral("timed out: ") + args.join(QLatin1Char(' '));
            return r;
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

    // chomctl against this test's store.
    Run run(const QStringList& args) const
    {
        return exec(QStringList{QStringLiteral("--data-dir"), m_dir->path()} + args, headlessEnv());
    }
    Run runJson(const QStringList& args) const
    {
        return run(QStringList{QStringLiteral("--json")} + args);
    }

    // Fixtures through the CLI itself; each returns the new ID or 0.
    qint64 addTenant(const QString& name, const QString& tier = QStringLiteral("starter")) const
    {
        const Run r = runJson({QStringLiteral("tenants"), QStringLiteral("add"),
                               QStringLiteral("--name"), name, QStringLiteral("--tier"), tier});
        if (r.code != 0)
            qWarning("%s", qPrintable(r.describe()));
        return r.code == 0 ? r.object().value(QStringLiteral("id")).toInteger() : 0;
    }
    qint64 addVps(const QString& host, const QString& ip) const
    {
        const Run r = runJson({QStringLiteral("vps"), QStringLiteral("add"),
                               QStringLiteral("--hostname"), host, QStringLiteral("--ip"), ip});
        if (r.code != 0)
            qWarning("%s", qPrintable(r.describe()));
        return r.code == 0 ? r.object().value(QStringLiteral("id")).toInteger() : 0;
    }
    qint64 addSite(qint64 tenant, const QString& domain, const QStringList& extra = {}) const
    {
        const Run r = runJson(QStringList{QStringLiteral("sites"), QStringLiteral("add"),
                                          QStringLiteral("--tenant"), QString::number(tenant),
                                          QStringLiteral("--domain"), domain} +
                              extra);
        if (r.code != 0)
            qWarning("%s", qPrintable(r.describe()));
        return r.code == 0 ? r.object().value(QStringLiteral("id")).toInteger() : 0;
    }
    QJsonObject stats(const QStringList& extra = {}) const
    {
        const Run r = runJson(QStringList{QStringLiteral("stats")} + extra);
        return r.code == 0 ? r.object() : QJsonObject();
    }

    void freshStore() { m_dir = std::make_unique<QTemporaryDir>(); }
    bool storeDirValid() const { return m_dir && m_dir->isValid(); }
};

} // namespace chom::test
