// chomctl's site actions on a real "VPS": a loopback sshd host that lets
// root in (127.0.0.69) with a real nginx + PHP-FPM in its sandbox
// (127.0.0.1:18084). create, disable, enable, destroy (confirmed by the
// domain), the site tools and the drift check, the coherency check and its
// heal, a tenant's suspension
// reaching its sites, and refusals that reach no server.

#include "ChomctlFixture.h"
#include "SshFleet.h"
#include "WebStack.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>

using chom::test::ChomctlFixture;
using chom::test::Run;
using chom::test::SshFleet;
using chom::test::WebStack;

class TestChomctlSites : public ChomctlFixture
{
    Q_OBJECT
    SshFleet m_fleet;
    WebStack m_stack;

    Run ssh(const QStringList& args) const
    {
        return run(QStringList{QStringLiteral("--ssh-key"), m_fleet.clientKeyPath(),
                               QStringLiteral("--trust-new-host-keys")} +
                   args);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = WebStack::fleetUnavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_stack.setDatabasePort(18310);
        QVERIFY2(m_stack.startOnFleetHost(m_fleet, 69, 18084), qPrintable(m_stack.error()));
        const auto h = m_fleet.hosts().at(0);
        freshStore();
        CHECK_OK(
            run({QStringLiteral("tenants"), QStringLiteral("add"), QStringLiteral("--name"),
                 QStringLiteral("Acme"), QStringLiteral("--tier"), QStringLiteral("enterprise")}));
        CHECK_OK(
            run({QStringLiteral("vps"), QStringLiteral("add"), QStringLiteral("--hostname"),
                 QStringLiteral("web-1.fleet.test"), QStringLiteral("--ip"), h.address,
                 QStringLiteral("--port"), QString::number(h.port), QStringLiteral("--user"),
                 QStringLiteral("root"), QStringLiteral("--status"), QStringLiteral("active")}));
    }
    void cleanupTestCase()
    {
        m_stack.stop();
        m_fleet.stop();
        QCOMPARE(WebStack::siteUsers(), QStringList());
    }

    void createDisableEnableDestroy()
    {
        const QString d = QStringLiteral("shop.example.test");
        const Run c =
            ssh({QStringLiteral("--json"), QStringLiteral("sites"), QStringLiteral("create"),
                 QStringLiteral("--tenant"), QStringLiteral("Acme"), QStringLiteral("--domain"), d,
                 QStringLiteral("--type"), QStringLiteral("html")});
        QVERIFY2(c.code == 0, qPrintable(c.describe()));
        QCOMPARE(c.object().value(QLatin1String("status")).toString(), QStringLiteral("active"));
        QCOMPARE(c.object().value(QLatin1String("provision_attempts")).toInt(), 1);
        QCOMPARE(m_stack.get(d).status, 200);

        const Run info =
            ssh({QStringLiteral("--json"), QStringLiteral("sites"), QStringLiteral("info"), d});
        QVERIFY2(info.code == 0, qPrintable(info.describe()));
        QCOMPARE(info.object().value(QLatin1String("user")).toString(),
                 QStringLiteral("chomt-shop-example-test"));
        QCOMPARE(info.object().value(QLatin1String("vhost_enabled")).toBool(), true);
        QVERIFY(info.object().value(QLatin1String("disk_usage_mb")).isDouble());
        const Run off = ssh({QStringLiteral("sites"), QStringLiteral("disable"), d});
        QVERIFY2(off.code == 0 && off.out.contains(QLatin1String("disabled")),
                 qPrintable(off.describe()));
        QCOMPARE(m_stack.get(d).status, 404);
        const Run offInfo =
            ssh({QStringLiteral("--json"), QStringLiteral("sites"), QStringLiteral("info"), d});
        QCOMPARE(offInfo.object().value(QLatin1String("vhost_enabled")).toBool(), false);
        const Run on = ssh({QStringLiteral("sites"), QStringLiteral("enable"), d});
        QVERIFY2(on.code == 0, qPrintable(on.describe()));
        QCOMPARE(m_stack.get(d).status, 200);

        const Run unconfirmed = ssh({QStringLiteral("sites"), QStringLiteral("destroy"), d});
        QVERIFY2(unconfirmed.code == 2 && unconfirmed.err.contains(QLatin1String("--confirm")),
                 qPrintable(unconfirmed.describe()));
        QCOMPARE(m_stack.get(d).status, 200);
        const Run gone = ssh({QStringLiteral("sites"), QStringLiteral("destroy"), d,
                              QStringLiteral("--confirm"), d});
        QVERIFY2(gone.code == 0, qPrintable(gone.describe()));
        QCOMPARE(m_stack.get(d).status, 404);
        QCOMPARE(WebStack::siteUsers(), QStringList());
        QCOMPARE(run({QStringLiteral("sites"), QStringLiteral("show"), d}).code, 3); // not found
    }

