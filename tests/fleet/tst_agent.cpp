// End-to-end tests of resources/agent/chom-agent, the program the console runs
// on each VPS over SSH. The real script runs under bash in a QProcess against
// a sandbox root directory per test function (--root), with injected readings
// (proc files, df and services override files) so results are deterministic.
//
// The contract checked everywhere: exactly one JSON object on one line on
// stdout, the documented exit code, `ok` and `error.code` as documented.

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <optional>

#include <signal.h>

namespace {

const QString kScript = QStringLiteral(CHOM_AGENT_PATH);

struct Run
{
    int code = -1;
    QByteArray out;
    QByteArray err;
    QJsonObject obj;
    QString problem; // why stdout is not exactly one JSON object line ("" if it is)

    QString describe() const
    {
        return QStringLiteral("exit %1 %2\n--- stdout\n%3\n--- stderr\n%4")
            .arg(code)
            .arg(problem, QString::fromUtf8(out.left(2000)), QString::fromUtf8(err.left(2000)));
    }
    QJsonObject data() const { return obj.value(QLatin1String("data")).toObject(); }
    QString errorCode() const
    {
        return obj.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
    }
};

// Reads the VERSION file shipped next to the script.
QString shippedVersion()
{
    QFile f(QFileInfo(kScript).absolutePath() + QStringLiteral("/VERSION"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll()).trimmed();
}

// Strict envelope parse: one line ending in "\n", one JSON object, nothing else.
void parseEnvelope(Run& r)
{
    if (!r.out.endsWith('\n')) {
        r.problem = QStringLiteral("stdout does not end with a newline");
        return;
    }
    if (r.out.count('\n') != 1) {
        r.problem = QStringLiteral("stdout has %1 lines, expected 1").arg(r.out.count('\n'));
        return;
    }
    QJsonParseError e{};
    const QJsonDocument doc = QJsonDocument::fromJson(r.out, &e); // rejects trailing garbage
    if (e.error != QJsonParseError::NoError) {
        r.problem = QStringLiteral("invalid JSON: %1 at %2").arg(e.errorString()).arg(e.offset);
        return;
    }
    if (!doc.isObject()) {
        r.problem = QStringLiteral("stdout is not a JSON object");
        return;
    }
    r.obj = doc.object();
}

// The fields every envelope has, by outcome. "" when it conforms.
QString envelopeProblem(const Run& r, int exitCode, bool ok, const QString& code)
{
    if (!r.problem.isEmpty())
        return r.problem;
    if (r.code != exitCode)
        return QStringLiteral("exit %1, expected %2").arg(r.code).arg(exitCode);
    const QJsonObject& o = r.obj;
    if (!o.value(QLatin1String("ok")).isBool() || o.value(QLatin1String("ok")).toBool() != ok)
        return QStringLiteral("\"ok\" is not %1").arg(ok ? "true" : "false");
    if (o.value(QLatin1String("agent")).toString() != shippedVersion())
        return QStringLiteral("\"agent\" is not the shipped version");
    if (!o.value(QLatin1String("command")).isString())
        return QStringLiteral("\"command\" is not a string");
    if (ok) {
        if (!o.value(QLatin1String("data")).isObject() || o.contains(QLatin1String("error")))
            return QStringLiteral("success without a data object (or with an error)");
        if (o.size() != 4)
            return QStringLiteral("success envelope has %1 keys").arg(o.size());
    } else {
        const QJsonObject err = o.value(QLatin1String("error")).toObject();
        if (err.value(QLatin1String("code")).toString() != code)
            return QStringLiteral("error.code is %1, expected %2")
                .arg(err.value(QLatin1String("code")).toString(), code);
        if (err.value(QLatin1String("message")).toString().isEmpty())
            return QStringLiteral("error.message is empty");
        if (o.contains(QLatin1String("data")) || o.size() != 4)
            return QStringLiteral("error envelope has unexpected keys");
    }
    return {};
}

#define CHECK_ENVELOPE(run, exitCode, ok, code)                                                    \
    do {                                                                                           \
        const QString p_ = envelopeProblem((run), (exitCode), (ok), (code));                       \
        QVERIFY2(p_.isEmpty(), qPrintable(p_ + QLatin1Char('\n') + (run).describe()));             \
    } while (false)

// Values that must cross the agent untouched and never be executed.
// "@BOX@" is replaced by the sandbox path (known only per test).
const QList<QPair<const char*, QString>>& hostileValues()
{
    static const QList<QPair<const char*, QString>> values = [] {
        QList<QPair<const char*, QString>> v;
        QString controls;
        for (int c = 1; c < 32; ++c)
            controls += QChar(c);
        controls += QChar(0x7f);
        QString longHostile;
        while (longHostile.size() < 10000)
            longHostile += QStringLiteral("$(touch PWNED);`touch PWNED`|'\"\n");
        longHostile.truncate(10000);
        v << qMakePair("single quote", QStringLiteral("it's"))
          << qMakePair("quote escape", QStringLiteral("'\\''; touch PWNED; '"))
          << qMakePair("double quotes", QStringLiteral("say \"hi\" \"$(touch PWNED)\""))
          << qMakePair("command substitution", QStringLiteral("$(touch PWNED)"))
          << qMakePair("absolute substitution", QStringLiteral("$(touch @BOX@/PWNED)"))
          << qMakePair("backticks", QStringLiteral("`touch PWNED`"))
          << qMakePair("semicolon", QStringLiteral("; touch PWNED"))
          << qMakePair("and", QStringLiteral("&& touch PWNED"))
          << qMakePair("pipe", QStringLiteral("| touch PWNED"))
          << qMakePair("redirect", QStringLiteral("> PWNED"))
          << qMakePair("variables", QStringLiteral("$HOME ${PATH} $1 $@ $$"))
          << qMakePair("arithmetic", QStringLiteral("$((1+1)) a[$(touch PWNED)]"))
          << qMakePair("glob", QStringLiteral("* ? [a-z]* /*"))
          << qMakePair("tilde", QStringLiteral("~root"))
          << qMakePair("newlines", QStringLiteral("a\nb\n\n"))
          << qMakePair("tab and cr", QStringLiteral("a\tb\r\n")) << qMakePair("controls", controls)
          << qMakePair("backslashes", QStringLiteral("\\ \\\\ \\n \\u0000 \\x41"))
          << qMakePair("json injection", QStringLiteral("\"}]},\"ok\":false,{\""))
          << qMakePair("printf format", QStringLiteral("%s%n%d%%"))
          << qMakePair("unicode", QStringLiteral("Grüße 日本語 🙂 \u202Eevil \u2028x"))
          << qMakePair("long ascii", QString(10000, QLatin1Char('x')))
          << qMakePair("long unicode", QString(10000, QChar(0x65E5)))
          << qMakePair("long hostile", longHostile)
          << qMakePair("root option", QStringLiteral("--root=/etc"))
          << qMakePair("bare root option", QStringLiteral("--root"))
          << qMakePair("double dash", QStringLiteral("--"))
          << qMakePair("single dash", QStringLiteral("-"))
          << qMakePair("echo flag", QStringLiteral("-e"))
          << qMakePair("help flag", QStringLiteral("-h")) << qMakePair("empty", QString())
          << qMakePair("space", QStringLiteral(" "));
        return v;
    }();
    return values;
}

} // namespace

class TestAgent : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_box; // root/, cwd/ and tmp/ of one test
    QString m_root;
    QString m_cwd;
    QString m_tmp;             // TMPDIR of every run: the agent's scratch files must not outlive it
    QTemporaryDir m_pathNoJq;  // PATH with every usual program but jq
    QTemporaryDir m_emptyPath; // PATH with no program at all

