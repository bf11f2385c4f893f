// TlsProbe against real servers: the TLS farm (scripts/services/tls-farm.sh:
// an nginx serving 200 site certificates and the special ones by SNI on
// 127.0.0.1:18440, plain HTTP on 18441), a closed port (18442) and a TCP
// server that never speaks (18443). What the served certificate says, trust
// against the farm's CA and the system's, the name rules, each failure's
// code, bounded concurrency, order, cancel and destruction mid-flight.
#include "sites/ServedSslCheck.h"
#include "sites/TlsCertificateFacts.h"
#include "sites/TlsNames.h"
#include "sites/TlsProbe.h"

#include <QFileInfo>
#include <QPointer>
#include <QProcess>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace chom;

namespace {

const QString kFarmScript = QStringLiteral(CHOM_SOURCE_DIR "/scripts/services/tls-farm.sh");
const QString kLoopback = QStringLiteral("127.0.0.1");
constexpr quint16 kFarmPort = 18440; // TLS; plain HTTP on 18441
constexpr quint16 kHttpPort = 18441;
constexpr quint16 kClosedPort = 18442;
constexpr quint16 kSilentPort = 18443;
constexpr int kSites = 200;

QString site(int i)
{
    return QStringLiteral("site%1.tls.test").arg(i);
}

// The farm, stopped (and its directory removed) when this goes, so that a
// failed or aborted test function leaves no nginx behind.
class TlsFarm
{
public:
    static QString unavailableReason()
    {
        if (!QFileInfo(QStringLiteral("/usr/sbin/nginx")).isExecutable())
            return QStringLiteral("nginx is not installed (scripts/install-deps.sh test)");
        if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            return QStringLiteral("openssl is not installed (scripts/install-deps.sh test)");
        return {};
    }
    ~TlsFarm() { stop(); }

