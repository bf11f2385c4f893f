// SSH, agent and metrics failures convert to the core's error with an
// explicit kind, which chomctl turns into its exit code: a dead host is
// transport, an answer that was wrong is remote, a cancel is cancelled.
#include "base/Result.h"
#include "fleet/AgentProtocol.h"
#include "observability/MetricsTypes.h"
#include "ssh/SshTypes.h"

#include <QtTest>

using namespace chom;

Q_DECLARE_METATYPE(chom::SshErrorKind)
Q_DECLARE_METATYPE(chom::ErrorKind)
Q_DECLARE_METATYPE(chom::metrics::ErrorKind)

class TestErrorKinds : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ssh_data()
    {
        QTest::addColumn<SshErrorKind>("ssh");
        QTest::addColumn<int>("exitStatus");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("code");
        QTest::newRow("refused") << SshErrorKind::Refused << -1 << ErrorKind::Transport
                                 << "refused";
        QTest::newRow("resolve") << SshErrorKind::Resolve << -1 << ErrorKind::Transport
                                 << "resolve";
        QTest::newRow("auth") << SshErrorKind::AuthFailed << -1 << ErrorKind::Transport
                              << "auth_failed";
        QTest::newRow("changed key")
            << SshErrorKind::HostKeyChanged << -1 << ErrorKind::Transport << "host_key_changed";
        QTest::newRow("silence") << SshErrorKind::Silence << -1 << ErrorKind::Transport
                                 << "silence";
        QTest::newRow("flood") << SshErrorKind::OutputTooLarge << -1 << ErrorKind::Remote
                               << "output_too_large";
        QTest::newRow("fish") << SshErrorKind::UnsupportedShell << -1 << ErrorKind::Remote
                              << "unsupported_shell";
        QTest::newRow("cancelled")
            << SshErrorKind::Cancelled << -1 << ErrorKind::Cancelled << "cancelled";
        QTest::newRow("bad argument")
            << SshErrorKind::InvalidArgument << -1 << ErrorKind::Usage << "invalid_argument";
        QTest::newRow("internal") << SshErrorKind::Internal << -1 << ErrorKind::Internal
                                  << "internal";
        QTest::newRow("exit 3") << SshErrorKind::None << 3 << ErrorKind::Remote << "remote_exit";
    }
    void ssh()
    {
        QFETCH(SshErrorKind, ssh);
        QFETCH(int, exitStatus);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, code);
        SshResult r = SshResult::failed(ssh, QStringLiteral("what happened"));
        r.exitStatus = exitStatus;
        const Error e = toError(r);
        QCOMPARE(int(e.kind()), int(kind));
        QCOMPARE(e.code, code);
        QVERIFY(!e.message.isEmpty());
    }

    void agent()
    {
        AgentReply transport;
        transport.kind = AgentReply::Kind::Transport;
        transport.ssh = SshResult::failed(SshErrorKind::Timeout, QStringLiteral("timed out"));
        transport.message = QStringLiteral("db1: timed out");
        QCOMPARE(int(transport.error().kind()), int(ErrorKind::Transport));
        QCOMPARE(transport.error().message, QStringLiteral("db1: timed out"));

        AgentReply refused;
        refused.kind = AgentReply::Kind::AgentError;
        refused.code = QStringLiteral("INVALID_DOMAIN");
        refused.message = QStringLiteral("not a domain");
        QCOMPARE(int(refused.error().kind()), int(ErrorKind::Remote));
        QCOMPARE(refused.error().code, QStringLiteral("INVALID_DOMAIN"));

        AgentReply missing;
        missing.kind = AgentReply::Kind::AgentMissing;
        missing.code = QStringLiteral("agent_missing");
        QCOMPARE(int(missing.error().kind()), int(ErrorKind::Remote));
    }

    void metrics_data()
    {
        QTest::addColumn<metrics::ErrorKind>("metrics");
        QTest::addColumn<ErrorKind>("kind");
        QTest::addColumn<QString>("code");
        QTest::newRow("refused") << metrics::ErrorKind::Refused << ErrorKind::Transport
                                 << "prometheus_refused";
        QTest::newRow("tls") << metrics::ErrorKind::Tls << ErrorKind::Transport << "prometheus_tls";
        QTest::newRow("breaker") << metrics::ErrorKind::BreakerOpen << ErrorKind::Transport
                                 << "prometheus_breaker_open";
        QTest::newRow("http") << metrics::ErrorKind::Http << ErrorKind::Remote << "prometheus_http";
        QTest::newRow("bad json") << metrics::ErrorKind::InvalidJson << ErrorKind::Remote
                                  << "prometheus_invalid_json";
        QTest::newRow("no url") << metrics::ErrorKind::Unconfigured << ErrorKind::Usage
                                << "prometheus_unconfigured";
        QTest::newRow("scope") << metrics::ErrorKind::ScopeRefused << ErrorKind::Rule
                               << "prometheus_scope_refused";
        QTest::newRow("cancelled")
            << metrics::ErrorKind::Cancelled << ErrorKind::Cancelled << "prometheus_cancelled";
    }
    void metrics()
    {
        QFETCH(metrics::ErrorKind, metrics);
        QFETCH(ErrorKind, kind);
        QFETCH(QString, code);
        const Error e = metrics::toError(metrics::MetricsError::make(metrics, QStringLiteral("x")));
        QCOMPARE(int(e.kind()), int(kind));
        QCOMPARE(e.code, code);
        QCOMPARE(metrics::toError(metrics::MetricsError::make(metrics, QStringLiteral("x")),
                                  QStringLiteral("loki"))
                     .code.left(5),
                 QStringLiteral("loki_"));
    }
};

QTEST_GUILESS_MAIN(TestErrorKinds)
#include "tst_errorkinds.moc"
