// The SSL column's verdict on a served certificate (a hand-made
// ServedCertificate; tst_tlsprobe judges real ones from its TLS farm), and
// the Sites table showing it in place of the stored date's verdict.
#include "SiteTableModel.h"
#include "sites/ServedSslCheck.h"

#include <QAbstractItemModelTester>
#include <QtTest>

using namespace chom;

namespace {
constexpr qint64 kDay = 86400;
const qint64 kNow = QDateTime(QDate(2027, 3, 1), QTime(0, 0), Qt::UTC).toSecsSinceEpoch();

ServedCertificate served(qint64 from, qint64 to)
{
    ServedCertificate c;
    c.domain = QStringLiteral("a.example.test");
    c.address = QStringLiteral("192.0.2.1:443");
    c.reachable = true;
    c.notBefore = QDateTime::fromSecsSinceEpoch(from, Qt::UTC);
    c.notAfter = QDateTime::fromSecsSinceEpoch(to, Qt::UTC);
    c.issuer = QStringLiteral("R11");
    c.names = {QStringLiteral("a.example.test")};
    c.namesMatch = true;
    c.trusted = true;
    return c;
}

Site site(qint64 recorded)
{
    Site s;
    s.id = 1;
    s.domain = QStringLiteral("a.example.test");
    s.sslEnabled = true;
    s.sslExpiresAt = recorded;
    return s;
}
} // namespace

class TestServedSsl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verdict_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("state");
        QTest::newRow("valid") << ""
                               << "valid";
        QTest::newRow("a third left") << "late"
                                      << "expiring";
        QTest::newRow("expired") << "expired"
                                 << "expired";
        QTest::newRow("other name") << "name"
                                    << "mismatch";
        QTest::newRow("untrusted") << "untrusted"
                                   << "untrusted";
        QTest::newRow("not the recorded one") << "recorded"
                                              << "differs";
        QTest::newRow("unreachable") << "down"
                                     << "unreachable";
    }
    void verdict()
    {
        QFETCH(QString, change);
        QFETCH(QString, state);
        qint64 from = kNow - 10 * kDay, to = from + 90 * kDay;
        if (change == "late")
            from = kNow - 70 * kDay, to = kNow + 20 * kDay;
        if (change == "expired")
            from = kNow - 91 * kDay, to = kNow - kDay;
        ServedCertificate c = served(from, to);
        qint64 recorded = to;
        if (change == "name") {
            c.names = {QStringLiteral("default.example.test")};
            c.namesMatch = false;
        } else if (change == "untrusted") {
            c.trusted = false;
            c.trustErrors = {QStringLiteral("self-signed")};
        } else if (change == "recorded") {
            recorded = to - 30 * kDay;
        } else if (change == "down") {
            c = ServedCertificate{};
            c.address = QStringLiteral("192.0.2.1:443");
            c.error = QStringLiteral("Connection refused");
        }
        const ServedSsl v = ServedSslCheck::verdict(site(recorded), c, kNow);
        QCOMPARE(v.state, state);
        QVERIFY(!v.detail.isEmpty());
        if (change == "down")
            QVERIFY(v.detail.contains(QLatin1String("Connection refused")));
        else
            QVERIFY2(v.detail.contains(QLatin1String("R11")), qPrintable(v.detail));
    }

    void theTableShowsTheServedVerdict()
    {
        SiteTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(kNow);
        Site s = site(kNow + 60 * kDay);
        model.setRows({s});
        const QModelIndex ssl = model.index(0, SiteTableModel::Ssl);
        QCOMPARE(ssl.data().toString(), QStringLiteral("valid")); // the stored date
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setServed(1,
                        {QStringLiteral("differs"), QStringLiteral("Not the recorded one"), kNow});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(ssl.data().toString(), QStringLiteral("differs"));
        QVERIFY(
            ssl.data(Qt::ToolTipRole).toString().contains(QLatin1String("Not the recorded one")));
        model.setServed(99, {QStringLiteral("valid"), {}, kNow}); // not a row: no signal
        QCOMPARE(changed.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestServedSsl)
#include "tst_servedssl.moc"
