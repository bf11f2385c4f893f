// The agent's serve protocol (resources/agent/chom-agent, "serve"): the real
// script under bash in a QProcess against a sandbox root, fed framed
// requests on stdin. Data-driven: framing, oversize lines and values,
// garbage, ids, cancel, nested serve, end of input; then concurrency and the
// equivalence of served and one-shot envelopes.

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kScript = QStringLiteral(CHOM_AGENT_PATH);

// One reply as the test compares it: "ID CODE" (CODE "ok" on success, "-"
// for the hello's command check), id "null" when serve could not read one.
using Replies = QStringList;

QByteArray header(int id, const char* command, int args)
{
    return QByteArray("{\"id\":") + QByteArray::number(id) + ",\"command\":\"" + command +
           "\",\"args\":" + QByteArray::number(args) + "}\n";
}

QByteArray values(const QList<QByteArray>& vs)
{
    QByteArray out;
    for (const QByteArray& v : vs)
        out.append(v).append('\0');
    return out;
}

struct Served
{
    int exitCode = -1;
    QList<QJsonObject> lines; // in arrival order
    QString problem;
};

} // namespace

class TestAgentServe : public QObject
{
    Q_OBJECT
    QTemporaryDir m_box;
    QString m_root;

    // Runs serve over `input` (stdin then closed, or held open `holdMs`
    // before closing) and returns every line it wrote.
    Served serve(const QByteArray& input, const QString& fail = {}, int holdMs = 0,
                 const QByteArray& later = {})
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("CHOM_AGENT_ROOT"));
        env.insert(QStringLiteral("TMPDIR"), m_box.path());
        if (!fail.isEmpty())
            env.insert(QStringLiteral("CHOM_AGENT_TEST_FAIL"), fail);
        p.setProcessEnvironment(env);
        p.start(QStringLiteral("bash"),
                {kScript, QStringLiteral("--root"), m_root, QStringLiteral("serve")});
        Served s;
        if (!p.waitForStarted(5000)) {
            s.problem = QStringLiteral("serve did not start");
            return s;
        }
        p.write(input);
        if (holdMs > 0) {
            p.waitForBytesWritten(2000);
            QTest::qWait(holdMs);
            p.write(later);
        }
        p.closeWriteChannel();
        if (!p.waitForFinished(20000)) {
            p.kill();
            p.waitForFinished(2000);
            s.problem = QStringLiteral("serve did not end at the end of its input");
        }
        s.exitCode = p.exitCode();
        const QByteArray out = p.readAllStandardOutput();
        if (!out.isEmpty() && !out.endsWith('\n'))
            s.problem = QStringLiteral("stdout does not end with a newline");
        for (const QByteArray& line : out.split('\n')) {
            if (line.isEmpty())
                continue;
            QJsonParseError e{};
            const QJsonDocument d = QJsonDocument::fromJson(line, &e);
            if (e.error != QJsonParseError::NoError || !d.isObject()) {
                s.problem = QStringLiteral("not one JSON object: %1").arg(QString::fromUtf8(line));
                continue;
            }
            s.lines << d.object();
        }
        return s;
    }

    static QString summary(const QJsonObject& o)
    {
        const QJsonValue id = o.value(QLatin1String("id"));
        const QString ids = id.isNull()     ? QStringLiteral("null")
                            : id.isDouble() ? QString::number(id.toInteger())
                                            : QStringLiteral("missing");
        const QString code = o.value(QLatin1String("ok")).toBool()
                                 ? QStringLiteral("ok")
                                 : o.value(QLatin1String("error"))
                                       .toObject()
                                       .value(QLatin1String("code"))
                                       .toString();
        return ids + QLatin1Char(' ') + code;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_box.isValid());
        m_root = m_box.path() + QStringLiteral("/root");
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/etc/chom-agent")));
        QVERIFY(QDir().mkpath(m_root + QStringLiteral("/var/log")));
        QFile f(m_root + QStringLiteral("/etc/chom-agent/services"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("nginx=running\nphp_fpm=running\nmariadb=absent\n");
    }

    void protocol_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("fail");
        QTest::addColumn<QByteArray>("later"); // sent 300 ms after input
        QTest::addColumn<Replies>("expected"); // besides the hello, in any order
        const QByteArray none;
        QTest::newRow("one request")
            << header(1, "version", 0) << QString() << none << Replies{"1 ok"};
        QTest::newRow("values after the header")
            << header(4, "diag", 1) + values({"uptime"}) + header(5, "args:echo", 0) << QString()
            << none << Replies{"4 ok", "5 ok"};
        QTest::newRow("garbage line, then a request")
            << QByteArray("hello there\n") + header(2, "version", 0) << QString() << none
            << Replies{"null BAD_REQUEST", "2 ok"};
        QTest::newRow("garbage with a readable id")
            << QByteArray("{\"id\":7,\"command\":\"Version\",\"args\":0}\n") << QString() << none
            << Replies{"7 BAD_REQUEST"};
        QTest::newRow("id zero is the hello's")
            << header(0, "version", 0) << QString() << none << Replies{"null BAD_REQUEST"};
        QTest::newRow("empty lines are skipped")
            << QByteArray("\n\n") + header(3, "version", 0) << QString() << none << Replies{"3 ok"};
        QTest::newRow("oversize line, then a request")
            << QByteArray(5000, 'x') + '\n' + header(2, "version", 0) << QString() << none
            << Replies{"null REQUEST_TOO_LARGE", "2 ok"};
        QTest::newRow("oversize value keeps the framing")
            << header(1, "args:echo", 2) + values({QByteArray(70000, 'v'), "b"}) +
                   header(2, "version", 0)
            << QString() << none << Replies{"1 REQUEST_TOO_LARGE", "2 ok"};
        QTest::newRow("too many values")
            << header(1, "args:echo", 65) + values(QList<QByteArray>(65, "a")) +
                   header(2, "version", 0)
            << QString() << none << Replies{"1 BAD_REQUEST", "2 ok"};
        QTest::newRow("unknown command, as one-shot answers it")
            << header(1, "nope", 0) << QString() << none << Replies{"1 UNKNOWN_COMMAND"};
        QTest::newRow("wrong number of arguments")
            << header(1, "diag", 0) << QString() << none << Replies{"1 USAGE"};
        QTest::newRow("validation as one-shot")
            << header(1, "site:info", 1) + values({"Bad..Domain"}) << QString() << none
            << Replies{"1 INVALID_DOMAIN"};
        QTest::newRow("serve inside serve")
            << header(1, "serve", 0) << QString() << none << Replies{"1 USAGE"};
        QTest::newRow("a request in flight keeps its id")
            << header(1, "diag", 1) + values({"uptime"}) + header(1, "version", 0)
            << QStringLiteral("diag.run:hang") << QByteArray("{\"cancel\":1}\n")
            << Replies{"1 BAD_REQUEST", "1 CANCELLED"};
        QTest::newRow("cancel stops a hanging request, the next answers")
            << header(1, "diag", 1) + values({"uptime"}) + header(2, "version", 0)
            << QStringLiteral("diag.run:hang")
            << QByteArray("{\"cancel\":1}\n") + header(3, "health", 0)
            << Replies{"1 CANCELLED", "2 ok", "3 ok"};
        QTest::newRow("cancel of an unknown id is ignored")
            << QByteArray("{\"cancel\":9}\n") + header(2, "version", 0) << QString() << none
            << Replies{"2 ok"};
        QTest::newRow("end of input inside the values")
            << header(1, "args:echo", 2) + QByteArray("a") + '\0' << QString() << none << Replies{};
        QTest::newRow("a failing request answers for itself")
            << header(1, "version", 0) << QStringLiteral("ok:unbound") << none
            << Replies{"1 INTERNAL_ERROR"};
    }

    void protocol()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, fail);
        QFETCH(QByteArray, later);
        QFETCH(Replies, expected);
        const Served s = serve(input, fail, later.isEmpty() ? 0 : 300, later);
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QCOMPARE(s.exitCode, 0);
        QVERIFY(!s.lines.isEmpty());
        const QJsonObject hello = s.lines.first();
        QCOMPARE(summary(hello), QStringLiteral("0 ok"));
        QCOMPARE(hello.value(QLatin1String("command")).toString(), QStringLiteral("serve"));
        QCOMPARE(hello.value(QLatin1String("data")).toObject().value(QLatin1String("protocol")),
                 QJsonValue(1));
        Replies got;
        for (qsizetype i = 1; i < s.lines.size(); ++i)
            got << summary(s.lines.at(i));
        got.sort();
        expected.sort();
        QCOMPARE(got, expected);
    }

    void valuesCrossUntouched()
    {
        const QList<QByteArray> vs{"a\nb",    "$(touch /tmp/x)", "",
                                   "'\"`;|&", "--root=/etc",     "\xc3\xa9t\xc3\xa9"};
        const Served s = serve(header(42, "args:echo", int(vs.size())) + values(vs));
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QCOMPARE(s.lines.size(), 2);
        const QJsonArray argv = s.lines.at(1)
                                    .value(QLatin1String("data"))
                                    .toObject()
                                    .value(QLatin1String("argv"))
                                    .toArray();
        QCOMPARE(argv.size(), vs.size());
        for (qsizetype i = 0; i < vs.size(); ++i)
            QCOMPARE(argv.at(i).toString(), QString::fromUtf8(vs.at(i)));
    }

    // More requests than serve runs at once, each answered with its own data.
    void concurrentRequestsAnswerTheirOwnIds()
    {
        QByteArray in;
        for (int i = 1; i <= 40; ++i)
            in += header(i, "args:echo", 1) + values({"value-" + QByteArray::number(i)});
        const Served s = serve(in);
        QVERIFY2(s.problem.isEmpty(), qPrintable(s.problem));
        QCOMPARE(s.lines.size(), 41);
        QSet<int> seen;
        for (qsizetype i = 1; i < s.lines.size(); ++i) {
            const QJsonObject& o = s.lines.at(i);
            const int id = int(o.value(QLatin1String("id")).toInteger());
            const QString v = o.value(QLatin1String("data"))
                                  .toObject()
                                  .value(QLatin1String("argv"))
                                  .toArray()
                                  .at(0)
                                  .toString();
            QCOMPARE(v, QStringLiteral("value-%1").arg(id));
            seen.insert(id);
        }
        QCOMPARE(seen.size(), 40);
    }

    // A served reply is the one-shot envelope with "id" in front.
    void servedEnvelopeIsTheOneShotOne()
    {
        for (const char* command : {"version", "help", "site:list"}) {
            QProcess one;
            one.start(QStringLiteral("bash"),
                      {kScript, QStringLiteral("--root"), m_root, QString::fromLatin1(command)});
            QVERIFY(one.waitForFinished(10000));
            QJsonObject expected = QJsonDocument::fromJson(one.readAllStandardOutput()).object();
            const Served s = serve(header(5, command, 0));
            QCOMPARE(s.lines.size(), 2);
            QJsonObject got = s.lines.at(1);
            QCOMPARE(got.take(QStringLiteral("id")), QJsonValue(5));
            QCOMPARE(got, expected);
        }
    }
};

QTEST_GUILESS_MAIN(TestAgentServe)
#include "tst_agentserve.moc"