    // Suspending the tenant takes its sites off the server; activating it
    // brings them back.
    void suspendingTheTenantStopsServingItsSites()
    {
        const QString d = QStringLiteral("tenant-site.example.test");
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("create"), QStringLiteral("--tenant"),
                      QStringLiteral("Acme"), QStringLiteral("--domain"), d,
                      QStringLiteral("--type"), QStringLiteral("html")}));
        QCOMPARE(m_stack.get(d).status, 200);
        const Run off =
            ssh({QStringLiteral("tenants"), QStringLiteral("suspend"), QStringLiteral("Acme")});
        QVERIFY2(off.code == 0, qPrintable(off.describe()));
        QCOMPARE(m_stack.get(d).status, 404);
        const Run s =
            run({QStringLiteral("--json"), QStringLiteral("sites"), QStringLiteral("show"), d});
        QCOMPARE(s.object().value(QLatin1String("status")).toString(), QStringLiteral("disabled"));
        const Run on =
            ssh({QStringLiteral("tenants"), QStringLiteral("activate"), QStringLiteral("Acme")});
        QVERIFY2(on.code == 0, qPrintable(on.describe()));
        QCOMPARE(m_stack.get(d).status, 200);
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("destroy"), d,
                      QStringLiteral("--confirm"), d}));
    }

    // The site tools as operations, and the drift check that changes nothing.
    void toolsAndTheDriftCheck()
    {
        const QString d = QStringLiteral("tools.example.test");
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("create"), QStringLiteral("--tenant"),
                      QStringLiteral("Acme"), QStringLiteral("--domain"), d,
                      QStringLiteral("--type"), QStringLiteral("html")}));
        const auto check = [&] {
            return ssh({QStringLiteral("--json"), QStringLiteral("sites"),
                        QStringLiteral("render-check"), d});
        };
        Run r = check();
        QVERIFY2(r.code == 0, qPrintable(r.describe()));
        QCOMPARE(r.object().value(QLatin1String("drifted")).toInt(), 0);
        QFile vhost(m_stack.root() + QStringLiteral("/etc/nginx/sites-available/") + d +
                    QStringLiteral(".conf"));
        QVERIFY(vhost.open(QIODevice::Append));
        vhost.write("# edited by hand\n");
        vhost.close();
        r = check();
        QCOMPARE(r.code, 4);
        QCOMPARE(r.object().value(QLatin1String("drifted")).toInt(), 1);
        r = ssh({QStringLiteral("--json"), QStringLiteral("sites"), QStringLiteral("render"), d});
        QVERIFY2(r.code == 0, qPrintable(r.describe()));
        QCOMPARE(r.object()
                     .value(QLatin1String("result"))
                     .toObject()
                     .value(QLatin1String("rendered"))
                     .toBool(),
                 true);
        QCOMPARE(check().code, 0);
        QCOMPARE(m_stack.get(d).status, 200);

        r = ssh(
            {QStringLiteral("--json"), QStringLiteral("sites"), QStringLiteral("cache-clear"), d});
        QVERIFY2(r.code == 0, qPrintable(r.describe()));
        QVERIFY(r.object()
                    .value(QLatin1String("result"))
                    .toObject()
                    .contains(QLatin1String("removed")));
        r = ssh({QStringLiteral("sites"), QStringLiteral("db-export"), d});
        QVERIFY2(r.code == 1 && r.out.contains(QLatin1String("NO_DATABASE")),
                 qPrintable(r.describe()));
        r = ssh({QStringLiteral("sites"), QStringLiteral("php"), d, QStringLiteral("--php"),
                 QStringLiteral("8.2")});
        QVERIFY2(r.code != 0 && r.err.contains(QLatin1String("static html")),
                 qPrintable(r.describe()));
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("destroy"), d,
                      QStringLiteral("--confirm"), d}));
    }

    // chomctl coherency: a coherent fleet exits 0; a drifted vhost is found
    // (exit 1), the heal asks for --confirm, re-renders, and the next check
    // is clean again; a placed site's delete goes through its VPS.
    void coherencyFindsDriftAndHealsIt()
    {
        const QString d = QStringLiteral("coherent.example.test");
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("create"), QStringLiteral("--tenant"),
                      QStringLiteral("Acme"), QStringLiteral("--domain"), d,
                      QStringLiteral("--type"), QStringLiteral("html")}));
        Run r = ssh({QStringLiteral("--json"), QStringLiteral("coherency")});
        QVERIFY2(r.code == 0, qPrintable(r.describe()));
        QCOMPARE(r.object().value(QLatin1String("hosts_checked")).toInt(), 1);
        QFile vhost(m_stack.root() + QStringLiteral("/etc/nginx/sites-available/") + d +
                    QStringLiteral(".conf"));
        QVERIFY(vhost.open(QIODevice::Append));
        vhost.write("# edited by hand\n");
        vhost.close();
        r = ssh({QStringLiteral("--json"), QStringLiteral("coherency"), QStringLiteral("check")});
        QCOMPARE(r.code, 1);
        const QJsonArray found = r.object().value(QLatin1String("findings")).toArray();
        QCOMPARE(found.size(), 1);
        QCOMPARE(found.at(0).toObject().value(QLatin1String("kind")).toString(),
                 QStringLiteral("drifted_vhost"));
        r = run({QStringLiteral("coherency"), QStringLiteral("report")}); // read only, no SSH
        QVERIFY2(r.code == 1 && r.out.contains(QLatin1String("drifted_vhost")),
                 qPrintable(r.describe()));
        r = ssh({QStringLiteral("coherency"), QStringLiteral("heal")});
        QVERIFY2(r.code == 2 && r.err.contains(d), qPrintable(r.describe()));
        r = ssh({QStringLiteral("coherency"), QStringLiteral("heal"), QStringLiteral("--confirm")});
        QVERIFY2(r.code == 0 && r.out.contains(QLatin1String("completed")),
                 qPrintable(r.describe()));
        QCOMPARE(ssh({QStringLiteral("coherency")}).code, 0);
        r = ssh({QStringLiteral("sites"), QStringLiteral("delete"), d});
        QCOMPARE(r.code, 2); // placed: not without --confirm
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("delete"), d,
                      QStringLiteral("--confirm"), d}));
        QCOMPARE(m_stack.get(d).status, 404);
    }

    // chomctl backup: a backup into the VPS's repository (its password
    // made and kept in the encrypted secrets file), listed from the store.
    void backupCreateAndList()
    {
        const QString d = QStringLiteral("saved.example.test");
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("create"), QStringLiteral("--tenant"),
                      QStringLiteral("Acme"), QStringLiteral("--domain"), d,
                      QStringLiteral("--type"), QStringLiteral("html")}));
        const QString pass = m_dir->path() + QStringLiteral("/master-passphrase");
        QFile f(pass);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a test master passphrase\n");
        f.close();
        Run r = ssh({QStringLiteral("--passphrase-file"), pass, QStringLiteral("--json"),
                     QStringLiteral("backup"), QStringLiteral("create"), d});
        QVERIFY2(r.code == 0, qPrintable(r.describe()));
        const QJsonObject made =
            r.object().value(QLatin1String("backups")).toArray().at(0).toObject();
        QCOMPARE(made.value(QLatin1String("status")).toString(), QStringLiteral("completed"));
        QVERIFY(!made.value(QLatin1String("snapshot_id")).toString().isEmpty());
        r = run({QStringLiteral("--json"), QStringLiteral("backup"), QStringLiteral("list"),
                 QStringLiteral("--site"), d});
        CHECK_OK(r);
        QCOMPARE(r.array().size(), 1);
        QCOMPARE(r.array().at(0).toObject().value(QLatin1String("snapshot_id")).toString(),
                 made.value(QLatin1String("snapshot_id")).toString());
        r = ssh({QStringLiteral("backup"), QStringLiteral("create"), d, QStringLiteral("--type"),
                 QStringLiteral("database")});
        QVERIFY2(r.code != 0 && r.err.contains(QLatin1String("no database")),
                 qPrintable(r.describe()));
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("delete"), d,
                      QStringLiteral("--confirm"), d}));
    }

    void refusalsReachNoServer()
    {
        const int logins = m_fleet.acceptedAuthCount(0);
        const Run bad = ssh({QStringLiteral("sites"), QStringLiteral("create"),
                             QStringLiteral("--tenant"), QStringLiteral("Acme"),
                             QStringLiteral("--domain"), QStringLiteral("not_a.domain!"),
                             QStringLiteral("--type"), QStringLiteral("html")});
        QVERIFY2(bad.code != 0 && bad.isOneLineError(), qPrintable(bad.describe()));
        const Run noType = ssh({QStringLiteral("sites"), QStringLiteral("create"),
                                QStringLiteral("--tenant"), QStringLiteral("Acme"),
                                QStringLiteral("--domain"), QStringLiteral("x.example.test")});
        QCOMPARE(noType.code, 2);
        QCOMPARE(m_fleet.acceptedAuthCount(0), logins);
    }

    void aFailedProvisionSaysWhyAndExitsOne()
    {
        const QString d = QStringLiteral("newer-php.example.test");
        const Run c =
            ssh({QStringLiteral("sites"), QStringLiteral("create"), QStringLiteral("--tenant"),
                 QStringLiteral("Acme"), QStringLiteral("--domain"), d, QStringLiteral("--type"),
                 QStringLiteral("php"), QStringLiteral("--php"), QStringLiteral("8.4")});
        QCOMPARE(c.code, 1);
        QVERIFY2(c.out.contains(QLatin1String("PHP_NOT_INSTALLED")), qPrintable(c.describe()));
        const Run s =
            run({QStringLiteral("--json"), QStringLiteral("sites"), QStringLiteral("show"), d});
        QCOMPARE(s.object().value(QLatin1String("status")).toString(), QStringLiteral("failed"));
        CHECK_OK(ssh({QStringLiteral("sites"), QStringLiteral("destroy"), d,
                      QStringLiteral("--confirm"), d}));
    }
};

QTEST_GUILESS_MAIN(TestChomctlSites)
#include "tst_chomctl_sites.moc"
