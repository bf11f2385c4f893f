// chomctl end to end, inventory: tenants, VPS and sites through the real
// executable, with the services' validation, quotas and cascades.

#include "ChomctlFixture.h"

#include <QSettings>
#include <QTemporaryDir>

using chom::test::ChomctlFixture;
using chom::test::Run;

class TestChomctl : public ChomctlFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        freshStore();
        QVERIFY(storeDirValid());
    }

    void tenantLifecycle()
    {
        const qint64 id = addTenant(QStringLiteral("Acme Hosting"));
        QVERIFY(id > 0);

        const Run list = run({QStringLiteral("tenants"), QStringLiteral("list")});
        CHECK_OK(list);
        QVERIFY(list.out.contains(QLatin1String("Acme Hosting")));
        QVERIFY(list.out.contains(QLatin1String("0 / 5")));

        const Run show =
            run({QStringLiteral("tenants"), QStringLiteral("show"), QString::number(id)});
        CHECK_OK(show);
        QVERIFY(show.out.contains(QLatin1String("starter")));
        QVERIFY(show.out.contains(QLatin1String("0 / 5")));
        // By slug too.
        CHECK_OK(run(
            {QStringLiteral("tenants"), QStringLiteral("show"), QStringLiteral("acme-hosting")}));

        const Run upd =
            runJson({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(id),
                     QStringLiteral("--name"), QStringLiteral("Acme Ltd"), QStringLiteral("--tier"),
                     QStringLiteral("pro")});
        CHECK_OK(upd);
        QCOMPARE(upd.object().value(QStringLiteral("name")).toString(), QStringLiteral("Acme Ltd"));
        QCOMPARE(upd.object().value(QStringLiteral("tier")).toString(), QStringLiteral("pro"));
        QCOMPARE(upd.object().value(QStringLiteral("sites_quota")).toString(),
                 QStringLiteral("0 / 25"));

        CHECK_FAILS(run({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(id),
                         QStringLiteral("--tier"), QStringLiteral("platinum")}),
                    2);
        CHECK_FAILS(run({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(id),
                         QStringLiteral("--name"), QStringLiteral("   ")}),
                    5);

        const Run filtered = runJson({QStringLiteral("tenants"), QStringLiteral("list"),
                                      QStringLiteral("--tier"), QStringLiteral("starter")});
        CHECK_OK(filtered);
        QCOMPARE(filtered.array().size(), 0);

        CHECK_OK(run({QStringLiteral("tenants"), QStringLiteral("delete"), QString::number(id)}));
        CHECK_FAILS(run({QStringLiteral("tenants"), QStringLiteral("show"), QString::number(id)}),
                    3);
        QCOMPARE(runJson({QStringLiteral("tenants"), QStringLiteral("list")}).array().size(), 0);
    }

    void tenantDeleteRefusedWhileItHasSites()
    {
        const qint64 t = addTenant(QStringLiteral("Busy"));
        QVERIFY(addSite(t, QStringLiteral("busy.example.com")) > 0);
        const Run r =
            run({QStringLiteral("tenants"), QStringLiteral("delete"), QString::number(t)});
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(QLatin1String("1 site")), qPrintable(r.err));
        CHECK_OK(run({QStringLiteral("tenants"), QStringLiteral("show"), QString::number(t)}));
    }

    void vpsAddAndValidation()
    {
        const Run good =
            runJson({QStringLiteral("vps"), QStringLiteral("add"), QStringLiteral("--hostname"),
                     QStringLiteral("Web-1.Example.net"), QStringLiteral("--ip"),
                     QStringLiteral("203.0.113.10"), QStringLiteral("--port"),
                     QStringLiteral("2222"), QStringLiteral("--provider"),
                     QStringLiteral("hetzner"), QStringLiteral("--cpu"), QStringLiteral("4")});
        CHECK_OK(good);
        const QJsonObject v = good.object();
        QCOMPARE(v.value(QStringLiteral("hostname")).toString(),
                 QStringLiteral("web-1.example.net"));
        QCOMPARE(v.value(QStringLiteral("ssh_port")).toInt(), 2222);
        QCOMPARE(v.value(QStringLiteral("spec_cpu")).toInt(), 4);
        QCOMPARE(v.value(QStringLiteral("status")).toString(), QStringLiteral("provisioning"));

        const auto addWith = [this](const QString& host, const QString& ip, const QString& port) {
            return run({QStringLiteral("vps"), QStringLiteral("add"), QStringLiteral("--hostname"),
                        host, QStringLiteral("--ip"), ip, QStringLiteral("--port"), port});
        };
        const QString okHost = QStringLiteral("web-2.example.net");
        const QString okIp = QStringLiteral("203.0.113.11");
        Run r = addWith(okHost, QStringLiteral("999.1.2.3"), QStringLiteral("22"));
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(QLatin1String("999.1.2.3")), qPrintable(r.err));
        CHECK_FAILS(addWith(okHost, QStringLiteral("127.0.0"), QStringLiteral("22")), 5);
        r = addWith(okHost, okIp, QStringLiteral("70000"));
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(QLatin1String("70000")), qPrintable(r.err));
        CHECK_FAILS(addWith(okHost, okIp, QStringLiteral("ssh")), 5);
        CHECK_FAILS(addWith(okHost, okIp, QStringLiteral("0")), 5);
        r = addWith(QStringLiteral("bad_host!"), okIp, QStringLiteral("22"));
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(QLatin1String("host name")), qPrintable(r.err));
        CHECK_FAILS(addWith(QStringLiteral("-lead.example.net"), okIp, QStringLiteral("22")), 5);
        // Duplicate host name (case-insensitive).
        r = addWith(QStringLiteral("WEB-1.example.net"), okIp, QStringLiteral("22"));
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(QLatin1String("already exists")), qPrintable(r.err));
        // Nothing of the refused attempts was stored.
        QCOMPARE(runJson({QStringLiteral("vps"), QStringLiteral("list")}).array().size(), 1);

        // IPv6 and update by host name.
        QVERIFY(addVps(okHost, QStringLiteral("2001:DB8::1")) > 0);
        const Run upd = runJson({QStringLiteral("vps"), QStringLiteral("update"), okHost,
                                 QStringLiteral("--status"), QStringLiteral("active"),
                                 QStringLiteral("--region"), QStringLiteral("fsn1")});
        CHECK_OK(upd);
        QCOMPARE(upd.object().value(QStringLiteral("status")).toString(), QStringLiteral("active"));
        QCOMPARE(upd.object().value(QStringLiteral("ip_address")).toString(),
                 QStringLiteral("2001:db8::1"));
        CHECK_FAILS(run({QStringLiteral("vps"), QStringLiteral("update"), okHost,
                         QStringLiteral("--memory-mb"), QStringLiteral("100")}),
                    5);
    }

    void vpsDeleteRefusedWhileHostingSites()
    {
        const qint64 t = addTenant(QStringLiteral("Hosted"));
        const qint64 vps =
            addVps(QStringLiteral("node-1.example.net"), QStringLiteral("198.51.100.7"));
        QVERIFY(t > 0 && vps > 0);
        const qint64 site =
            addSite(t, QStringLiteral("hosted.example.com"),
                    {QStringLiteral("--vps"), QStringLiteral("node-1.example.net")});
        QVERIFY(site > 0);
        const Run show =
            runJson({QStringLiteral("vps"), QStringLiteral("show"), QString::number(vps)});
        CHECK_OK(show);
        QCOMPARE(show.object().value(QStringLiteral("site_count")).toInt(), 1);

        const Run refused =
            run({QStringLiteral("vps"), QStringLiteral("delete"), QString::number(vps)});
        CHECK_FAILS(refused, 5);
        QVERIFY2(refused.err.contains(QLatin1String("node-1.example.net")) &&
                     refused.err.contains(QLatin1String("1 site")),
                 qPrintable(refused.err));
        CHECK_OK(run({QStringLiteral("vps"), QStringLiteral("show"), QString::number(vps)}));

        // A placed site is never silently left on its server.
        const Run placed = run({QStringLiteral("sites"), QStringLiteral("delete"),
                                QStringLiteral("hosted.example.com")});
        CHECK_FAILS(placed, 2);
        QVERIFY2(placed.err.contains(QLatin1String("--record-only")), qPrintable(placed.err));
        CHECK_OK(run({QStringLiteral("sites"), QStringLiteral("delete"),
                      QStringLiteral("hosted.example.com"), QStringLiteral("--record-only")}));
        CHECK_OK(run({QStringLiteral("vps"), QStringLiteral("delete"),
                      QStringLiteral("node-1.example.net")}));
        CHECK_FAILS(run({QStringLiteral("vps"), QStringLiteral("show"), QString::number(vps)}), 3);
    }

    void siteDomainValidation_data()
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("space") << QStringLiteral("exa mple.com") << QStringLiteral("characters");
        QTest::newRow("no dot") << QStringLiteral("localhost") << QStringLiteral("dot");
        QTest::newRow("leading hyphen") << QStringLiteral("-bad.com") << QStringLiteral("start");
        QTest::newRow("double dot")
            << QStringLiteral("a..example.com") << QStringLiteral("empty label");
        QTest::newRow("shell") << QStringLiteral("x.com;rm -rf") << QStringLiteral("characters");
        QTest::newRow("numeric tld")
            << QStringLiteral("example.123") << QStringLiteral("top-level");
    }

    void siteDomainValidation()
    {
        QFETCH(QString, domain);
        QFETCH(QString, mentions);
        const qint64 t = addTenant(QStringLiteral("Validator"));
        QVERIFY(t > 0);
        const Run r =
            run({QStringLiteral("sites"), QStringLiteral("add"), QStringLiteral("--tenant"),
                 QString::number(t), QStringLiteral("--domain"), domain});
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
        QCOMPARE(runJson({QStringLiteral("sites"), QStringLiteral("list")}).array().size(), 0);
    }

    void siteFieldValidationAndIdn()
    {
        const qint64 t = addTenant(QStringLiteral("Books"));
        Run r =
            run({QStringLiteral("sites"), QStringLiteral("add"), QStringLiteral("--tenant"),
                 QString::number(t), QStringLiteral("--domain"), QStringLiteral("ok.example.com"),
                 QStringLiteral("--php"), QStringLiteral("5.6")});
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(QLatin1String("PHP 5.6")), qPrintable(r.err));
        CHECK_FAILS(
            run({QStringLiteral("sites"), QStringLiteral("add"), QStringLiteral("--tenant"),
                 QString::number(t), QStringLiteral("--domain"), QStringLiteral("ok.example.com"),
                 QStringLiteral("--type"), QStringLiteral("java")}),
            2);
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("add"), QStringLiteral("--tenant"),
                         QStringLiteral("12345"), QStringLiteral("--domain"),
                         QStringLiteral("ok.example.com")}),
                    3);

        r = runJson({QStringLiteral("sites"), QStringLiteral("add"), QStringLiteral("--tenant"),
                     QString::number(t), QStringLiteral("--domain"), QStringLiteral("Bücher.DE"),
                     QStringLiteral("--type"), QStringLiteral("laravel"), QStringLiteral("--php"),
                     QStringLiteral("8.3")});
        CHECK_OK(r);
        QCOMPARE(r.object().value(QStringLiteral("domain")).toString(),
                 QStringLiteral("xn--bcher-kva.de"));
        QCOMPARE(r.object().value(QStringLiteral("type")).toString(), QStringLiteral("laravel"));
        QCOMPARE(r.object().value(QStringLiteral("status")).toString(), QStringLiteral("creating"));
        // Found again by its Unicode and its stored form.
        const Run show =
            run({QStringLiteral("sites"), QStringLiteral("show"), QStringLiteral("bücher.de")});
        CHECK_OK(show);
        QVERIFY(show.out.contains(QLatin1String("xn--bcher-kva.de")));
        CHECK_OK(run(
            {QStringLiteral("sites"), QStringLiteral("show"), QStringLiteral("xn--bcher-kva.de")}));
    }

    void duplicateDomainAcrossTenantsRefused()
    {
        const qint64 a = addTenant(QStringLiteral("Alpha"));
        const qint64 b = addTenant(QStringLiteral("Beta"));
        QVERIFY(addSite(a, QStringLiteral("shared.example.com")) > 0);
        const Run r = run({QStringLiteral("sites"), QStringLiteral("add"),
                           QStringLiteral("--tenant"), QString::number(b),
                           QStringLiteral("--domain"), QStringLiteral(" SHARED.example.COM ")});
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(QLatin1String("shared.example.com")) &&
                     r.err.contains(QLatin1String("already")),
                 qPrintable(r.err));
        const Run listB = runJson({QStringLiteral("sites"), QStringLiteral("list"),
                                   QStringLiteral("--tenant"), QString::number(b)});
        CHECK_OK(listB);
        QCOMPARE(listB.array().size(), 0);
        // Renaming another site onto it is refused too.
        QVERIFY(addSite(b, QStringLiteral("beta.example.com")) > 0);
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("update"),
                         QStringLiteral("beta.example.com"), QStringLiteral("--domain"),
                         QStringLiteral("shared.example.com")}),
                    5);
    }

    void starterQuotaRefusesSixthSite()
    {
        const qint64 t = addTenant(QStringLiteral("Small Shop"), QStringLiteral("starter"));
        for (int i = 1; i <= 5; ++i)
            QVERIFY(addSite(t, QStringLiteral("s%1.example.com").arg(i)) > 0);
        const Run r =
            run({QStringLiteral("sites"), QStringLiteral("add"), QStringLiteral("--tenant"),
                 QString::number(t), QStringLiteral("--domain"), QStringLiteral("s6.example.com")});
        QVERIFY(r.code != 0);
        CHECK_FAILS(r, 5);
        QVERIFY2(r.err.contains(QLatin1String("quota"), Qt::CaseInsensitive), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("5 of 5")), qPrintable(r.err));
        const Run show =
            run({QStringLiteral("tenants"), QStringLiteral("show"), QString::number(t)});
        QVERIFY(show.out.contains(QLatin1String("5 / 5")));
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("show"),
                         QStringLiteral("s6.example.com")}),
                    3);
        // Upgrading the tier lifts the cap.
        CHECK_OK(run({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(t),
                      QStringLiteral("--tier"), QStringLiteral("pro")}));
        QVERIFY(addSite(t, QStringLiteral("s6.example.com")) > 0);
        // And a downgrade below the site count is refused.
        const Run down =
            run({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(t),
                 QStringLiteral("--tier"), QStringLiteral("starter")});
        CHECK_FAILS(down, 5);
        QVERIFY(down.err.contains(QLatin1String("quota")));
    }

    void suspendingTenantDisablesItsActiveSites()
    {
        const qint64 t = addTenant(QStringLiteral("Suspendable"));
        const qint64 other = addTenant(QStringLiteral("Bystander"));
        const QStringList active{QStringLiteral("--status"), QStringLiteral("active")};
        QVERIFY(addSite(t, QStringLiteral("one.example.com"), active) > 0);
        QVERIFY(addSite(t, QStringLiteral("two.example.com"), active) > 0);
        QVERIFY(addSite(t, QStringLiteral("new.example.com")) > 0); // creating
        QVERIFY(addSite(other, QStringLiteral("other.example.com"), active) > 0);

        const Run susp =
            runJson({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(t),
                     QStringLiteral("--status"), QStringLiteral("suspended")});
        CHECK_OK(susp);
        QCOMPARE(susp.object().value(QStringLiteral("status")).toString(),
                 QStringLiteral("suspended"));

        const auto statusOf = [this](const QString& domain) {
            return runJson({QStringLiteral("sites"), QStringLiteral("show"), domain})
                .object()
                .value(QStringLiteral("status"))
                .toString();
        };
        QCOMPARE(statusOf(QStringLiteral("one.example.com")), QStringLiteral("disabled"));
        QCOMPARE(statusOf(QStringLiteral("two.example.com")), QStringLiteral("disabled"));
        QCOMPARE(statusOf(QStringLiteral("new.example.com")), QStringLiteral("creating"));
        QCOMPARE(statusOf(QStringLiteral("other.example.com")), QStringLiteral("active"));
        const Run disabled =
            runJson({QStringLiteral("sites"), QStringLiteral("list"), QStringLiteral("--tenant"),
                     QString::number(t), QStringLiteral("--status"), QStringLiteral("disabled")});
        QCOMPARE(disabled.array().size(), 2);

        // A suspended tenant takes no new sites.
        const Run refused = run({QStringLiteral("sites"), QStringLiteral("add"),
                                 QStringLiteral("--tenant"), QString::number(t),
                                 QStringLiteral("--domain"), QStringLiteral("three.example.com")});
        CHECK_FAILS(refused, 5);
        QVERIFY(refused.err.contains(QLatin1String("suspended")));

        CHECK_OK(run({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(t),
                      QStringLiteral("--status"), QStringLiteral("active")}));
        QCOMPARE(statusOf(QStringLiteral("one.example.com")), QStringLiteral("active"));
        QCOMPARE(statusOf(QStringLiteral("new.example.com")), QStringLiteral("creating"));
    }

    void siteUpdateAndDelete()
    {
        const qint64 t = addTenant(QStringLiteral("Mover"));
        const qint64 t2 = addTenant(QStringLiteral("Receiver"));
        const qint64 vps =
            addVps(QStringLiteral("edge-1.example.net"), QStringLiteral("192.0.2.20"));
        const qint64 id = addSite(t, QStringLiteral("move.example.com"),
                                  {QStringLiteral("--vps"), QString::number(vps),
                                   QStringLiteral("--ssl-expires"), QStringLiteral("+5d")});
        QVERIFY(id > 0);
        const Run expiring = runJson(
            {QStringLiteral("sites"), QStringLiteral("list"), QStringLiteral("--ssl-expiring")});
        CHECK_OK(expiring);
        QCOMPARE(expiring.array().size(), 1);

        const Run upd =
            runJson({QStringLiteral("sites"), QStringLiteral("update"), QString::number(id),
                     QStringLiteral("--domain"), QStringLiteral("moved.example.com"),
                     QStringLiteral("--php"), QStringLiteral("8.4"), QStringLiteral("--vps"),
                     QStringLiteral("none"), QStringLiteral("--tenant"), QString::number(t2),
                     QStringLiteral("--status"), QStringLiteral("active"),
                     QStringLiteral("--ssl-expires"), QStringLiteral("+60d")});
        CHECK_OK(upd);
        const QJsonObject s = upd.object();
        QCOMPARE(s.value(QStringLiteral("domain")).toString(), QStringLiteral("moved.example.com"));
        QCOMPARE(s.value(QStringLiteral("php_version")).toString(), QStringLiteral("8.4"));
        QVERIFY(s.value(QStringLiteral("vps_id")).isNull());
        QCOMPARE(s.value(QStringLiteral("tenant_id")).toInteger(), t2);
        QCOMPARE(s.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
        QCOMPARE(s.value(QStringLiteral("ssl_state")).toString(), QStringLiteral("valid"));
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("update"), QString::number(id)}),
                    2);
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("update"), QString::number(id),
                         QStringLiteral("--php"), QStringLiteral("7.4")}),
                    5);

        const Run del = runJson({QStringLiteral("sites"), QStringLiteral("delete"),
                                 QStringLiteral("moved.example.com")});
        CHECK_OK(del);
        QCOMPARE(del.object().value(QStringLiteral("id")).toInteger(), id);
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("show"), QString::number(id)}), 3);
        CHECK_FAILS(run({QStringLiteral("sites"), QStringLiteral("delete"), QString::number(id)}),
                    3);
    }

    // Without --ssh-key, --ssh-agent or $CHOM_SSH_KEY the fleet actions take
    // the identity the console saved (its QSettings file under
    // XDG_CONFIG_HOME); a key in the console's secret store is refused with
    // the options to use instead, before any connection.
    void fleetActionRefusesTheConsolesSecretIdentity()
    {
        const qint64 vps =
            addVps(QStringLiteral("web-1.example.net"), QStringLiteral("192.0.2.10"));
        QVERIFY(vps > 0);
        QTemporaryDir config;
        QVERIFY(config.isValid());
        {
            QSettings console(config.filePath(QStringLiteral("chom/chom-console.conf")),
                              QSettings::IniFormat);
            console.setValue(QStringLiteral("ssh/identity"),
                             QStringLiteral("secret:ed25519/chom-console"));
        }
        QProcessEnvironment env = headlessEnv();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), config.path());
        env.remove(QStringLiteral("CHOM_SSH_KEY"));
        const QStringList test{QStringLiteral("--data-dir"), m_dir->path(), QStringLiteral("vps"),
                               QStringLiteral("test"), QString::number(vps)};
        const Run refused = exec(test, env);
        CHECK_FAILS(refused, 2);
        QVERIFY2(refused.err.contains(QLatin1String("ed25519/chom-console")) &&
                     refused.err.contains(QLatin1String("--ssh-key")),
                 qPrintable(refused.describe()));
    }
};

QTEST_GUILESS_MAIN(TestChomctl)
#include "tst_chomctl.moc"
