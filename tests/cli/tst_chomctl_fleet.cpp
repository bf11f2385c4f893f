// chomctl fleet actions end to end: the real executable against a real
// OpenSSH fleet on loopback (3 hosts at 127.0.0.70-72).

#include "ChomctlFixture.h"
#include "SshFleet.h"

#include <QDir>

using chom::test::ChomctlFixture;
using chom::test::Run;
using chom::test::SshFleet;

namespace {

bool writeFile(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

} // namespace

class TestChomctlFleet : public ChomctlFixture
{
    Q_OBJECT
private:
    SshFleet m_fleet;

    Run ssh(const QStringList& args) const
    {
        return run(QStringList{QStringLiteral("--ssh-key"), m_fleet.clientKeyPath()} + args);
    }
    static QString host(int i) { return QStringLiteral("web-%1.fleet.test").arg(i); }

private Q_SLOTS:
    void initTestCase()
    {
        if (!SshFleet::available())
            QSKIP(qPrintable(SshFleet::unavailableReason()));
        QVERIFY2(m_fleet.start(3, 70), qPrintable(m_fleet.error()));
        freshStore();
        for (int i = 0; i < 3; ++i) {
            const auto h = m_fleet.hosts().at(i);
            const QString etc = h.sandbox + QStringLiteral("/etc/chom-agent/");
            QVERIFY(
                writeFile(etc + QStringLiteral("services"), "nginx=running\nphp_fpm=running\n"));
            QVERIFY(writeFile(etc + QStringLiteral("df"), "1000000 500000 500000\n"));
            CHECK_OK(
                run({QStringLiteral("vps"), QStringLiteral("add"), QStringLiteral("--hostname"),
                     host(i), QStringLiteral("--ip"), h.address, QStringLiteral("--port"),
                     QString::number(h.port), QStringLiteral("--user"), m_fleet.user(),
                     QStringLiteral("--status"), QStringLiteral("active")}));
        }
    }

    void testNeedsTrustThenFindsNoAgent()
    {
        const Run strict = ssh({QStringLiteral("vps"), QStringLiteral("test"), host(0)});
        QVERIFY2(strict.code == 1, qPrintable(strict.describe()));
        QVERIFY2(strict.out.contains(QLatin1String("host_key_unknown")),
                 qPrintable(strict.describe()));
        QVERIFY2(strict.out.contains(m_fleet.hostKeyFingerprintSha256()),
                 qPrintable(strict.describe()));

        const Run trusted = ssh({QStringLiteral("--trust-new-host-keys"), QStringLiteral("--json"),
                                 QStringLiteral("vps"), QStringLiteral("test"), host(0)});
        QVERIFY2(trusted.code == 1, qPrintable(trusted.describe()));
        QCOMPARE(trusted.object().value(QStringLiteral("category")).toString(),
                 QStringLiteral("agent_missing"));
    }

    void bootstrapSweepAndOps()
    {
        for (int i = 0; i < 3; ++i) {
            const Run b = ssh({QStringLiteral("--trust-new-host-keys"), QStringLiteral("vps"),
                               QStringLiteral("bootstrap"), host(i)});
            QVERIFY2(b.code == 0, qPrintable(b.describe()));
            QVERIFY2(b.out.contains(QLatin1String("record version")), qPrintable(b.describe()));
        }
        const Run t = ssh({QStringLiteral("vps"), QStringLiteral("test"), host(1)});
        QVERIFY2(t.code == 0 && t.out.contains(QLatin1String("ok")), qPrintable(t.describe()));

        const Run sweep =
            ssh({QStringLiteral("--json"), QStringLiteral("vps"), QStringLiteral("sweep"),
                 QStringLiteral("--parallel"), QStringLiteral("3")});
        QVERIFY2(sweep.code == 0, qPrintable(sweep.describe()));
        const QJsonArray rows = sweep.array();
        QCOMPARE(rows.size(), 3);
        for (const QJsonValue& r : rows) {
            QVERIFY(r.toObject().value(QStringLiteral("reachable")).toBool());
            QVERIFY(!r.toObject().value(QStringLiteral("health")).toString().isEmpty());
        }

        const Run diag =
            ssh({QStringLiteral("vps"), QStringLiteral("diag"), host(2), QStringLiteral("rm")});
        QVERIFY2(diag.code == 1 && diag.err.contains(QLatin1String("DIAG_NOT_ALLOWED")),
                 qPrintable(diag.describe()));

        const Run list = runJson({QStringLiteral("ops"), QStringLiteral("list")});
        CHECK_OK(list);
        qint64 sweepId = 0;
        int bootstraps = 0;
        for (const QJsonValue& v : list.array()) {
            const QString type = v.toObject().value(QStringLiteral("type")).toString();
            if (type == QLatin1String("vps.sweep") && !sweepId)
                sweepId = v.toObject().value(QStringLiteral("id")).toInteger();
            bootstraps += type == QLatin1String("vps.bootstrap");
        }
        QCOMPARE(bootstraps, 3);
        QVERIFY(sweepId > 0);
        const Run show =
            run({QStringLiteral("ops"), QStringLiteral("show"), QString::number(sweepId)});
        CHECK_OK(show);
        QVERIFY2(show.out.contains(QLatin1String("health web-0.fleet.test")),
                 qPrintable(show.describe()));
        const Run showJson =
            runJson({QStringLiteral("ops"), QStringLiteral("show"), QString::number(sweepId)});
        QCOMPARE(showJson.object().value(QStringLiteral("steps")).toArray().size(), 3);
        CHECK_FAILS(
            run({QStringLiteral("ops"), QStringLiteral("cancel"), QString::number(sweepId)}), 5);
        CHECK_FAILS(run({QStringLiteral("ops"), QStringLiteral("retry"), QString::number(sweepId)}),
                    5);
    }