    bool start(int count, quint16 port)
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QProcess p;
        p.start(QStringLiteral("bash"), {kFarmScript, QStringLiteral("start"), path(),
                                         QString::number(count), QString::number(port)});
        if (!p.waitForFinished(120000) || p.exitStatus() != QProcess::NormalExit ||
            p.exitCode() != 0) {
            m_error = QString::fromUtf8(p.readAllStandardError());
            stop();
            return false;
        }
        return true;
    }
    void stop()
    {
        if (!m_dir)
            return;
        QProcess::execute(QStringLiteral("bash"), {kFarmScript, QStringLiteral("stop"), path()});
        m_dir.reset();
    }
    QString path() const { return m_dir ? m_dir->path() : QString(); }
    QString error() const { return m_error; }
    QSslCertificate certificate(const QString& stem) const
    {
        return QSslCertificate::fromPath(path() + QStringLiteral("/certs/") + stem +
                                         QStringLiteral(".pem"))
            .value(0);
    }
    QList<QSslCertificate> ca() const
    {
        return QSslCertificate::fromPath(path() + QStringLiteral("/ca.pem"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_error;
};

TlsTarget farmTarget(const QString& domain, quint16 port = kFarmPort)
{
    return {domain, kLoopback, port};
}

// Sockets of the probe that are not closed: counted on the objects
// themselves, not taken from the probe's own bookkeeping.
int liveSockets(const TlsProbe& probe)
{
    int n = 0;
    for (const QSslSocket* s : probe.findChildren<QSslSocket*>())
        n += s->state() != QAbstractSocket::UnconnectedState ? 1 : 0;
    return n;
}

} // namespace

class TestTlsProbe : public QObject
{
    Q_OBJECT
    TlsFarm m_farm;
    QTcpServer m_silent; // accepts, never answers

    TlsProbe::Options farmOptions(int timeoutMs = 5000) const
    {
        TlsProbe::Options o;
        o.timeoutMs = timeoutMs;
        o.caCertificates = m_farm.ca();
        return o;
    }

    // Runs one batch to its callback; fails the test when it never comes or
    // comes twice.
    static QVector<ServedCertificate> run(TlsProbe& probe, const QVector<TlsTarget>& targets,
                                          int waitMs = 20000)
    {
        QVector<ServedCertificate> out;
        int calls = 0;
        probe.probe(targets, [&](const QVector<ServedCertificate>& r) {
            out = r;
            ++calls;
        });
        QElapsedTimer clock;
        clock.start();
        while (calls == 0 && clock.elapsed() < waitMs)
            QTest::qWait(5);
        QTest::qWait(20); // a second call would land here
        if (calls != 1)
            qWarning("the callback ran %d times", calls);
        return calls == 1 ? out : QVector<ServedCertificate>();
    }

    static ServedCertificate runOne(TlsProbe& probe, const TlsTarget& t)
    {
        const QVector<ServedCertificate> r = run(probe, {t});
        return r.value(0);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = TlsFarm::unavailableReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        QVERIFY2(m_farm.start(kSites, kFarmPort), qPrintable(m_farm.error()));
        QCOMPARE(m_farm.ca().size(), 1);
        QVERIFY2(m_silent.listen(QHostAddress::LocalHost, kSilentPort),
                 qPrintable(m_silent.errorString()));
        QTcpServer probeClosed; // proves that nothing listens on the closed port
        QVERIFY2(probeClosed.listen(QHostAddress::LocalHost, kClosedPort),
                 qPrintable(probeClosed.errorString()));
    }

    void cleanupTestCase()
    {
        m_silent.close();
        m_farm.stop();
    }

    // --- the name rules (no network) ------------------------------------------------

    void nameMatches_data()
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("matches");
        auto row = [](const char* tag, const char* d, const char* p, bool m) {
            QTest::newRow(tag) << QString::fromUtf8(d) << QString::fromUtf8(p) << m;
        };
        row("exact", "example.com", "example.com", true);
        row("case", "Example.COM", "eXample.com", true);
        row("trailing dot", "example.com.", "example.com", true);
        row("other name", "example.org", "example.com", false);
        row("wildcard", "www.example.com", "*.example.com", true);
        row("wildcard, case", "WWW.Example.com", "*.EXAMPLE.com", true);
        row("wildcard needs a label", "example.com", "*.example.com", false);
        row("wildcard is one label", "a.b.example.com", "*.example.com", false);
        row("wildcard, other suffix", "www.example.org", "*.example.com", false);
        row("wildcard, glued suffix", "wwwexample.com", "*.example.com", false);
        row("partial wildcard", "www.example.com", "w*.example.com", false);
        row("wildcard not left-most", "www.example.com", "www.*.com", false);
        row("two wildcards", "a.b.example.com", "*.*.example.com", false);
        row("wildcard over a TLD", "example.com", "*.com", false);
        row("bare wildcard", "com", "*", false);
        row("wildcard asked", "*.example.com", "*.example.com", false);
        row("empty label", "a..example.com", "a..example.com", false);
        row("empty", "", "", false);
        row("international", "bücher.example", "xn--bcher-kva.example", true);
        row("international wildcard", "www.bücher.example", "*.xn--bcher-kva.example", true);
    }
    void nameMatches()
    {
        QFETCH(QString, domain);
        QFETCH(QString, pattern);
        QFETCH(bool, matches);
        QCOMPARE(tlsNameMatches(domain, pattern), matches);
    }

    void namesMatchAny()
    {
        const QStringList names{QStringLiteral("example.com"), QStringLiteral("*.example.org")};
        QVERIFY(tlsNamesMatch(QStringLiteral("a.example.org"), names));
        QVERIFY(tlsNamesMatch(QStringLiteral("example.com"), names));
        QVERIFY(!tlsNamesMatch(QStringLiteral("a.example.com"), names));
        QVERIFY(!tlsNamesMatch(QStringLiteral("example.com"), {}));
    }

    // A name mismatch does not make the chain untrusted; any chain error does.
    void trustFromHandshakeErrors()
    {
        const QSslCertificate leaf = m_farm.certificate(site(1));
        QVERIFY(!leaf.isNull());
        ServedCertificate r;
        r.domain = site(1);
        readServedCertificate(r, {leaf}, {QSslError(QSslError::HostNameMismatch, leaf)});
        QVERIFY(r.trusted);
        QVERIFY(r.namesMatch);
        QCOMPARE(r.issuer, QStringLiteral("CHOM Farm CA"));
        readServedCertificate(r, {leaf}, {QSslError(QSslError::CertificateExpired, leaf)});
        QVERIFY(!r.trusted);
        QCOMPARE(r.trustErrors.size(), 1);
        readServedCertificate(r, {}, {});
        QVERIFY(!r.trusted);
    }

    // --- what the farm serves -------------------------------------------------------

    void served_data()
    {
        QTest::addColumn<QString>("domain");
        QTest::addColumn<bool>("farmCa");  // trust the farm's CA, else the system's
        QTest::addColumn<QString>("stem"); // the certificate file nginx must send
        QTest::addColumn<bool>("trusted");
        QTest::addColumn<bool>("namesMatch");
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("name");
        const QString ca = QStringLiteral("CHOM Farm CA");
        const QString wild = QStringLiteral("*.wild.tls.test");
        QTest::newRow("valid") << site(7) << true << site(7) << true << true << ca << site(7);
        QTest::newRow("valid, system CAs")
            << site(7) << false << site(7) << false << true << ca << site(7);
        QTest::newRow("last site")
            << site(kSites) << true << site(kSites) << true << true << ca << site(kSites);
        QTest::newRow("expired") << QStringLiteral("expired.tls.test") << true
                                 << QStringLiteral("expired.tls.test") << false << true << ca
                                 << QStringLiteral("expired.tls.test");
        QTest::newRow("wrong name")
            << QStringLiteral("wrong.tls.test") << true << QStringLiteral("wrong.tls.test") << true
            << false << ca << QStringLiteral("other.tls.test");
        QTest::newRow("unknown name, default server")
            << QStringLiteral("nobody.tls.test") << true << QStringLiteral("default.tls.test")
            << true << false << ca << QStringLiteral("default.tls.test");
        QTest::newRow("self-signed")
            << QStringLiteral("selfsigned.tls.test") << true
            << QStringLiteral("selfsigned.tls.test") << false << true
            << QStringLiteral("selfsigned.tls.test") << QStringLiteral("selfsigned.tls.test");
        QTest::newRow("wildcard, one label")
            << QStringLiteral("a.wild.tls.test") << true << QStringLiteral("wild.tls.test") << true
            << true << ca << wild;
        QTest::newRow("wildcard, two labels")
            << QStringLiteral("a.b.wild.tls.test") << true << QStringLiteral("wild.tls.test")
            << true << false << ca << wild;
    }
    void served()
    {
        QFETCH(QString, domain);
        QFETCH(bool, farmCa);
        QFETCH(QString, stem);
        QFETCH(bool, trusted);
        QFETCH(bool, namesMatch);
        QFETCH(QString, issuer);
        QFETCH(QString, name);
        TlsProbe probe(farmCa ? farmOptions() : TlsProbe::Options{});
        const ServedCertificate r = runOne(probe, farmTarget(domain));
        QVERIFY2(r.reachable, qPrintable(r.errorCode + QLatin1Char(' ') + r.error));
        QCOMPARE(r.errorCode, QString());
        QCOMPARE(r.domain, domain);
        QCOMPARE(r.address, QStringLiteral("127.0.0.1:18440"));
        const QSslCertificate made = m_farm.certificate(stem);
        QVERIFY(!made.isNull());
        QCOMPARE(r.sha256, QString::fromLatin1(made.digest(QCryptographicHash::Sha256).toHex()));
        QCOMPARE(r.notAfter, made.expiryDate());
        QCOMPARE(r.notBefore, made.effectiveDate());
        QCOMPARE(r.names, QStringList{name});
        QCOMPARE(r.issuer, issuer);
        QVERIFY2(r.trusted == trusted, qPrintable(r.trustErrors.join(QStringLiteral("; "))));
        QCOMPARE(r.trustErrors.isEmpty(), trusted);
        QCOMPARE(r.namesMatch, namesMatch);
        QVERIFY(r.durationMs >= 0 && r.durationMs < 5000);
    }

    void expiredNotAfterAsMade()
    {
        TlsProbe probe(farmOptions());
        const ServedCertificate r = runOne(probe, farmTarget(QStringLiteral("expired.tls.test")));
        QCOMPARE(r.notAfter, QDateTime(QDate(2020, 2, 1), QTime(0, 0), Qt::UTC));
        QCOMPARE(r.notBefore, QDateTime(QDate(2020, 1, 1), QTime(0, 0), Qt::UTC));
        QVERIFY2(r.trustErrors.join(QLatin1Char(' ')).contains(QStringLiteral("expired")),
                 qPrintable(r.trustErrors.join(QStringLiteral("; "))));
    }

    // The Sites table's SSL column: each site's served certificate judged
    // against its record, and not probed again within the TTL.
    void theSslColumnCheckJudgesWhatIsServed()
    {
        ServedSslCheck check;
        check.setPort(kFarmPort);
        check.probe().setOptions(farmOptions());
        QHash<QString, QString> states;
        connect(&check, &ServedSslCheck::served, this,
                [&](Id id, const ServedSsl& r) { states.insert(QString::number(id), r.state); });
        const auto target = [](Id id, const QString& domain, qint64 recorded) {
            Site s;
            s.id = id;
            s.domain = domain;
            s.sslEnabled = true;
            s.sslExpiresAt = recorded;
            return ServedSslCheck::Target{s, kLoopback};
        };
        const qint64 made = m_farm.certificate(site(7)).expiryDate().toSecsSinceEpoch();
        check.check({target(1, site(7), made), target(2, site(8), made - 86400 * 3),
                     target(3, QStringLiteral("wrong.tls.test"), 0),
                     target(4, QStringLiteral("expired.tls.test"), 0)});
        QTRY_COMPARE_WITH_TIMEOUT(states.size(), 4, 20000);
        QCOMPARE(states.value("1"), QStringLiteral("valid"));
        QCOMPARE(states.value("2"), QStringLiteral("differs"));
        QCOMPARE(states.value("3"), QStringLiteral("mismatch"));
        QCOMPARE(states.value("4"), QStringLiteral("expired"));
        states.clear();
        check.check({target(1, site(7), made)});
        QTest::qWait(300);
        QVERIFY(states.isEmpty()); // within the TTL: not probed again
    }

    // --- failures ---------------------------------------------------------------------

    void failures_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("closed port")
            << kLoopback << int(kClosedPort) << 5000 << QStringLiteral("CONNECT_REFUSED")
            << QStringLiteral("127.0.0.1:18442");
        QTest::newRow("accepts, never speaks")
            << kLoopback << int(kSilentPort) << 300 << QStringLiteral("TIMEOUT")
            << QStringLiteral("no TLS handshake from 127.0.0.1:18443 within 300 ms");
        QTest::newRow("plain HTTP")
            << kLoopback << int(kHttpPort) << 5000 << QStringLiteral("HANDSHAKE_FAILED")
            << QStringLiteral("127.0.0.1:18441");
        // Not a valid host name: refused before any lookup leaves the machine.
        QTest::newRow("invalid host name")
            << QStringLiteral("bad..host") << 443 << 5000 << QStringLiteral("HOST_NOT_FOUND")
            << QStringLiteral("bad..host:443");
    }
    void failures()
    {
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(int, timeoutMs);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        TlsProbe probe(farmOptions(timeoutMs));
        QElapsedTimer clock;
        clock.start();
        const ServedCertificate r =
            runOne(probe, {QStringLiteral("site1.tls.test"), host, quint16(port)});
        QCOMPARE(r.errorCode, code);
        QVERIFY(!r.reachable);
        QVERIFY2(r.error.contains(mentions), qPrintable(r.error));
        QVERIFY(r.sha256.isEmpty() && r.names.isEmpty() && !r.trusted);
        if (code == QLatin1String("TIMEOUT"))
            QVERIFY2(r.durationMs >= timeoutMs - 5 && clock.elapsed() < timeoutMs + 2000,
                     qPrintable(QString::number(r.durationMs)));
        QCOMPARE(probe.openSockets(), 0);
    }