    static QProcessEnvironment baseEnv()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& k : env.keys())
            if (k.startsWith(QLatin1String("CHOM_AGENT_")))
                env.remove(k);
        env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
        return env;
    }

    // Runs `bash chom-agent [--root ROOT] ARGS...`; env entries are KEY=VALUE.
    Run run(const QStringList& args, const QStringList& env = {}, bool withRoot = true) const
    {
        QProcessEnvironment e = baseEnv();
        e.insert(QStringLiteral("TMPDIR"), m_tmp);
        for (const QString& kv : env)
            e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        QStringList argv{kScript};
        if (withRoot)
            argv << QStringLiteral("--root") << m_root;
        argv << args;
        return exec(QStringLiteral("bash"), argv, e);
    }

    Run exec(const QString& program, const QStringList& argv, const QProcessEnvironment& env,
             const std::optional<QByteArray>& input = std::nullopt) const
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_cwd);
        p.start(program, argv);
        if (input) {
            p.write(*input);
            p.closeWriteChannel();
        }
        Run r;
        if (!p.waitForStarted(10000) || !p.waitForFinished(30000)) {
            p.kill();
            p.waitForFinished();
            r.problem = QStringLiteral("did not finish");
            return r;
        }
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        parseEnvelope(r);
        return r;
    }

    void put(const QString& rel, const QByteArray& content) const
    {
        const QString path = m_root + QLatin1Char('/') + rel;
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile f(path);
        QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
        f.write(content);
    }
    void putReadings(const QByteArray& loadavg, int cpus, const QByteArray& meminfo,
                     const QByteArray& df, const QByteArray& services) const
    {
        put(QStringLiteral("proc/loadavg"), loadavg);
        QByteArray cpuinfo;
        for (int i = 0; i < cpus; ++i)
            cpuinfo += "processor\t: " + QByteArray::number(i) + "\nmodel name\t: test\n\n";
        put(QStringLiteral("proc/cpuinfo"), cpuinfo);
        put(QStringLiteral("proc/meminfo"), meminfo);
        put(QStringLiteral("etc/chom-agent/df"), df);
        put(QStringLiteral("etc/chom-agent/services"), services);
    }
    static QByteArray meminfo(qint64 totalKb, qint64 availKb)
    {
        return "MemTotal:       " + QByteArray::number(totalKb) +
               " kB\nMemFree:        1000 kB\n"
               "MemAvailable:   " +
               QByteArray::number(availKb) + " kB\nBuffers:        10 kB\n";
    }

    static const QByteArray& registryJson()
    {
        static const QByteArray json =
            "{\"sites\":[\n"
            "  {\"domain\":\"example.com\",\"type\":\"wordpress\",\"php_version\":\"8.2\",\n"
            "   \"site_root\":\"/var/www/sites/example.com\",\"enabled\":true,"
            "\"created_at\":\"2025-01-02T03:04:05Z\"},\n"
            "  {\"domain\":\"legacy.org\",\"type\":\"php\",\"php_version\":8.4,\n"
            "   \"site_root\":\"/var/www/sites/legacy.org\",\"enabled\":false,"
            "\"created_at\":\"2024-06-01T00:00:00Z\",\n"
            "   \"note\":\"line1\\nline2\\u0001 \\\"quoted\\\"\"}\n"
            "]}";
        return json;
    }

    // Files named PWNED anywhere in the sandbox (root and cwd) or the test's cwd.
    QStringList pwned() const
    {
        QStringList found;
        for (const QString& dir : {m_box->path(), QDir::currentPath()}) {
            QDirIterator it(dir,
                            QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                            dir == m_box->path() ? QDirIterator::Subdirectories
                                                 : QDirIterator::NoIteratorFlags);
            while (it.hasNext()) {
                it.next();
                if (it.fileName() == QLatin1String("PWNED"))
                    found << it.filePath();
            }
        }
        return found;
    }

    QString expandBox(QString v) const { return v.replace(QLatin1String("@BOX@"), m_box->path()); }

    // A directory of symlinks to every program in the usual bin dirs but `skip`.
    static bool makePathWithout(const QTemporaryDir& dir, const QString& skip)
    {
        if (!dir.isValid())
            return false;
        for (const char* bin : {"/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"}) {
            const QDir d{QString::fromLatin1(bin)};
            for (const QString& name : d.entryList(QDir::Files | QDir::System)) {
                const QString link = dir.path() + QLatin1Char('/') + name;
                if (name != skip && !QFileInfo::exists(link))
                    QFile::link(d.absoluteFilePath(name), link);
            }
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(kScript).isFile(), qPrintable(kScript));
        QVERIFY2(QFileInfo(kScript).isExecutable(), "the agent script must be executable");
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("bash")).isEmpty(),
                 "bash is required");
        QVERIFY(!shippedVersion().isEmpty());
        QVERIFY(makePathWithout(m_pathNoJq, QStringLiteral("jq")));
        QVERIFY(m_emptyPath.isValid());
    }

    // A fresh sandbox: a healthy machine with two registered sites.
    void init()
    {
        m_box = std::make_unique<QTemporaryDir>();
        QVERIFY(m_box->isValid());
        m_root = m_box->path() + QStringLiteral("/root");
        m_cwd = m_box->path() + QStringLiteral("/cwd");
        m_tmp = m_box->path() + QStringLiteral("/tmp");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/var/log")));
        QVERIFY(QDir().mkpath(m_cwd));
        QVERIFY(QDir().mkpath(m_tmp));
        putReadings("0.50 0.40 0.30 1/100 1234\n", 4, meminfo(8000000, 6000000),
                    "1000000 500000 500000\n", "nginx=running\nphp_fpm=running\nmariadb=running\n");
        put(QStringLiteral("proc/uptime"), "12345.67 100.00\n");
        put(QStringLiteral("etc/os-release"), "PRETTY_NAME=\"Sandbox Linux\"\nID=sandbox\n");
        put(QStringLiteral("var/lib/chom-agent/sites.json"), registryJson());
        put(QStringLiteral("var/www/sites/example.com/public/index.html"),
            "Welcome to example.com\n");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/etc/nginx/sites-enabled")));
        QVERIFY(QFile::link(QStringLiteral("../sites-available/example.com"),
                            m_root + QStringLiteral("/etc/nginx/sites-enabled/example.com")));
    }

    void cleanup()
    {
        const QStringList found = m_box ? pwned() : QStringList();
        const QStringList left =
            m_box ? QDir(m_tmp).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot)
                  : QStringList();
        m_box.reset();
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char(' '))));
        QVERIFY2(left.isEmpty(), qPrintable(QStringLiteral("scratch files left behind: ") +
                                            left.join(QLatin1Char(' '))));
    }

    // Every command and every error path: exit code, one JSON object, ok, code.
    void envelope_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("code");
        const QString none;
        const QStringList noEnv;
        auto row = [&](const char* name, const QStringList& args, const QString& setup,
                       const QStringList& env, int exitCode, bool ok, const QString& code) {
            QTest::newRow(name) << args << setup << env << exitCode << ok << code;
        };
        auto okRow = [&](const char* name, const QStringList& args) {
            row(name, args, none, noEnv, 0, true, none);
        };
        auto L = [](std::initializer_list<const char*> l) {
            QStringList out;
            for (const char* s : l)
                out << QString::fromUtf8(s);
            return out;
        };

        // Every command, success.
        okRow("version", L({"version"}));
        okRow("help", L({"help"}));
        okRow("health", L({"health"}));
        okRow("stats", L({"stats"}));
        okRow("site:list", L({"site:list"}));
        okRow("site:info", L({"site:info", "example.com"}));
        for (const char* d : {"uptime", "df", "free", "os-release", "hostname", "loadavg"})
            okRow(qPrintable(QStringLiteral("diag %1").arg(QLatin1String(d))), L({"diag", d}));
        okRow("args:echo none", L({"args:echo"}));
        okRow("args:echo some", L({"args:echo", "a", "b c"}));
        okRow("-- before command", L({"--", "version"}));

        // Usage errors (exit 2).
        row("no command", {}, none, noEnv, 2, false, QStringLiteral("USAGE"));
        row("unknown command", L({"frobnicate"}), none, noEnv, 2, false,
            QStringLiteral("UNKNOWN_COMMAND"));
        row("hostile command", L({"$(touch PWNED)"}), none, noEnv, 2, false,
            QStringLiteral("UNKNOWN_COMMAND"));
        row("upstream command", L({"monitor:health"}), none, noEnv, 2, false,
            QStringLiteral("UNKNOWN_COMMAND"));
        row("upper-case command", L({"VERSION"}), none, noEnv, 2, false,
            QStringLiteral("UNKNOWN_COMMAND"));
        row("version extra", L({"version", "x"}), none, noEnv, 2, false, QStringLiteral("USAGE"));
        row("help extra", L({"help", "x"}), none, noEnv, 2, false, QStringLiteral("USAGE"));
        row("health extra", L({"health", "--format=json"}), none, noEnv, 2, false,
            QStringLiteral("USAGE"));
        row("stats extra", L({"stats", "x"}), none, noEnv, 2, false, QStringLiteral("USAGE"));
        row("site:list extra", L({"site:list", "x"}), none, noEnv, 2, false,
            QStringLiteral("USAGE"));
        row("site:info missing", L({"site:info"}), none, noEnv, 2, false, QStringLiteral("USAGE"));
        row("site:info extra", L({"site:info", "a.com", "b.com"}), none, noEnv, 2, false,
            QStringLiteral("USAGE"));
        row("diag missing", L({"diag"}), none, noEnv, 2, false, QStringLiteral("USAGE"));
        row("diag extra", L({"diag", "uptime", "x"}), none, noEnv, 2, false,
            QStringLiteral("USAGE"));
        row("unknown option", L({"--format=json", "version"}), none, noEnv, 2, false,
            QStringLiteral("USAGE"));
        row("option after nothing", L({"--verbose"}), none, noEnv, 2, false,
            QStringLiteral("USAGE"));

        // Command errors (exit 1).
        row("invalid domain", L({"site:info", "Example.COM"}), none, noEnv, 1, false,
            QStringLiteral("INVALID_DOMAIN"));
        row("site not found", L({"site:info", "missing.com"}), none, noEnv, 1, false,
            QStringLiteral("SITE_NOT_FOUND"));
        row("diag not allowed", L({"diag", "whoami"}), none, noEnv, 1, false,
            QStringLiteral("DIAG_NOT_ALLOWED"));
        row("diag command line", L({"diag", "uptime; id"}), none, noEnv, 1, false,
            QStringLiteral("DIAG_NOT_ALLOWED"));
        row("diag empty", L({"diag", ""}), none, noEnv, 1, false,
            QStringLiteral("DIAG_NOT_ALLOWED"));
        row("diag tool missing", L({"diag", "uptime"}), QStringLiteral("emptyPath"), noEnv, 1,
            false, QStringLiteral("DIAG_FAILED"));

        // Registry problems.
        for (const char* cmd : {"site:list", "site:info"}) {
            QStringList a{QString::fromUtf8(cmd)};
            if (a.first() == QLatin1String("site:info"))
                a << QStringLiteral("example.com");
            const QString c = QString::fromUtf8(cmd);
            row(qPrintable(c + QStringLiteral(" missing registry")), a,
                QStringLiteral("registry:missing"), noEnv, 1, false,
                QStringLiteral("REGISTRY_NOT_FOUND"));
            row(qPrintable(c + QStringLiteral(" registry is a directory")), a,
                QStringLiteral("registry:dir"), noEnv, 1, false,
                QStringLiteral("REGISTRY_UNREADABLE"));
            const QList<QPair<const char*, const char*>> garbage{
                {"garbage", "this is not json {"},
                {"empty", ""},
                {"truncated", "{\"sites\":[{\"domain\":"},
                {"array", "[]"},
                {"sites object", "{\"sites\":{}}"},
                {"no sites", "{}"},
                {"domain number", "{\"sites\":[{\"domain\":1}]}"},
                {"entry string", "{\"sites\":[\"a.com\"]}"},
                {"two documents", "{\"sites\":[]}{\"sites\":[]}"},
                {"binary", "\x01\x02\xff\xfe"}};
            for (const auto& [gname, content] : garbage)
                row(qPrintable(c + QStringLiteral(" registry ") + QLatin1String(gname)), a,
                    QStringLiteral("registry:") + QString::fromLatin1(content), noEnv, 1, false,
                    QStringLiteral("REGISTRY_CORRUPT"));
            row(qPrintable(c + QStringLiteral(" without jq")), a, QStringLiteral("noJq"), noEnv, 1,
                false, QStringLiteral("DEPENDENCY_MISSING"));
        }
        row("site:list empty registry", L({"site:list"}), QStringLiteral("registry:{\"sites\":[]}"),
            noEnv, 0, true, none);
        row("stats missing registry", L({"stats"}), QStringLiteral("registry:missing"), noEnv, 0,
            true, none);
        row("stats garbage registry", L({"stats"}), QStringLiteral("registry:garbage"), noEnv, 0,
            true, none);
        row("health without jq", L({"health"}), QStringLiteral("noJq"), noEnv, 0, true, none);
        // No scratch file can be made: the tools that need one fail, coded.
        const QStringList noTmp{QStringLiteral("TMPDIR=/nonexistent/chom-agent-tmp")};
        row("no scratch site:list", L({"site:list"}), none, noTmp, 1, false,
            QStringLiteral("REGISTRY_UNREADABLE"));
        row("no scratch diag", L({"diag", "uptime"}), none, noTmp, 1, false,
            QStringLiteral("DIAG_FAILED"));
        row("no scratch stats", L({"stats"}), none, noTmp, 0, true, none);
        row("no scratch version", L({"version"}), none, noTmp, 0, true, none);
        row("stats without jq", L({"stats"}), QStringLiteral("noJq"), noEnv, 0, true, none);
        // No program at all in PATH: still one envelope each.
        for (const char* cmd : {"version", "help", "health", "stats", "args:echo"})
            row(qPrintable(QStringLiteral("empty PATH %1").arg(QLatin1String(cmd))),
                {QString::fromUtf8(cmd)}, QStringLiteral("emptyPath"), noEnv, 0, true, none);
        row("empty PATH site:list", L({"site:list"}), QStringLiteral("emptyPath"), noEnv, 1, false,
            QStringLiteral("DEPENDENCY_MISSING"));
        row("empty PATH site:info", L({"site:info", "example.com"}), QStringLiteral("emptyPath"),
            noEnv, 1, false, QStringLiteral("DEPENDENCY_MISSING"));
        row("empty PATH invalid domain", L({"site:info", "-x"}), QStringLiteral("emptyPath"), noEnv,
            1, false, QStringLiteral("INVALID_DOMAIN"));

        // Root problems (usage, exit 2).
        row("relative root", L({"version"}), QStringLiteral("root:relative/dir"), noEnv, 2, false,
            QStringLiteral("INVALID_ROOT"));
        row("missing root", L({"version"}), QStringLiteral("root:/nonexistent/chom-agent-root"),
            noEnv, 2, false, QStringLiteral("INVALID_ROOT"));
        row("empty root", L({"version"}), QStringLiteral("root:"), noEnv, 2, false,
            QStringLiteral("INVALID_ROOT"));
        row("root without value", L({"--root"}), QStringLiteral("root:none"), noEnv, 2, false,
            QStringLiteral("USAGE"));

        // An unwritable log never changes the answer.
        for (const char* mode : {"logIsDir", "logDirIsFile"})
            for (const char* cmd : {"version", "health"})
                row(qPrintable(
                        QStringLiteral("%1 %2").arg(QLatin1String(mode), QLatin1String(cmd))),
                    {QString::fromUtf8(cmd)}, QString::fromUtf8(mode), noEnv, 0, true, none);
        row("logIsDir error", L({"site:info", "missing.com"}), QStringLiteral("logIsDir"), noEnv, 1,
            false, QStringLiteral("SITE_NOT_FOUND"));

        // Injected unexpected failures: one INTERNAL_ERROR envelope, exit 3.
        const QList<QPair<const char*, QStringList>> steps{
            {"main.start", L({"version"})},
            {"dispatch", L({"version"})},
            {"health.probe", L({"health"})},
            {"health.classify", L({"health"})},
            {"stats.probe", L({"stats"})},
            {"registry.read", L({"site:list"})},
            {"site.info", L({"site:info", "example.com"})},
            {"diag.run", L({"diag", "uptime"})},
            {"args.echo", L({"args:echo", "x"})},
            {"ok", L({"version"})}};
        // Every step fails plainly; every way of failing is tried at the start,
        // in the middle of a command and just before the success is written.
        for (const auto& [step, args] : steps)
            for (const char* mode : {"false", "unbound", "exit", "subshell", "signal"}) {
                const QString s = QLatin1String(step);
                if (qstrcmp(mode, "false") != 0 && s != QLatin1String("main.start") &&
                    s != QLatin1String("health.probe") && s != QLatin1String("registry.read") &&
                    s != QLatin1String("ok"))
                    continue;
                const QString fail = QStringLiteral("%1:%2").arg(s, QLatin1String(mode));
                row(qPrintable(QStringLiteral("fail ") + fail), args, none,
                    {QStringLiteral("CHOM_AGENT_TEST_FAIL=") + fail}, 3, false,
                    QStringLiteral("INTERNAL_ERROR"));
            }
        row("fail default mode", L({"health"}), none,
            {QStringLiteral("CHOM_AGENT_TEST_FAIL=health.probe")}, 3, false,
            QStringLiteral("INTERNAL_ERROR"));
        // Junk written to stdout by a step never reaches stdout.
        for (const char* step : {"main.start", "dispatch", "health.probe", "ok"})
            row(qPrintable(QStringLiteral("noise %1").arg(QLatin1String(step))), L({"health"}),
                none, {QStringLiteral("CHOM_AGENT_TEST_FAIL=%1:noise").arg(QLatin1String(step))}, 0,
                true, none);
    }

    void envelope()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, setup);
        QFETCH(QStringList, env);
        QFETCH(int, exitCode);
        QFETCH(bool, ok);
        QFETCH(QString, code);

        const QString registry = m_root + QStringLiteral("/var/lib/chom-agent/sites.json");
        bool withRoot = true;
        if (setup.startsWith(QLatin1String("registry:"))) {
            const QString content = setup.mid(9);
            QFile::remove(registry);
            if (content == QLatin1String("dir"))
                QVERIFY(QDir().mkpath(registry));
            else if (content != QLatin1String("missing"))
                put(QStringLiteral("var/lib/chom-agent/sites.json"), content.toLatin1());
        } else if (setup == QLatin1String("noJq")) {
            env << QStringLiteral("PATH=") + m_pathNoJq.path();
        } else if (setup == QLatin1String("emptyPath")) {
            env << QStringLiteral("PATH=") + m_emptyPath.path();
        } else if (setup == QLatin1String("logIsDir")) {
            QVERIFY(QDir().mkpath(m_root + QStringLiteral("/var/log/chom-agent.log")));
        } else if (setup == QLatin1String("logDirIsFile")) {
            QVERIFY(QDir(m_root + QStringLiteral("/var/log")).removeRecursively());
            put(QStringLiteral("var/log"), "not a directory");
        } else if (setup.startsWith(QLatin1String("root:"))) {
            withRoot = false;
            const QString root = setup.mid(5);
            if (root != QLatin1String("none"))
                args.prepend(QStringLiteral("--root=") + root);
        }

        const Run r = run(args, env, withRoot);
        CHECK_ENVELOPE(r, exitCode, ok, code);
        if (!args.isEmpty() && !args.first().startsWith(QLatin1Char('-')) &&
            code != QLatin1String("INTERNAL_ERROR"))
            QCOMPARE(r.obj.value(QLatin1String("command")).toString(), args.first());
    }

    void versionMatchesFile()
    {
        const Run r = run({QStringLiteral("version")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("version")).toString(), shippedVersion());
        QCOMPARE(r.data().value(QLatin1String("root")).toString(), m_root);
        // The built-in version is the VERSION file's.
        QFile f(kScript);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains(
            QByteArray("readonly AGENT_VERSION=\"" + shippedVersion().toUtf8() + "\"")));
    }

    void rootSelection()
    {
        const QStringList version{QStringLiteral("version")};
        auto rootOf = [](const Run& r) { return r.data().value(QLatin1String("root")).toString(); };
        // The environment variable when there is no option.
        Run r = run(version, {QStringLiteral("CHOM_AGENT_ROOT=") + m_root}, false);
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(rootOf(r), m_root);
        // The option wins over the environment; both spellings; trailing slashes dropped.
        r = run(QStringList{QStringLiteral("--root"), m_root + QStringLiteral("//")} + version,
                {QStringLiteral("CHOM_AGENT_ROOT=/nonexistent")}, false);
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(rootOf(r), m_root);
        r = run(QStringList{QStringLiteral("--root=") + m_root} + version, {}, false);
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(rootOf(r), m_root);
        // An invalid environment root is reported like an invalid option.
        r = run(version, {QStringLiteral("CHOM_AGENT_ROOT=relative")}, false);
        CHECK_ENVELOPE(r, 2, false, QStringLiteral("INVALID_ROOT"));
        // Paths follow the root: the registry of another root is another registry.
        QTemporaryDir other;
        QVERIFY(QDir().mkpath(other.path() + QStringLiteral("/var/lib/chom-agent")));
        r = run({QStringLiteral("--root"), other.path(), QStringLiteral("site:list")}, {}, false);
        CHECK_ENVELOPE(r, 1, false, QStringLiteral("REGISTRY_NOT_FOUND"));
        QVERIFY(r.obj.value(QLatin1String("error"))
                    .toObject()
                    .value(QLatin1String("message"))
                    .toString()
                    .contains(other.path()));
        // (The default root "/" is exercised by testHookOnlyInSandbox only, with
        // version and health, which are safe to run for real.)
    }

    // The test hook works in a sandbox only: at the real root "/" (the
    // default, or --root /) CHOM_AGENT_TEST_FAIL changes nothing, so a stray
    // variable on a host can never make the agent fail. version and health
    // are safe to run for real; they pass through main.start, dispatch, the
    // health steps and ok.
    void testHookOnlyInSandbox_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("hook");
        for (const char* hook : {"main.start", "main.start:exit", "dispatch:signal", "ok",
                                 "ok:unbound", "ok:subshell", "ok:noise"})
            QTest::newRow(qPrintable(QStringLiteral("version %1").arg(QLatin1String(hook))))
                << QStringLiteral("version") << QString::fromLatin1(hook);
        for (const char* hook : {"health.probe", "health.classify:exit", "ok:signal"})
            QTest::newRow(qPrintable(QStringLiteral("health %1").arg(QLatin1String(hook))))
                << QStringLiteral("health") << QString::fromLatin1(hook);
    }

    void testHookOnlyInSandbox()
    {
        QFETCH(QString, command);
        QFETCH(QString, hook);
        const QStringList env{QStringLiteral("CHOM_AGENT_TEST_FAIL=") + hook};

        // In the sandbox the hook fires (noise carries on: one success).
        Run r = run({command}, env);
        if (hook.endsWith(QLatin1String(":noise")))
            CHECK_ENVELOPE(r, 0, true, QString());
        else
            CHECK_ENVELOPE(r, 3, false, QStringLiteral("INTERNAL_ERROR"));

        // At the real root it does not. The real run appends its line to
        // /var/log/chom-agent.log when that is writable: a log this test
        // creates is removed again.
        const QString realLog = QStringLiteral("/var/log/chom-agent.log");
        const bool hadLog = QFileInfo::exists(realLog);
        auto dropLog = qScopeGuard([&] {
            if (!hadLog)
                QFile::remove(realLog);
        });
        for (const QStringList& args :
             {QStringList{command},
              QStringList{QStringLiteral("--root"), QStringLiteral("/"), command}}) {
            r = run(args, env, false);
            CHECK_ENVELOPE(r, 0, true, QString());
            if (command == QLatin1String("version"))
                QCOMPARE(r.data().value(QLatin1String("root")).toString(), QStringLiteral("/"));
            else
                QVERIFY(r.data().contains(QLatin1String("status")));
        }
    }

    void health_data()
    {
        QTest::addColumn<QByteArray>("loadavg");
        QTest::addColumn<int>("cpus");
        QTest::addColumn<QByteArray>("mem");
        QTest::addColumn<QByteArray>("df");
        QTest::addColumn<QByteArray>("services");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QStringList>("issues"); // one substring per expected issue, in order

        const QByteArray load = "0.50 0.40 0.30 1/100 1234\n";
        const QByteArray mem = meminfo(1000000, 500000); // 50 %
        const QByteArray disk = "1000 500 500\n";        // 50 %
        const QByteArray up = "nginx=running\nphp_fpm=running\nmariadb=running\n";
        auto row = [](const char* name, const QByteArray& l, int cpus, const QByteArray& m,
                      const QByteArray& d, const QByteArray& s, const char* status,
                      const QStringList& issues) {
            QTest::newRow(name) << l << cpus << m << d << s << QString::fromLatin1(status)
                                << issues;
        };
        const QStringList none;

        row("all fine", load, 4, mem, disk, up, "healthy", none);
        row("disk 84.9", load, 4, mem, "1000 849 151\n", up, "healthy", none);
        row("disk 85.0", load, 4, mem, "1000 850 150\n", up, "degraded",
            {QStringLiteral("disk usage 85.0% is at or above 85%")});
        row("disk 94.9", load, 4, mem, "1000 949 51\n", up, "degraded",
            {QStringLiteral("disk usage 94.9%")});
        row("disk 95.0", load, 4, mem, "1000 950 50\n", up, "unhealthy",
            {QStringLiteral("disk usage 95.0% is at or above 95%")});
        row("disk full", load, 4, mem, "1000 1000 0\n", up, "unhealthy",
            {QStringLiteral("disk usage 100.0%")});
        row("disk reserved blocks", load, 4, mem, "1000 810 140\n", up, "degraded",
            {QStringLiteral("disk usage 85.3%")});
        row("memory 89.9", load, 4, meminfo(1000, 101), disk, up, "healthy", none);
        row("memory 90.0", load, 4, meminfo(1000, 100), disk, up, "degraded",
            {QStringLiteral("memory usage 90.0% is at or above 90%")});
        row("memory 95.0", load, 4, meminfo(1000, 50), disk, up, "unhealthy",
            {QStringLiteral("memory usage 95.0% is at or above 95%")});
        row("old kernel meminfo", load, 4,
            "MemTotal: 1000 kB\nMemFree: 40 kB\nBuffers: 5 kB\nCached: 5 kB\n", disk, up,
            "unhealthy", {QStringLiteral("memory usage 95.0%")});
        row("load equals cpus", "4.00 1.00 1.00 1/1 1\n", 4, mem, disk, up, "healthy", none);
        row("load above cpus", "4.01 1.00 1.00 1/1 1\n", 4, mem, disk, up, "degraded",
            {QStringLiteral("load average 4.01 exceeds the CPU count 4")});
        row("load one cpu", "1.5 0.2 0.1 1/1 1\n", 1, mem, disk, up, "degraded",
            {QStringLiteral("load average 1.5")});
        row("nginx stopped", load, 4, mem, disk,
            "nginx=stopped\nphp_fpm=running\nmariadb=running\n", "unhealthy",
            {QStringLiteral("nginx is installed but not running")});
        row("php-fpm stopped", load, 4, mem, disk,
            "nginx=running\nphp-fpm=stopped\nmariadb=running\n", "unhealthy",
            {QStringLiteral("php_fpm is installed but not running")});
        row("mariadb stopped", load, 4, mem, disk,
            "nginx=running\nphp_fpm=running\nmariadb=stopped\n", "unhealthy",
            {QStringLiteral("mariadb is installed but not running")});
        row("absent services", load, 4, mem, disk, "nginx=running\n", "healthy", none);
        row("everything wrong", "9.00 1 1 1/1 1\n", 2, meminfo(1000, 10), "1000 990 10\n",
            "nginx=stopped\nphp_fpm=stopped\nmariadb=stopped\n", "unhealthy",
            {QStringLiteral("nginx"), QStringLiteral("php_fpm"), QStringLiteral("mariadb"),
             QStringLiteral("disk usage 99.0%"), QStringLiteral("memory usage 99.0%"),
             QStringLiteral("load average 9.00")});
        row("disk unreadable", load, 4, mem, "garbage\n", up, "degraded",
            {QStringLiteral("disk usage could not be read")});
        row("memory unreadable", load, 4, "nonsense\n", disk, up, "degraded",
            {QStringLiteral("memory usage could not be read")});
        row("load unreadable", "x y z\n", 4, mem, disk, up, "degraded",
            {QStringLiteral("load average could not be read")});
    }

    void health()
    {
        QFETCH(QByteArray, loadavg);
        QFETCH(int, cpus);
        QFETCH(QByteArray, mem);
        QFETCH(QByteArray, df);
        QFETCH(QByteArray, services);
        QFETCH(QString, status);
        QFETCH(QStringList, issues);
        putReadings(loadavg, cpus, mem, df, services);

        const Run r = run({QStringLiteral("health")});
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonObject d = r.data();
        QCOMPARE(d.value(QLatin1String("status")).toString(), status);
        const QJsonArray got = d.value(QLatin1String("issues")).toArray();
        QVERIFY2(got.size() == issues.size(), qPrintable(QJsonDocument(got).toJson()));
        for (int i = 0; i < issues.size(); ++i)
            QVERIFY2(got.at(i).toString().contains(issues.at(i)), qPrintable(got.at(i).toString()));

        // Types: numbers are numbers (or null when unreadable), states are strings.
        for (const char* key : {"load", "memory", "disk"}) {
            const QJsonObject o = d.value(QLatin1String(key)).toObject();
            QVERIFY2(!o.isEmpty(), key);
            for (auto it = o.begin(); it != o.end(); ++it)
                QVERIFY2(it.value().isDouble() || it.value().isNull(), qPrintable(it.key()));
        }
        QCOMPARE(d.value(QLatin1String("load")).toObject().value(QLatin1String("cpus")).toInt(),
                 cpus);
        QCOMPARE(d.value(QLatin1String("uptime_seconds")).toInt(), 12345);
        const QJsonObject svc = d.value(QLatin1String("services")).toObject();
        QCOMPARE(svc.keys(), (QStringList{QStringLiteral("mariadb"), QStringLiteral("nginx"),
                                          QStringLiteral("php_fpm")}));
        for (const QJsonValue& s : svc)
            QVERIFY(QStringList({QStringLiteral("running"), QStringLiteral("stopped"),
                                 QStringLiteral("absent")})
                        .contains(s.toObject().value(QLatin1String("state")).toString()));
        QVERIFY(QDateTime::fromString(d.value(QLatin1String("timestamp")).toString(), Qt::ISODate)
                    .isValid());
    }

    void healthValues()
    {
        putReadings("1.25 0.75 0.05 1/1 1\n", 2, meminfo(2000000, 500000), "4000 1000 3000\n",
                    "nginx=running\nphp_fpm=stopped\n");
        const Run r = run({QStringLiteral("health")});
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonObject d = r.data();
        const QJsonObject load = d.value(QLatin1String("load")).toObject();
        QCOMPARE(load.value(QLatin1String("load1")).toDouble(), 1.25);
        QCOMPARE(load.value(QLatin1String("load5")).toDouble(), 0.75);
        QCOMPARE(load.value(QLatin1String("load15")).toDouble(), 0.05);
        const QJsonObject mem = d.value(QLatin1String("memory")).toObject();
        QCOMPARE(mem.value(QLatin1String("total_bytes")).toDouble(), 2000000.0 * 1024);
        QCOMPARE(mem.value(QLatin1String("available_bytes")).toDouble(), 500000.0 * 1024);
        QCOMPARE(mem.value(QLatin1String("used_percent")).toDouble(), 75.0);
        const QJsonObject disk = d.value(QLatin1String("disk")).toObject();
        QCOMPARE(disk.value(QLatin1String("total_bytes")).toDouble(), 4000.0 * 1024);
        QCOMPARE(disk.value(QLatin1String("used_bytes")).toDouble(), 1000.0 * 1024);
        QCOMPARE(disk.value(QLatin1String("available_bytes")).toDouble(), 3000.0 * 1024);
        QCOMPARE(disk.value(QLatin1String("used_percent")).toDouble(), 25.0);
        const QJsonObject svc = d.value(QLatin1String("services")).toObject();
        QCOMPARE(
            svc.value(QLatin1String("nginx")).toObject().value(QLatin1String("state")).toString(),
            QStringLiteral("running"));
        QCOMPARE(
            svc.value(QLatin1String("php_fpm")).toObject().value(QLatin1String("state")).toString(),
            QStringLiteral("stopped"));
        QCOMPARE(
            svc.value(QLatin1String("mariadb")).toObject().value(QLatin1String("state")).toString(),
            QStringLiteral("absent"));
        QCOMPARE(d.value(QLatin1String("status")).toString(), QStringLiteral("unhealthy"));
    }

    // No injected readings: the real probes (df of the root, /proc, pgrep,
    // nproc) under a root whose path needs quoting.
    void realProbes()
    {
        const QString odd = m_box->path() + QStringLiteral("/odd root $(touch PWNED) 'x' ; y");
        QVERIFY(QDir().mkpath(odd + QStringLiteral("/var/lib/chom-agent")));
        // The service set is the test's, not the machine's: a box with nginx
        // installed but stopped (here a stand-in nginx on PATH) reads the same.
        QVERIFY(QDir().mkpath(odd + QStringLiteral("/etc/chom-agent")));
        QFile services(odd + QStringLiteral("/etc/chom-agent/services"));
        QVERIFY(services.open(QIODevice::WriteOnly));
        services.write("nginx=absent\nphp_fpm=absent\nmariadb=absent\n");
        services.close();
        const QString stubs = m_box->path() + QStringLiteral("/stub-bin");
        QVERIFY(QDir().mkpath(stubs));
        QFile nginx(stubs + QStringLiteral("/nginx"));
        QVERIFY(nginx.open(QIODevice::WriteOnly));
        nginx.write("#!/bin/sh\nexit 0\n");
        nginx.close();
        QVERIFY(nginx.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const QStringList root{QStringLiteral("--root"), odd};
        Run r = run(root + QStringList{QStringLiteral("health")},
                    {QStringLiteral("PATH=%1:%2").arg(stubs, qEnvironmentVariable("PATH"))}, false);
        CHECK_ENVELOPE(r, 0, true, QString());
        QJsonObject d = r.data();
        QCOMPARE(d.value(QLatin1String("services"))
                     .toObject()
                     .value(QLatin1String("nginx"))
                     .toObject()
                     .value(QLatin1String("state"))
                     .toString(),
                 QStringLiteral("absent"));
        for (const char* key : {"load", "memory", "disk"}) {
            const QJsonObject o = d.value(QLatin1String(key)).toObject();
            for (auto it = o.begin(); it != o.end(); ++it)
                QVERIFY2(it.value().isDouble(),
                         qPrintable(QStringLiteral("%1.%2").arg(QLatin1String(key), it.key())));
        }
        QVERIFY(d.value(QLatin1String("uptime_seconds")).toDouble() > 0);
        // The CPU count comes from /proc/self/status without a fork: it must
        // agree with nproc.
        QProcess nproc;
        nproc.start(QStringLiteral("nproc"), {});
        QVERIFY(nproc.waitForFinished(10000));
        QCOMPARE(d.value(QLatin1String("load")).toObject().value(QLatin1String("cpus")).toInt(),
                 nproc.readAllStandardOutput().trimmed().toInt());
        for (const QJsonValue& s : d.value(QLatin1String("services")).toObject())
            QVERIFY(QStringList({QStringLiteral("running"), QStringLiteral("stopped"),
                                 QStringLiteral("absent")})
                        .contains(s.toObject().value(QLatin1String("state")).toString()));
        QVERIFY(QStringList({QStringLiteral("healthy"), QStringLiteral("degraded"),
                             QStringLiteral("unhealthy")})
                    .contains(d.value(QLatin1String("status")).toString()));
        r = run(root + QStringList{QStringLiteral("version")}, {}, false);
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("root")).toString(), odd);

        // With no program at all, readings that need one are null and
        // reported; the answer is still one envelope.
        r = run(root + QStringList{QStringLiteral("health")},
                {QStringLiteral("PATH=") + m_emptyPath.path()}, false);
        CHECK_ENVELOPE(r, 0, true, QString());
        d = r.data();
        QVERIFY(d.value(QLatin1String("disk"))
                    .toObject()
                    .value(QLatin1String("used_percent"))
                    .isNull());
        // /proc readings need no program.
        QVERIFY(d.value(QLatin1String("load")).toObject().value(QLatin1String("cpus")).isDouble());
        QVERIFY(d.value(QLatin1String("memory"))
                    .toObject()
                    .value(QLatin1String("used_percent"))
                    .isDouble());
        QCOMPARE(d.value(QLatin1String("status")).toString(), QStringLiteral("degraded"));
        const QJsonArray issues = d.value(QLatin1String("issues")).toArray();
        QVERIFY2(issues.contains(QStringLiteral("disk usage could not be read")),
                 qPrintable(r.describe()));
        QVERIFY2(!issues.contains(QStringLiteral("load average could not be read")),
                 qPrintable(r.describe()));
    }

    void healthThresholds()
    {
        putReadings("0.1 0.1 0.1 1/1 1\n", 4, meminfo(1000, 400), "1000 700 300\n",
                    "nginx=running\n");
        Run r = run({QStringLiteral("health")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("status")).toString(), QStringLiteral("healthy"));
        // Lower thresholds from the config file; invalid lines are ignored.
        put(QStringLiteral("etc/chom-agent/thresholds"),
            "# "
            "comment\ndisk_degraded=60\ndisk_unhealthy=70\nmemory_degraded=50\nmemory_unhealthy="
            "0\nbogus\n"
            "memory_unhealthy=abc\n");
        r = run({QStringLiteral("health")});
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonObject d = r.data();
        QCOMPARE(d.value(QLatin1String("status")).toString(), QStringLiteral("unhealthy"));
        const QJsonObject t = d.value(QLatin1String("thresholds")).toObject();
        QCOMPARE(t.value(QLatin1String("disk_degraded")).toInt(), 60);
        QCOMPARE(t.value(QLatin1String("disk_unhealthy")).toInt(), 70);
        QCOMPARE(t.value(QLatin1String("memory_degraded")).toInt(), 50);
        QCOMPARE(t.value(QLatin1String("memory_unhealthy")).toInt(), 95);
        const QJsonArray issues = d.value(QLatin1String("issues")).toArray();
        QCOMPARE(issues.size(), 2);
        QVERIFY(issues.at(0).toString().contains(QLatin1String("at or above 70%")));
        QVERIFY(issues.at(1).toString().contains(QLatin1String("at or above 50%")));
    }

    void stats()
    {
        Run r = run({QStringLiteral("stats")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QJsonObject d = r.data();
        QCOMPARE(d.value(QLatin1String("uptime_seconds")).toInt(), 12345);
        QCOMPARE(d.value(QLatin1String("sites_count")).toInt(), 2);
        QVERIFY(d.value(QLatin1String("process_count")).toInt() > 0);
        QCOMPARE(d.value(QLatin1String("load")).toObject().value(QLatin1String("load1")).toDouble(),
                 0.5);
        QCOMPARE(d.value(QLatin1String("memory"))
                     .toObject()
                     .value(QLatin1String("used_percent"))
                     .toDouble(),
                 25.0);
        QCOMPARE(d.value(QLatin1String("disk"))
                     .toObject()
                     .value(QLatin1String("used_percent"))
                     .toDouble(),
                 50.0);
        QVERIFY(QDateTime::fromString(d.value(QLatin1String("timestamp")).toString(), Qt::ISODate)
                    .isValid());
        // An unreadable registry makes the count null, not the command fail.
        QFile::remove(m_root + QStringLiteral("/var/lib/chom-agent/sites.json"));
        r = run({QStringLiteral("stats")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QVERIFY(r.data().value(QLatin1String("sites_count")).isNull());
    }

    void siteList()
    {
        const Run r = run({QStringLiteral("site:list")});
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonObject d = r.data();
        QCOMPARE(d.value(QLatin1String("count")).toInt(), 2);
        const QJsonArray sites = d.value(QLatin1String("sites")).toArray();
        QCOMPARE(sites.size(), 2);
        const QJsonObject a = sites.at(0).toObject();
        const QJsonObject b = sites.at(1).toObject();
        QCOMPARE(a.value(QLatin1String("domain")).toString(), QStringLiteral("example.com"));
        QCOMPARE(a.value(QLatin1String("type")).toString(), QStringLiteral("wordpress"));
        QVERIFY(a.value(QLatin1String("php_version")).isString());
        QCOMPARE(a.value(QLatin1String("php_version")).toString(), QStringLiteral("8.2"));
        QCOMPARE(a.value(QLatin1String("enabled")).toBool(), true);
        QCOMPARE(a.value(QLatin1String("created_at")).toString(),
                 QStringLiteral("2025-01-02T03:04:05Z"));
        // A legacy numeric php_version comes back as a string; other fields survive.
        QVERIFY(b.value(QLatin1String("php_version")).isString());
        QCOMPARE(b.value(QLatin1String("php_version")).toString(), QStringLiteral("8.4"));
        QCOMPARE(b.value(QLatin1String("enabled")).toBool(), false);
        QCOMPARE(b.value(QLatin1String("note")).toString(),
                 QStringLiteral("line1\nline2\u0001 \"quoted\""));
    }

    // A large registry comes back whole, in order, and one entry of it is
    // found. The registry is read in one pass: splitting the output field by
    // field off the front of one long string took minutes at this size, far
    // beyond the 30 s each run is allowed here.
    void siteListLargeRegistry()
    {
        const int n = 5000;
        QByteArray json = "{\"sites\":[";
        for (int i = 0; i < n; ++i) {
            const QByteArray d = "site" + QByteArray::number(i) + ".example.com";
            json += (i ? "," : "") + QByteArray("{\"domain\":\"") + d +
                    "\",\"type\":\"wordpress\",\"php_version\":" + (i % 2 ? "8.3" : "\"8.2\"") +
                    ",\"site_root\":\"/var/www/sites/" + d +
                    "\",\"enabled\":true,\"note\":\"line\\nbreak \\u00e9\"}";
        }
        json += "]}";
        put(QStringLiteral("var/lib/chom-agent/sites.json"), json);

        Run r = run({QStringLiteral("site:list")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("count")).toInt(), n);
        const QJsonArray sites = r.data().value(QLatin1String("sites")).toArray();
        QCOMPARE(sites.size(), n);
        for (int i = 0; i < n; ++i) {
            const QJsonObject s = sites.at(i).toObject();
            QCOMPARE(s.value(QLatin1String("domain")).toString(),
                     QStringLiteral("site%1.example.com").arg(i));
            QCOMPARE(s.value(QLatin1String("php_version")).toString(),
                     i % 2 ? QStringLiteral("8.3") : QStringLiteral("8.2"));
            QCOMPARE(s.value(QLatin1String("note")).toString(), QStringLiteral("line\nbreak é"));
        }

        r = run({QStringLiteral("site:info"), QStringLiteral("site4999.example.com")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("site_root")).toString(),
                 QStringLiteral("/var/www/sites/site4999.example.com"));
        QCOMPARE(r.data().value(QLatin1String("php_version")).toString(), QStringLiteral("8.3"));
        r = run({QStringLiteral("stats")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("sites_count")).toInt(), n);
    }

    // The fields of the registry reading survive odd site_root values: empty,
    // ending in newlines, made of newlines, holding a NUL, not a string.
    void siteRootParsing()
    {
        put(QStringLiteral("var/lib/chom-agent/sites.json"),
            "{\"sites\":[{\"domain\":\"a.org\",\"site_root\":\"\"},"
            "{\"domain\":\"b.org\",\"site_root\":\"/var/www/b\\n\\n\"},"
            "{\"domain\":\"c.org\",\"site_root\":\"\\n\"},"
            "{\"domain\":\"d.org\",\"site_root\":\"/var/\\u0000www\"},"
            "{\"domain\":\"e.org\",\"site_root\":[\"/var/www\"]},"
            "{\"domain\":\"f.org\",\"site_root\":\"/var/www/sites/example.com\"}]}");
        Run r = run({QStringLiteral("site:list")});
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonArray sites = r.data().value(QLatin1String("sites")).toArray();
        QCOMPARE(sites.size(), 6);
        QCOMPARE(sites.at(0).toObject().value(QLatin1String("site_root")).toString(), QString());
        QCOMPARE(sites.at(1).toObject().value(QLatin1String("site_root")).toString(),
                 QStringLiteral("/var/www/b\n\n"));
        QCOMPARE(sites.at(2).toObject().value(QLatin1String("site_root")).toString(),
                 QStringLiteral("\n"));
        QCOMPARE(sites.at(3).toObject().value(QLatin1String("site_root")).toString(),
                 QStringLiteral("/var/") + QChar(0) + QStringLiteral("www"));
        QVERIFY(sites.at(4).toObject().value(QLatin1String("site_root")).isArray());

        // The entry after each odd value is still whole.
        for (const char* d : {"a.org", "e.org", "f.org"}) {
            r = run({QStringLiteral("site:info"), QString::fromLatin1(d)});
            CHECK_ENVELOPE(r, 0, true, QString());
            QCOMPARE(r.data().value(QLatin1String("domain")).toString(), QString::fromLatin1(d));
            QVERIFY(r.data().value(QLatin1String("vhost_enabled")).isBool());
        }
        QVERIFY(r.data().value(QLatin1String("disk_usage_mb")).isDouble());
    }

    // A TERM or HUP while a long tool runs is answered at once: one envelope,
    // and the caller's stream ends with it (the tool neither keeps running
    // nor holds the envelope's pipe open). The agent runs as `agent | cat`
    // so that the run ends only when every writer of that pipe is gone, as
    // an SSH channel does.
    void signalDuringLongTool_data()
    {
        QTest::addColumn<QString>("tool"); // "" = no slow tool: a large registry
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("signal");
        for (const auto& [name, sig] : {qMakePair("TERM", SIGTERM), qMakePair("HUP", SIGHUP)}) {
            QTest::newRow(qPrintable(QStringLiteral("jq %1").arg(QLatin1String(name))))
                << QStringLiteral("jq") << QStringList{QStringLiteral("site:list")} << sig;
            QTest::newRow(qPrintable(QStringLiteral("du %1").arg(QLatin1String(name))))
                << QStringLiteral("du")
                << QStringList{QStringLiteral("site:info"), QStringLiteral("example.com")} << sig;
            QTest::newRow(qPrintable(QStringLiteral("diag %1").arg(QLatin1String(name))))
                << QStringLiteral("uptime")
                << QStringList{QStringLiteral("diag"), QStringLiteral("uptime")} << sig;
            QTest::newRow(qPrintable(QStringLiteral("large registry %1").arg(QLatin1String(name))))
                << QString() << QStringList{QStringLiteral("site:list")} << sig;
        }
    }

    void signalDuringLongTool()
    {
        QFETCH(QString, tool);
        QFETCH(QStringList, args);
        QFETCH(int, signal);

        const QString agentPidFile = m_box->path() + QStringLiteral("/agent.pid");
        const QString toolPidFile = m_box->path() + QStringLiteral("/tool.pid");
        QProcessEnvironment env = baseEnv();
        env.insert(QStringLiteral("TMPDIR"), m_tmp);
        // A stand-in for the tool records its pid (the signal is sent once the
        // tool runs), then runs for 30 s, or execs the real jq.
        const bool realJq = tool.isEmpty();
        QByteArray then = "sleep 30";
        if (realJq) {
            const QString jq = QStandardPaths::findExecutable(QStringLiteral("jq"));
            if (jq.isEmpty())
                QSKIP("jq is not installed");
            then = "'" + jq.toUtf8() + "' \"$@\"";
            tool = QStringLiteral("jq");
            QByteArray json = "{\"sites\":[";
            for (int i = 0; i < 5000; ++i)
                json += (i ? ",{\"domain\":\"s" : "{\"domain\":\"s") + QByteArray::number(i) +
                        ".example.com\",\"site_root\":\"/var/www/sites/x\"}";
            put(QStringLiteral("var/lib/chom-agent/sites.json"), json + "]}");
        }
        const QString bin = m_box->path() + QStringLiteral("/slowbin");
        QVERIFY(QDir().mkpath(bin));
        QFile f(bin + QLatin1Char('/') + tool);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const QByteArray pidFile = toolPidFile.toUtf8();
        f.write("#!/bin/sh\necho $$ >'" + pidFile + ".tmp'\nmv '" + pidFile + ".tmp' '" + pidFile +
                "'\nexec " + then + "\n");
        f.close();
        QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));
        env.insert(QStringLiteral("PATH"),
                   bin + QLatin1Char(':') + env.value(QStringLiteral("PATH")));

        auto readPid = [](const QString& path) {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLongLong() : 0;
        };
        // Alive and not a zombie (a killed child may wait for its reaper a moment).
        auto alive = [](qint64 pid) {
            QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
            if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
                return false;
            const QByteArray s = stat.readAll();
            const qsizetype close = s.lastIndexOf(')');
            return close > 0 && s.size() > close + 2 && s.at(close + 2) != 'Z' &&
                   s.at(close + 2) != 'X';
        };

        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_cwd);
        const QString wrapper = QStringLiteral(
            "set -o pipefail; pidf=$1; shift; { bash \"$@\" & a=$!; echo \"$a\" >\"$pidf\"; wait "
            "\"$a\"; } | cat");
        p.start(QStringLiteral("bash"),
                QStringList{QStringLiteral("-c"), wrapper, QStringLiteral("wrapper"), agentPidFile,
                            kScript, QStringLiteral("--root"), m_root} +
                    args);
        auto stopAll = qScopeGuard([&] {
            for (const qint64 pid : {readPid(toolPidFile), readPid(agentPidFile)})
                if (alive(pid))
                    ::kill(static_cast<pid_t>(pid), SIGKILL);
            p.kill();
            p.waitForFinished(5000);
        });
        QVERIFY(p.waitForStarted(10000));
        QElapsedTimer t;
        t.start();
        while (readPid(toolPidFile) == 0 && t.elapsed() < 10000)
            QTest::qWait(10);
        const qint64 agent = readPid(agentPidFile);
        QVERIFY2(agent > 0 && readPid(toolPidFile) > 0, "the agent or its tool did not start");

        QVERIFY(::kill(static_cast<pid_t>(agent), signal) == 0);
        t.restart();
        // Seconds at most; the stand-in would hold the stream for 30 s, the
        // large registry held the old field-by-field parsing for minutes.
        const bool finished = p.waitForFinished(5000);
        Run r;
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        QVERIFY2(finished, qPrintable(QStringLiteral("no end of output %1 ms after the signal\n%2")
                                          .arg(t.elapsed())
                                          .arg(QString::fromUtf8(r.out.left(300)))));
        r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        parseEnvelope(r);
        if (realJq && r.obj.value(QLatin1String("ok")).toBool()) {
            // The listing was done before the signal came: a complete answer.
            CHECK_ENVELOPE(r, 0, true, QString());
            QCOMPARE(r.data().value(QLatin1String("count")).toInt(), 5000);
        } else {
            CHECK_ENVELOPE(r, 3, false, QStringLiteral("INTERNAL_ERROR"));
            const QString message = r.obj.value(QLatin1String("error"))
                                        .toObject()
                                        .value(QLatin1String("message"))
                                        .toString();
            QVERIFY2(message.contains(signal == SIGTERM ? QLatin1String("SIGTERM")
                                                        : QLatin1String("SIGHUP")),
                     qPrintable(message));
        }
        const qint64 toolPid = readPid(toolPidFile);
        t.restart();
        while (alive(toolPid) && t.elapsed() < 3000)
            QTest::qWait(10);
        QVERIFY2(!alive(toolPid), "the tool outlived the agent");
    }

    // A registry entry's site_root is followed only inside the root: an
    // absolute path without ".." or control characters whose directory,
    // symbolic links resolved, is the root or below it. Anything else is
    // refused with INVALID_SITE_ROOT, never measured.
    void siteRootConfined_data()
    {
        QTest::addColumn<QByteArray>("siteRoot"); // JSON text of the value
        QTest::addColumn<bool>("refused");
        QTest::addColumn<bool>("measured"); // disk_usage_mb is a number
        auto refuse = [](const char* name, const QByteArray& v) {
            QTest::newRow(name) << v << true << false;
        };
        auto accept = [](const char* name, const QByteArray& v, bool measured) {
            QTest::newRow(name) << v << false << measured;
        };
        refuse("dot-dot escape", "\"/../../../../../../../../etc\"");
        refuse("dot-dot inside", "\"/var/www/sites/../../../../../../../etc\"");
        refuse("dot-dot last", "\"/var/www/..\"");
        refuse("dot-dot alone", "\"..\"");
        refuse("relative", "\"var/www/sites/example.com\"");
        refuse("relative dot", "\"./var/www/sites/example.com\"");
        refuse("tilde", "\"~root\"");
        refuse("command substitution", "\"$(touch PWNED)\"");
        refuse("newline at the end", "\"/var/www/sites/example.com\\n\"");
        refuse("newline inside", "\"/var/www\\n/etc\"");
        refuse("only newlines", "\"\\n\\n\"");
        refuse("tab", "\"/var/www/sites/example.com\\t\"");
        refuse("nul", "\"/var/www/sites/example.com\\u0000/../../etc\"");
        refuse("escape", "\"/var/www/\\u001b[31m\"");
        refuse("delete", "\"/var/www/\\u007f\"");
        refuse("c1 control", "\"/var/www/\\u0085\"");
        refuse("link out of the root", "\"/var/www/sites/out.com\"");
        refuse("through a link out", "\"/var/www/sites/out.com/cwd\"");
        refuse("relative link up", "\"/var/www/sites/up.com\"");
        accept("plain", "\"/var/www/sites/example.com\"", true);
        accept("link inside the root", "\"/var/www/current\"", true);
        accept("the root itself", "\"/\"", true);
        accept("single dot", "\"/var/www/./sites/example.com\"", true);
        accept("double slashes", "\"//var//www/sites/example.com/\"", true);
        accept("dots in a name", "\"/var/www/sites/..example.com\"", false);
        accept("missing directory", "\"/var/www/sites/none.com\"", false);
        accept("empty", "\"\"", false);
        accept("unicode", "\"/var/www/sites/\\u65e5\\u672c \\u2028\"", false);
        accept("absolute substitution", "\"/$(touch PWNED)\"", false);
        accept("not a string", "[\"/etc\"]", false);
    }

    void siteRootConfined()
    {
        QFETCH(QByteArray, siteRoot);
        QFETCH(bool, refused);
        QFETCH(bool, measured);
        QVERIFY(QFile::link(m_box->path(), m_root + QStringLiteral("/var/www/sites/out.com")));
        QVERIFY(QFile::link(QStringLiteral("../../../.."),
                            m_root + QStringLiteral("/var/www/sites/up.com")));
        QVERIFY(QFile::link(QStringLiteral("sites/example.com"),
                            m_root + QStringLiteral("/var/www/current")));
        put(QStringLiteral("var/lib/chom-agent/sites.json"),
            "{\"sites\":[{\"domain\":\"example.com\",\"site_root\":" + siteRoot + "}]}");

        const Run r = run({QStringLiteral("site:info"), QStringLiteral("example.com")});
        if (refused) {
            CHECK_ENVELOPE(r, 1, false, QStringLiteral("INVALID_SITE_ROOT"));
            const QString message = r.obj.value(QLatin1String("error"))
                                        .toObject()
                                        .value(QLatin1String("message"))
                                        .toString();
            QVERIFY2(message.contains(QLatin1String("example.com")), qPrintable(message));
        } else {
            CHECK_ENVELOPE(r, 0, true, QString());
            QCOMPARE(r.data().value(QLatin1String("disk_usage_mb")).isDouble(), measured);
        }
        // The listing shows every entry as stored, whatever its site_root.
        const Run list = run({QStringLiteral("site:list")});
        CHECK_ENVELOPE(list, 0, true, QString());
        QCOMPARE(list.data().value(QLatin1String("count")).toInt(), 1);
    }

    // The root may itself be reached through a symbolic link: the site
    // directory is compared with the root's physical path.
    void siteRootUnderLinkedRoot()
    {
        const QString linked = m_box->path() + QStringLiteral("/linked-root");
        QVERIFY(QFile::link(m_root, linked));
        QVERIFY(QFile::link(QStringLiteral("sites/example.com"),
                            m_root + QStringLiteral("/var/www/current")));
        put(QStringLiteral("var/lib/chom-agent/sites.json"),
            "{\"sites\":[{\"domain\":\"example.com\",\"site_root\":\"/var/www/current\"}]}");
        const Run r = run({QStringLiteral("--root"), linked, QStringLiteral("site:info"),
                           QStringLiteral("example.com")},
                          {}, false);
        CHECK_ENVELOPE(r, 0, true, QString());
        QVERIFY(r.data().value(QLatin1String("disk_usage_mb")).isDouble());
    }

    void siteInfo()
    {
        put(QStringLiteral("var/www/sites/example.com/public/big.bin"),
            QByteArray(1536 * 1024, 'w')); // 1.5 MiB + a little -> 2 MiB rounded up
        Run r = run({QStringLiteral("site:info"), QStringLiteral("example.com")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QJsonObject d = r.data();
        QCOMPARE(d.value(QLatin1String("domain")).toString(), QStringLiteral("example.com"));
        QCOMPARE(d.value(QLatin1String("site_root")).toString(),
                 QStringLiteral("/var/www/sites/example.com"));
        QCOMPARE(d.value(QLatin1String("php_version")).toString(), QStringLiteral("8.2"));
        QCOMPARE(d.value(QLatin1String("enabled")).toBool(), true);
        QVERIFY(d.value(QLatin1String("disk_usage_mb")).isDouble());
        QVERIFY2(d.value(QLatin1String("disk_usage_mb")).toInt() >= 2, qPrintable(r.describe()));
        QCOMPARE(d.value(QLatin1String("vhost_enabled")).toBool(), true);

        // No site directory, no vhost link.
        r = run({QStringLiteral("site:info"), QStringLiteral("legacy.org")});
        CHECK_ENVELOPE(r, 0, true, QString());
        d = r.data();
        QVERIFY(d.value(QLatin1String("disk_usage_mb")).isNull());
        QCOMPARE(d.value(QLatin1String("vhost_enabled")).toBool(), false);
        QVERIFY(d.value(QLatin1String("vhost_enabled")).isBool());
        QCOMPARE(d.value(QLatin1String("php_version")).toString(), QStringLiteral("8.4"));

        // Odd entries: no site_root, a non-string one, a stored disk_usage_mb
        // (replaced by the measured value, never duplicated).
        put(QStringLiteral("var/lib/chom-agent/sites.json"),
            "{\"sites\":[{\"domain\":\"c.org\"},{\"domain\":\"d.org\",\"site_root\":42},"
            "{\"domain\":\"example.com\",\"site_root\":\"/var/www/sites/"
            "example.com\",\"disk_usage_mb\":999}]}");
        r = run({QStringLiteral("site:info"), QStringLiteral("c.org")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().keys(),
                 (QStringList{QStringLiteral("disk_usage_mb"), QStringLiteral("domain"),
                              QStringLiteral("vhost_enabled")}));
        QVERIFY(r.data().value(QLatin1String("disk_usage_mb")).isNull());
        r = run({QStringLiteral("site:info"), QStringLiteral("d.org")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("site_root")).toInt(), 42);
        QVERIFY(r.data().value(QLatin1String("disk_usage_mb")).isNull());
        r = run({QStringLiteral("site:info"), QStringLiteral("example.com")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("disk_usage_mb")).toInt(), 2);
        QVERIFY(!r.out.contains("999"));

        // No nginx configuration at all: unknown.
        QVERIFY(QDir(m_root + QStringLiteral("/etc/nginx")).removeRecursively());
        r = run({QStringLiteral("site:info"), QStringLiteral("example.com")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QVERIFY(r.data().value(QLatin1String("vhost_enabled")).isNull());
    }

    void domains_data()
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<QString>("code"); // SITE_NOT_FOUND = passed validation
        const QString valid = QStringLiteral("SITE_NOT_FOUND");
        const QString invalid = QStringLiteral("INVALID_DOMAIN");
        for (const char* d : {"a.co", "123numeric.com", "sub.domain.example.org", "a-b.example.net",
                              "xn--bcher-kva.example", "example.xn--p1ai",
                              "x.y.z.w.v.example.travel", "0.example.com"})
            QTest::newRow(d) << QString::fromUtf8(d) << valid;
        QTest::newRow("63-char label")
            << QString(63, QLatin1Char('a')) + QStringLiteral(".com") << valid;
        QString longest; // 253 characters
        while (longest.size() < 240)
            longest += QString(59, QLatin1Char('a')) + QLatin1Char('.');
        longest += QString(253 - longest.size() - 4, QLatin1Char('b')) + QStringLiteral(".com");
        QTest::newRow("253 chars") << longest << valid;

        for (const char* d :
             {"Example.COM", "EXAMPLE.com", "no-tld",        "localhost",    "under_score.com",
              "sp ace.com",  "a..b.com",    ".lead.com",     "trail.com.",   "-lead.com",
              "lead-.com",   "a.-b.com",    "127.0.0.1",     "a.c",          "a.c0m",
              "a.123",       "a.xn--",      "example.com/x", "ex$ample.com", "例え.jp",
              "exämple.com", "a.com;id",    "*.example.com", "a.b-",         "@.com"})
            QTest::newRow(d) << QString::fromUtf8(d) << invalid;
        QTest::newRow("trailing newline") << QStringLiteral("a.com\n") << invalid;
        QTest::newRow("inner newline") << QStringLiteral("a\n.com") << invalid;
        QTest::newRow("tab") << QStringLiteral("a\t.com") << invalid;
        QTest::newRow("empty") << QString() << invalid;
        QTest::newRow("64-char label")
            << QString(64, QLatin1Char('a')) + QStringLiteral(".com") << invalid;
        QTest::newRow("254 chars") << QStringLiteral("a") + longest << invalid;
    }

    void domains()
    {
        QFETCH(QString, domain);
        QFETCH(QString, code);
        const Run r = run({QStringLiteral("site:info"), domain});
        CHECK_ENVELOPE(r, 1, false, code);
    }

    void diag_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("contains");
        QTest::newRow("uptime") << QStringLiteral("uptime") << QStringLiteral("load average");
        QTest::newRow("df") << QStringLiteral("df") << QStringLiteral("Filesystem");
        QTest::newRow("free") << QStringLiteral("free") << QStringLiteral("Mem:");
        QTest::newRow("os-release") << QStringLiteral("os-release")
                                    << QStringLiteral("PRETTY_NAME=\"Sandbox Linux\"\nID=sandbox");
        QTest::newRow("hostname") << QStringLiteral("hostname") << QSysInfo::machineHostName();
        QTest::newRow("loadavg") << QStringLiteral("loadavg")
                                 << QStringLiteral("0.50 0.40 0.30 1/100 1234");
    }

    void diag()
    {
        QFETCH(QString, name);
        QFETCH(QString, contains);
        const Run r = run({QStringLiteral("diag"), name});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("name")).toString(), name);
        const QString output = r.data().value(QLatin1String("output")).toString();
        QVERIFY2(output.contains(contains), qPrintable(output));
        QCOMPARE(r.data().size(), 2);
    }

    // Each hostile value alone through args:echo (byte-identical), site:info
    // (rejected) and diag (refused); nothing is ever executed.
    void hostile_data()
    {
        QTest::addColumn<QString>("value");
        for (const auto& [name, value] : hostileValues())
            QTest::newRow(name) << value;
    }

    void hostile()
    {
        QFETCH(QString, value);
        value = expandBox(value);

        Run r = run({QStringLiteral("args:echo"), value});
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonArray argv = r.data().value(QLatin1String("argv")).toArray();
        QCOMPARE(argv.size(), 1);
        QVERIFY(argv.at(0).isString());
        QCOMPARE(argv.at(0).toString().toUtf8(), value.toUtf8());

        r = run({QStringLiteral("site:info"), value});
        CHECK_ENVELOPE(r, 1, false, QStringLiteral("INVALID_DOMAIN"));

        r = run({QStringLiteral("diag"), value});
        CHECK_ENVELOPE(r, 1, false, QStringLiteral("DIAG_NOT_ALLOWED"));

        const QStringList found = pwned();
        QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char(' '))));
    }

    // All hostile values in one invocation, surrounded by plain ones.
    void hostileAllAtOnce()
    {
        QStringList args{QStringLiteral("first")};
        for (const auto& entry : hostileValues())
            args << expandBox(entry.second);
        args << QStringLiteral("last");
        const Run r = run(QStringList{QStringLiteral("args:echo")} + args);
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonArray argv = r.data().value(QLatin1String("argv")).toArray();
        QCOMPARE(argv.size(), args.size());
        for (int i = 0; i < args.size(); ++i)
            QCOMPARE(argv.at(i).toString().toUtf8(), args.at(i).toUtf8());
        // Arguments that look like options after the command stay arguments.
        const Run r2 = run({QStringLiteral("args:echo"), QStringLiteral("--root=/etc"),
                            QStringLiteral("--root"), QStringLiteral("/etc")});
        CHECK_ENVELOPE(r2, 0, true, QString());
        QCOMPARE(r2.data().value(QLatin1String("argv")).toArray().size(), 3);
        QCOMPARE(r2.data().value(QLatin1String("argv")).toArray().at(0).toString(),
                 QStringLiteral("--root=/etc"));
        QVERIFY(pwned().isEmpty());
    }

    // Bytes that are not UTF-8, from an argument or a file, still give valid
    // JSON: each bad byte becomes U+FFFD, the good ones survive.
    void invalidUtf8()
    {
        QProcessEnvironment env = baseEnv();
        const QString inner = QStringLiteral(
            "exec bash \"$0\" --root \"$1\" args:echo \"$(printf '"
            "a\\377b\\303("
            "c\\355\\240\\200d\\364\\220\\200\\200e\\342\\202\\254\\360\\237\\231\\202'"
            ")\"");
        Run r = exec(QStringLiteral("bash"), {QStringLiteral("-c"), inner, kScript, m_root}, env);
        CHECK_ENVELOPE(r, 0, true, QString());
        const QString got = r.data().value(QLatin1String("argv")).toArray().at(0).toString();
        const QChar bad(0xFFFD);
        const QString expected = QStringLiteral("a") + bad + QStringLiteral("b") + bad +
                                 QStringLiteral("(c") + QString(3, bad) + QStringLiteral("d") +
                                 QString(4, bad) + QStringLiteral("e\u20AC") +
                                 QString::fromUtf8("\xF0\x9F\x99\x82");
        QCOMPARE(got, expected);

        put(QStringLiteral("etc/os-release"), "NAME=\"bad \xff\xfe name\"\n");
        r = run({QStringLiteral("diag"), QStringLiteral("os-release")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("output")).toString(),
                 QStringLiteral("NAME=\"bad ") + bad + bad + QStringLiteral(" name\""));

        // A long broken text (built in pieces inside the agent) comes back
        // whole: every sequence intact, every bad byte replaced, in order.
        QByteArray longBroken;
        QString longExpected;
        for (int i = 0; i < 700; ++i) {
            longBroken += "a" + QByteArray::number(i) + "\xff\xe2\x82\xac\xc3";
            longExpected += QStringLiteral("a%1").arg(i) + bad + QStringLiteral("\u20AC") + bad;
        }
        put(QStringLiteral("etc/os-release"), longBroken);
        r = run({QStringLiteral("diag"), QStringLiteral("os-release")});
        CHECK_ENVELOPE(r, 0, true, QString());
        QCOMPARE(r.data().value(QLatin1String("output")).toString(), longExpected);
    }

    // Many arguments come back complete and in order (the array is joined
    // once, not grown value by value).
    // --args-stdin: the values arrive framed on stdin, byte for byte, and
    // never on the command line; a bad frame is a usage error.
    void argsOnStdin()
    {
        QStringList values{QStringLiteral("first")};
        for (const auto& entry : hostileValues())
            values << expandBox(entry.second);
        values << QStringLiteral("line\nbreak") << QString() << QStringLiteral("--root=/etc");
        QByteArray frame = "chom-args " + QByteArray::number(values.size()) + '\n';
        for (const QString& v : values)
            frame += v.toUtf8() + '\0';
        const QStringList argv{kScript, QStringLiteral("--root"), m_root,
                               QStringLiteral("--args-stdin"), QStringLiteral("args:echo")};
        Run r = exec(QStringLiteral("bash"), argv, baseEnv(), frame);
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonArray got = r.data().value(QLatin1String("argv")).toArray();
        QCOMPARE(got.size(), values.size());
        for (int i = 0; i < values.size(); ++i)
            QCOMPARE(got.at(i).toString().toUtf8(), values.at(i).toUtf8());
        QVERIFY(pwned().isEmpty());
        for (const QByteArray& bad :
             {QByteArray(), QByteArray("garbage\n"), QByteArray("chom-args 2\nonly one\0"),
              QByteArray("chom-args 99999\n"), QByteArray("chom-args -1\n")}) {
            r = exec(QStringLiteral("bash"), argv, baseEnv(), bad);
            CHECK_ENVELOPE(r, 2, false, QStringLiteral("USAGE"));
        }
        r = exec(QStringLiteral("bash"), argv + QStringList{QStringLiteral("extra")}, baseEnv(),
                 QByteArray("chom-args 0\n"));
        CHECK_ENVELOPE(r, 2, false, QStringLiteral("USAGE"));
        r = exec(QStringLiteral("bash"),
                 {kScript, QStringLiteral("--root"), m_root, QStringLiteral("--args-stdin"),
                  QStringLiteral("diag")},
                 baseEnv(), QByteArray("chom-args 1\nuptime") + '\0');
        CHECK_ENVELOPE(r, 0, true, QString());
    }

    void argsEchoMany()
    {
        QStringList args;
        for (int i = 0; i < 20000; ++i)
            args << QStringLiteral("v%1 \"q\"").arg(i);
        const Run r = run(QStringList{QStringLiteral("args:echo")} + args);
        CHECK_ENVELOPE(r, 0, true, QString());
        const QJsonArray argv = r.data().value(QLatin1String("argv")).toArray();
        QCOMPARE(argv.size(), args.size());
        for (int i = 0; i < args.size(); ++i)
            QCOMPARE(argv.at(i).toString(), args.at(i));
    }

    void log()
    {
        const QString logPath = m_root + QStringLiteral("/var/log/chom-agent.log");
        run({QStringLiteral("version")});
        run({QStringLiteral("args:echo"), QStringLiteral("secret-value")});
        run({QStringLiteral("site:info"), QStringLiteral("missing.com")});
        run({QStringLiteral("bad\ncommand")});
        QFile f(logPath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray log = f.readAll();
        const QList<QByteArray> lines = log.trimmed().split('\n');
        QCOMPARE(lines.size(), 4);
        const QRegularExpression re(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ pid=\\d+ command=\\S+ "
                           "exit=\\d duration_ms=\\d+$"));
        for (const QByteArray& line : lines)
            QVERIFY2(re.match(QString::fromUtf8(line)).hasMatch(), line.constData());
        QVERIFY(lines.at(0).contains("command=version exit=0"));
        QVERIFY(lines.at(1).contains("command=args:echo exit=0"));
        QVERIFY(lines.at(2).contains("command=site:info exit=1"));
        QVERIFY(lines.at(3).contains("exit=2"));
        QVERIFY2(!log.contains("secret-value"), "arguments must not be logged");
    }

    void shellcheck()
    {
        const QString sc = QStandardPaths::findExecutable(QStringLiteral("shellcheck"));
        if (sc.isEmpty())
            QSKIP("shellcheck is not installed");
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(sc, {QStringLiteral("-x"), kScript});
        QVERIFY(p.waitForFinished(60000));
        const QByteArray out = p.readAll();
        QVERIFY2(p.exitCode() == 0 && out.isEmpty(), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestAgent)
#include "tst_agent.moc"