    void sweepReportsADownHost()
    {
        QVERIFY(m_fleet.stopHost(1));
        const Run sweep = ssh({QStringLiteral("vps"), QStringLiteral("sweep")});
        QVERIFY(m_fleet.startHost(1));
        QVERIFY2(sweep.code == 1, qPrintable(sweep.describe()));
        QVERIFY2(sweep.out.contains(QLatin1String("2 of 3 host(s) reachable")),
                 qPrintable(sweep.describe()));
        const Run again = ssh({QStringLiteral("--json"), QStringLiteral("vps"),
                               QStringLiteral("sweep"), QStringLiteral("--only-failed")});
        QVERIFY2(again.code == 0, qPrintable(again.describe()));
        QCOMPARE(again.array().size(), 1);
    }

    // Re-trust names the key the operator checked; only that key is pinned.
    void retrustTakesTheCheckedFingerprint()
    {
        const QString old = m_fleet.hostKeyFingerprintSha256();
        QVERIFY(m_fleet.rotateHostKey(2));
        const QString fresh = m_fleet.hostKeyFingerprintSha256(2);
        const Run changed = ssh({QStringLiteral("vps"), QStringLiteral("test"), host(2)});
        QVERIFY2(changed.code == 1 && changed.out.contains(fresh), qPrintable(changed.describe()));
        const Run noFingerprint = ssh(
            {QStringLiteral("vps"), QStringLiteral("trust"), host(2), QStringLiteral("--replace")});
        QVERIFY2(noFingerprint.code == 2 &&
                     noFingerprint.err.contains(QLatin1String("--fingerprint")),
                 qPrintable(noFingerprint.describe()));
        const Run plain = ssh({QStringLiteral("vps"), QStringLiteral("trust"), host(2)});
        QVERIFY2(plain.code != 0 && plain.err.contains(fresh), qPrintable(plain.describe()));
        const Run wrong = ssh({QStringLiteral("vps"), QStringLiteral("trust"), host(2),
                               QStringLiteral("--fingerprint"), old});
        QVERIFY2(wrong.code != 0 && wrong.err.contains(QLatin1String("nothing was trusted")),
                 qPrintable(wrong.describe()));
        const Run stillChanged = ssh({QStringLiteral("vps"), QStringLiteral("test"), host(2)});
        QVERIFY2(stillChanged.out.contains(QLatin1String("host_key_changed")),
                 qPrintable(stillChanged.describe()));
        const Run ok = ssh({QStringLiteral("vps"), QStringLiteral("trust"), host(2),
                            QStringLiteral("--fingerprint"), fresh});
        QVERIFY2(ok.code == 0 && ok.out.contains(fresh), qPrintable(ok.describe()));
        const Run audit = runJson({QStringLiteral("audit"), QStringLiteral("list")});
        QVERIFY2(audit.out.contains(QStringLiteral("%1 → %2").arg(old, fresh)),
                 qPrintable(audit.describe()));
        const Run after = ssh({QStringLiteral("vps"), QStringLiteral("test"), host(2)});
        QVERIFY2(after.code == 0, qPrintable(after.describe()));
    }
};

QTEST_GUILESS_MAIN(TestChomctlFleet)
#include "tst_chomctl_fleet.moc"