    // --- batches ----------------------------------------------------------------------

    void manyInOrderWithinConcurrency()
    {
        TlsProbe::Options o = farmOptions();
        o.concurrency = 8;
        TlsProbe probe(o);
        int maxSignalled = 0, maxLive = 0;
        connect(&probe, &TlsProbe::openSocketsChanged, this, [&](int open) {
            maxSignalled = std::max(maxSignalled, open);
            maxLive = std::max(maxLive, liveSockets(probe));
        });
        QTimer sampler; // between the probe's own events too
        connect(&sampler, &QTimer::timeout, this,
                [&] { maxLive = std::max(maxLive, liveSockets(probe)); });
        sampler.start(0);
        QVector<TlsTarget> targets;
        for (int i = 1; i <= kSites; ++i)
            targets << farmTarget(site(i));
        const QVector<ServedCertificate> r = run(probe, targets, 60000);
        sampler.stop();
        QCOMPARE(r.size(), kSites);
        for (int i = 0; i < kSites; ++i) {
            QCOMPARE(r.at(i).domain, site(i + 1));
            QVERIFY2(r.at(i).reachable, qPrintable(r.at(i).error));
            QCOMPARE(r.at(i).names, QStringList{site(i + 1)}); // SNI chose its certificate
            QVERIFY(r.at(i).trusted && r.at(i).namesMatch);
        }
        QCOMPARE(maxSignalled, 8); // all 8 used, never more
        QVERIFY2(maxLive <= 8 && maxLive >= 2, qPrintable(QString::number(maxLive)));
        QCOMPARE(probe.openSockets(), 0);
    }

