#include "inventory/Validation.h"

#include <QtTest>

using namespace chom;

// Data-driven tables: spec §2.2 domain rules, IPv4/IPv6, ports, host names.
class TestValidation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void domains_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("stored");
        QTest::newRow("simple") << "example.com" << true << "example.com";
        QTest::newRow("short") << "a.co" << true << "a.co";
        QTest::newRow("numeric label") << "123numeric.com" << true << "123numeric.com";
        QTest::newRow("subdomain") << "sub.domain.example.com" << true << "sub.domain.example.com";
        QTest::newRow("upper case stored lower") << "Example.COM" << true << "example.com";
        QTest::newRow("trimmed") << "  shop.example.org \t" << true << "shop.example.org";
        QTest::newRow("inner hyphen") << "my-site.example.net" << true << "my-site.example.net";
        QTest::newRow("idn") << "bücher.de" << true << "xn--bcher-kva.de";
        QTest::newRow("idn tld") << "пример.рф" << true << "xn--e1afmkfd.xn--p1ai";
        QTest::newRow("punycode input") << "xn--bcher-kva.de" << true << "xn--bcher-kva.de";
        QTest::newRow("63 char label")
            << QString(63, 'a') + ".com" << true << QString(63, 'a') + ".com";
        QTest::newRow("empty") << "" << false << "";
        QTest::newRow("blank") << "   " << false << "";
        QTest::newRow("no tld") << "no-tld" << false << "";
        QTest::newRow("localhost") << "localhost" << false << "";
        QTest::newRow("underscore") << "my_site.com" << false << "";
        QTest::newRow("space") << "my site.com" << false << "";
        QTest::newRow("double dot") << "a..b.com" << false << "";
        QTest::newRow("ipv4") << "127.0.0.1" << false << "";
        QTest::newRow("leading dash") << "-example.com" << false << "";
        QTest::newRow("leading dot") << ".example.com" << false << "";
        QTest::newRow("trailing dash label") << "example-.com" << false << "";
        QTest::newRow("numeric tld") << "example.123" << false << "";
        QTest::newRow("one letter tld") << "example.c" << false << "";
        QTest::newRow("semicolon") << "a.com;rm -rf" << false << "";
        QTest::newRow("command subst") << "$(id).com" << false << "";
        QTest::newRow("backtick") << "`id`.com" << false << "";
        QTest::newRow("pipe") << "a|b.com" << false << "";
        QTest::newRow("ampersand") << "a&b.com" << false << "";
        QTest::newRow("braces") << "{a}.com" << false << "";
        QTest::newRow("quote") << "a'b.com" << false << "";
        QTest::newRow("newline") << "a.com\nb.com" << false << "";
        QTest::newRow("slash") << "a.com/path" << false << "";
        QTest::newRow("64 char label") << QString(64, 'a') + ".com" << false << "";
        QTest::newRow("too long")
            << QString(QString(60, QLatin1Char('a')) + QStringLiteral(".")).repeated(5) +
                   QStringLiteral("com")
            << false << "";
        QTest::newRow("trailing dot") << "example.com." << false << "";
    }
    void domains()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QFETCH(QString, stored);
        auto r = validation::normalizeDomain(input);
        QCOMPARE(r.ok(), valid);
        if (valid)
            QCOMPARE(r.value(), stored);
        else {
            QCOMPARE(r.error().code, QStringLiteral("invalid_domain"));
            QVERIFY(!r.error().message.isEmpty());
        }
    }

    void ips_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::newRow("v4") << "192.0.2.10" << true;
        QTest::newRow("v4 zero") << "0.0.0.0" << true;
        QTest::newRow("v4 max") << "255.255.255.255" << true;
        QTest::newRow("v6 loopback") << "::1" << true;
        QTest::newRow("v6 full") << "2001:db8:0:0:0:0:0:1" << true;
        QTest::newRow("v6 short") << "2001:db8::1" << true;
        QTest::newRow("v4 octet 256") << "256.1.1.1" << false;
        QTest::newRow("v4 three parts") << "127.0.1" << false;
        QTest::newRow("v4 short form") << "127.1" << false;
        QTest::newRow("v4 leading zero") << "010.0.0.1" << false;
        QTest::newRow("v4 trailing dot") << "127.0.0.1." << false;
        QTest::newRow("hostname") << "example.com" << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("v6 bad") << "2001:db8:::1" << false;
        QTest::newRow("v6 zone") << "fe80::1%eth0" << false;
        QTest::newRow("garbage") << "1.2.3.4; rm" << false;
    }
    void ips()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QCOMPARE(validation::normalizeIpAddress(input).ok(), valid);
    }

    void ports_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::newRow("1") << "1" << true;
        QTest::newRow("22") << "22" << true;
        QTest::newRow("65535") << "65535" << true;
        QTest::newRow("0") << "0" << false;
        QTest::newRow("65536") << "65536" << false;
        QTest::newRow("negative") << "-22" << false;
        QTest::newRow("text") << "ssh" << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("float") << "22.5" << false;
    }
    void ports()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QCOMPARE(validation::validatePortText(input).ok(), valid);
    }

    void hostnames_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::newRow("single label") << "web-01" << true;
        QTest::newRow("fqdn") << "web-01.fsn1.example.net" << true;
        QTest::newRow("upper") << "WEB-01" << true;
        QTest::newRow("underscore") << "web_01" << false;
        QTest::newRow("space") << "web 01" << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("leading dash") << "-web" << false;
        QTest::newRow("double dot") << "web..example" << false;
    }
    void hostnames()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QCOMPARE(validation::normalizeHostname(input).ok(), valid);
    }

    void text_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QStringLiteral("Acme Hosting GmbH") << true;
        QTest::newRow("accents and CJK") << QStringLiteral("Société 日本") << true;
        QTest::newRow("emoji") << QStringLiteral("Shop 🛒") << true;
        QTest::newRow("empty is text") << QString() << true;
        QTest::newRow("50 chars") << QString(50, QLatin1Char('a')) << true;
        QTest::newRow("51 chars") << QString(51, QLatin1Char('a')) << false;
        QTest::newRow("escape") << QStringLiteral("a\x1b[31mred") << false;
        QTest::newRow("newline") << QStringLiteral("a\nb") << false;
        QTest::newRow("tab") << QStringLiteral("a\tb") << false;
        QTest::newRow("DEL") << QStringLiteral("a\x7f") << false;
        QTest::newRow("C1 CSI") << (QStringLiteral("a") + QChar(0x9b)) << false;
        QTest::newRow("RLO bidi") << (QStringLiteral("abc") + QChar(0x202e) + "cba") << false;
        QTest::newRow("isolate") << (QStringLiteral("a") + QChar(0x2067)) << false;
        QTest::newRow("zero width space")
            << (QStringLiteral("ad") + QChar(0x200b) + "min") << false;
        QTest::newRow("zero width joiner") << (QStringLiteral("a") + QChar(0x200d)) << false;
        QTest::newRow("BOM") << (QChar(0xfeff) + QStringLiteral("a")) << false;
        QTest::newRow("line separator") << (QStringLiteral("a") + QChar(0x2028)) << false;
    }
    void text()
    {
        QFETCH(QString, value);
        QFETCH(bool, valid);
        const Status st = validation::validateText(QStringLiteral("The provider"), value, 50);
        QCOMPARE(st.ok(), valid);
        if (!valid)
            QVERIFY(st.error().message.startsWith(QLatin1String("The provider")));
    }

    void documentRoots_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("stored"); // "!" = refused
        QTest::newRow("default") << QString() << QString();
        QTest::newRow("public") << "/var/www/sites/a.com/public"
                                << "/var/www/sites/a.com/public";
        QTest::newRow("the home") << "/var/www/sites/a.com"
                                  << "/var/www/sites/a.com";
        QTest::newRow("relative") << "public"
                                  << "!";
        QTest::newRow("dot dot out") << "/var/www/sites/a.com/../b.com"
                                     << "!";
        QTest::newRow("dot dot etc") << "/var/www/sites/a.com/../../../etc"
                                     << "!";
        QTest::newRow("dot") << "/var/www/sites/a.com/./public"
                             << "!";
        QTest::newRow("double slash") << "/var/www/sites/a.com//public"
                                      << "!";
        QTest::newRow("trailing slash") << "/var/www/sites/a.com/public/"
                                        << "!";
        QTest::newRow("other site") << "/var/www/sites/b.com/public"
                                    << "!";
        QTest::newRow("prefix trick") << "/var/www/sites/a.com.evil/public"
                                      << "!";
        QTest::newRow("outside") << "/etc"
                                 << "!";
        QTest::newRow("newline") << "/var/www/sites/a.com/x\nserver { }"
                                 << "!";
        QTest::newRow("escape") << "/var/www/sites/a.com/\x1b]0;x\x07"
                                << "!";
        QTest::newRow("too long") << "/var/www/sites/a.com/" + QString(500, 'x') << "!";
    }
    void documentRoots()
    {
        QFETCH(QString, input);
        QFETCH(QString, stored);
        const auto r = validation::normalizeDocumentRoot(QStringLiteral("a.com"), input);
        if (stored == QLatin1String("!")) {
            QVERIFY2(!r, qPrintable(input));
            QCOMPARE(r.error().code, QStringLiteral("invalid_path"));
        } else {
            QVERIFY2(r, qPrintable(r.errorMessage()));
            QCOMPARE(r.value(), stored);
        }
    }

    void php()
    {
        QVERIFY(validation::validatePhpVersion(QStringLiteral("8.2")).ok());
        QVERIFY(validation::validatePhpVersion(QStringLiteral("8.4")).ok());
        QVERIFY(!validation::validatePhpVersion(QStringLiteral("7.4")).ok());
        QVERIFY(!validation::validatePhpVersion(QStringLiteral("8.2; id")).ok());
    }
};

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
