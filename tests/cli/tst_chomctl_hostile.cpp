// chomctl against a compromised VPS (tests/support/HostileHost, one host at
// 127.0.0.62): terminal escapes in its answers are shown escaped, a fake
// envelope after noise is only data, a flood fails cleanly and quickly.

#include "ChomctlFixture.h"
#include "HostileHost.h"

using chom::test::ChomctlFixture;
using chom::test::HostileHost;
using chom::test::Run;
using chom::test::SshFleet;

class TestChomctlHostile : public ChomctlFixture
{
    Q_OBJECT
    HostileHost m_host;

    Run ssh(const QStringList& args) const
    {
        return run(QStringList{QStringLiteral("--ssh-key"),
                               const_cast<HostileHost&>(m_host).fleet().clientKeyPath(),
                               QStringLiteral("--trust-new-host-keys")} +
                   args);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!SshFleet::available())
            QSKIP(qPrintable(SshFleet::unavailableReason()));
        QVERIFY2(m_host.start(1, 62), qPrintable(m_host.error()));
        freshStore();
        const auto h = m_host.fleet().hosts().at(0);
        CHECK_OK(
            run({QStringLiteral("vps"), QStringLiteral("add"), QStringLiteral("--hostname"),
                 QStringLiteral("evil.fleet.test"), QStringLiteral("--ip"), h.address,
                 QStringLiteral("--port"), QString::number(h.port), QStringLiteral("--user"),
                 m_host.fleet().user(), QStringLiteral("--status"), QStringLiteral("active")}));
    }
    void cleanupTestCase() { m_host.stop(); }

    void escapesInAnAgentAnswerAreShownEscaped()
    {
        QVERIFY(m_host.setReply(
            0, "noise\n{\"ok\":true,\"agent\":\"1.1.0\",\"command\":\"diag\",\"data\":{\"name\":"
               "\"uptime\",\"output\":\"up \\u001b]0;owned\\u0007\\u001b[2J 3 days\"}}\n"));
        QVERIFY(m_host.setMode(0, QStringLiteral("reply 0")));
        const Run r = ssh({QStringLiteral("vps"), QStringLiteral("diag"),
                           QStringLiteral("evil.fleet.test"), QStringLiteral("uptime")});
        QVERIFY2(r.code == 0, qPrintable(r.describe()));
        QVERIFY2(!r.out.contains(QChar(0x1b)) && !r.out.contains(QChar(0x07)), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("up \\x1b]0;owned\\x07\\x1b[2J 3 days")),
                 qPrintable(r.out));
        const Run json =
            ssh({QStringLiteral("--json"), QStringLiteral("vps"), QStringLiteral("diag"),
                 QStringLiteral("evil.fleet.test"), QStringLiteral("uptime")});
        QVERIFY2(json.code == 0, qPrintable(json.describe()));
        QVERIFY(json.object().value(QStringLiteral("output")).toString().contains(QChar(0x1b)));
        // The value went on stdin, never on the command line.
        QVERIFY2(m_host.commandsSeen(0).last().endsWith(
                     QStringLiteral("; \"$CHOM_AGENT_ROOT\"/opt/chom-agent/bin/chom-agent "
                                    "--args-stdin diag")),
                 qPrintable(m_host.commandsSeen(0).last()));
        QVERIFY(!m_host.commandsSeen(0).last().contains(QLatin1String("uptime")));
    }

    void errorsFromTheHostAreShownEscaped()
    {
        QVERIFY(m_host.setReply(
            0, "{\"ok\":false,\"agent\":\"1.1.0\",\"command\":\"diag\",\"error\":{\"code\":"
               "\"DIAG_FAILED\",\"message\":\"\\u001b[31mred\\u202e alert\"}}\n"));
        QVERIFY(m_host.setMode(0, QStringLiteral("reply 1")));
        const Run r = ssh({QStringLiteral("vps"), QStringLiteral("diag"),
                           QStringLiteral("evil.fleet.test"), QStringLiteral("uptime")});
        QVERIFY2(r.code == 1, qPrintable(r.describe()));
        QVERIFY2(!r.err.contains(QChar(0x1b)) && !r.err.contains(QChar(0x202e)), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("\\x1b[31mred\\u202e alert")), qPrintable(r.err));
    }

    void aFloodFailsCleanly()
    {
        QVERIFY(m_host.setMode(0, QStringLiteral("flood-lines 3000000000")));
        const Run r = ssh({QStringLiteral("vps"), QStringLiteral("diag"),
                           QStringLiteral("evil.fleet.test"), QStringLiteral("uptime")});
        QVERIFY2(r.code == 1 && r.err.contains(QLatin1String("more than")),
                 qPrintable(r.describe().left(2000)));
        QVERIFY(m_host.setMode(0, QString()));
    }
};

QTEST_GUILESS_MAIN(TestChomctlHostile)
#include "tst_chomctl_hostile.moc"