    void mixedBatchInOrder()
    {
        TlsProbe probe(farmOptions(300));
        const QVector<ServedCertificate> r =
            run(probe, {farmTarget(site(1)), farmTarget(site(1), kClosedPort),
                        farmTarget(site(2), kSilentPort), farmTarget(site(3), kHttpPort),
                        farmTarget(site(2))});
        QCOMPARE(r.size(), 5);
        QStringList codes;
        for (const ServedCertificate& c : r)
            codes << c.errorCode;
        QCOMPARE(codes, (QStringList{QString(), QStringLiteral("CONNECT_REFUSED"),
                                     QStringLiteral("TIMEOUT"), QStringLiteral("HANDSHAKE_FAILED"),
                                     QString()}));
        QCOMPARE(r.at(4).names, QStringList{site(2)});
    }

    void emptyBatchCallsBackLater()
    {
        TlsProbe probe;
        int calls = 0;
        qsizetype size = -1;
        probe.probe({}, [&](const QVector<ServedCertificate>& r) {
            ++calls;
            size = r.size();
        });
        QCOMPARE(calls, 0); // never inside probe()
        QTRY_COMPARE(calls, 1);
        QCOMPARE(size, qsizetype(0));
    }

    void cancelMeansNoCallback()
    {
        TlsProbe::Options o = farmOptions();
        o.concurrency = 4;
        TlsProbe probe(o);
        QVector<TlsTarget> targets;
        for (int i = 1; i <= 40; ++i)
            targets << farmTarget(site(i));
        int cancelledCalls = 0;
        const quint64 id =
            probe.probe(targets, [&](const QVector<ServedCertificate>&) { ++cancelledCalls; });
        QTRY_VERIFY(probe.openSockets() > 0); // mid-flight
        probe.cancel(id);
        QCOMPARE(probe.openSockets(), 0);
        QCOMPARE(liveSockets(probe), 0);
        // The probe goes on serving other batches.
        const QVector<ServedCertificate> next = run(probe, {farmTarget(site(5))});
        QCOMPARE(next.size(), 1);
        QVERIFY(next.at(0).reachable);
        QTest::qWait(200);
        QCOMPARE(cancelledCalls, 0);
        probe.cancel(id); // twice, and an unknown id: nothing happens
        probe.cancel(9999);
    }

    void destroyMidFlight()
    {
        int calls = 0;
        auto probe = std::make_unique<TlsProbe>(farmOptions(300));
        QVector<TlsTarget> targets;
        for (int i = 1; i <= 50; ++i)
            targets << farmTarget(site(i)) << farmTarget(site(i), kSilentPort);
        probe->probe(targets, [&](const QVector<ServedCertificate>&) { ++calls; });
        QTRY_VERIFY(probe->openSockets() > 0);
        QTest::qWait(20);
        probe.reset();
        QTest::qWait(500); // past the timeout of every silent target
        QCOMPARE(calls, 0);
    }

    // A callback may destroy the probe: the other batch then never calls back.
    void destroyFromCallback()
    {
        QPointer<TlsProbe> probe = new TlsProbe(farmOptions(300));
        int second = 0;
        probe->probe({farmTarget(site(1))},
                     [&](const QVector<ServedCertificate>&) { delete probe.data(); });
        probe->probe({farmTarget(site(2), kSilentPort)},
                     [&](const QVector<ServedCertificate>&) { ++second; });
        QTRY_VERIFY(probe.isNull());
        QTest::qWait(500);
        QCOMPARE(second, 0);
    }
};

QTEST_GUILESS_MAIN(TestTlsProbe)
#include "tst_tlsprobe.moc"
