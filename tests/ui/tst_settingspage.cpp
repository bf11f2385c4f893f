#include "GuiTestUtil.h"
#include "HttpDouble.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "observability/EndpointSettings.h"
#include "secrets/SecretStore.h"
#include "ui/observability/ObservabilityHealthPanel.h"
#include "ui/settings/EndpointSection.h"
#include "ui/settings/SettingsPage.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/FleetRuntime.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::HttpDouble;
using chom::test::TempCore;
using Kind = metrics::EndpointConfig::Kind;
namespace ep = metrics::endpoints;

// Alertmanager double / Loki double: a loopback test::HttpDouble answering
// the documented health endpoints (GET /-/healthy "OK", GET /ready "ready").
static bool healthDouble(HttpDouble& d, const QByteArray& path, const QByteArray& body)
{
    d.setRoute("GET", path, {200, body, {}}); // without a Content-Type header
    return d.listen();
}

// The Settings page offscreen: fill a section, save (secret to the encrypted
// secrets file on a worker, never QSettings), reload, Test against a double
// (response time shown), invalid input shown inline and nothing saved,
// Ctrl+S on the focused section, and the health panel's overall state.
class TestSettingsPage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_config;
    QTemporaryDir m_data;
    TempCore m_t;
    std::unique_ptr<AppContext> m_ctx;
    std::unique_ptr<GuiThreadGuard> m_guard; // per test function: its pages' lifetime

    static QString masterPass() { return QStringLiteral("settings page passphrase"); }
    template <typename T> static T* child(QWidget* section, const char* name)
    {
        auto* w = section->findChild<T*>(QLatin1String(name));
        if (!w)
            qWarning("no child %s", name);
        return w;
    }
    static bool selectAuth(EndpointSection* s, const QString& key)
    {
        auto* box = child<QComboBox>(s, "authCombo");
        const int i = box->findData(key);
        box->setCurrentIndex(i);
        return i >= 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid() && m_data.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("CHOM_SECRETS_BACKEND", "file");
        qunsetenv("CHOM_PROMETHEUS_URL");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
        QCoreApplication::setOrganizationName(QStringLiteral("chom-test-settingspage"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_settingspage"));
        QSettings().clear();
        FleetRuntime::setMasterPassphraseOverride([] { return masterPass(); });
        m_ctx = std::make_unique<AppContext>(*m_t.core, m_data.path());
    }
    void cleanupTestCase() { m_ctx.reset(); }
    void init() { m_guard = std::make_unique<GuiThreadGuard>(m_t.core->store()); }
    void cleanup()
    {
        const int uses = m_guard->uses();
        m_guard.reset();
        QCOMPARE(uses, 0);
    }

    void fillSaveReload()
    {
        const QString token = QStringLiteral("loki-SECRET-token-42");
        {
            SettingsPage page(*m_ctx);
            page.show();
            EndpointSection* loki = page.section(Kind::Loki);
            QVERIFY(loki);
            auto* secret = child<QLineEdit>(loki, "secretEdit");
            QVERIFY(!secret->isVisibleTo(loki)); // auth none: no secret field
            child<QLineEdit>(loki, "urlEdit")->setText(QStringLiteral("http://127.0.0.1:3100"));
            QVERIFY(selectAuth(loki, QStringLiteral("bearer")));
            QVERIFY(secret->isVisibleTo(loki));
            QVERIFY(!child<QLineEdit>(loki, "userEdit")->isVisibleTo(loki));
            QCOMPARE(secret->echoMode(), QLineEdit::Password);
            secret->setText(token);
            child<QSpinBox>(loki, "timeoutSpin")->setValue(7);
            QSignalSpy saved(loki, &EndpointSection::saved);
            QTest::mouseClick(child<QPushButton>(loki, "saveButton"), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 30000); // scrypt on a worker
        }
        SettingsPage again(*m_ctx);
        EndpointSection* loki = again.section(Kind::Loki);
        QCOMPARE(child<QLineEdit>(loki, "urlEdit")->text(),
                 QStringLiteral("http://127.0.0.1:3100"));
        QCOMPARE(child<QComboBox>(loki, "authCombo")->currentData().toString(),
                 QStringLiteral("bearer"));
        QCOMPARE(child<QSpinBox>(loki, "timeoutSpin")->value(), 7);
        QVERIFY(child<QLineEdit>(loki, "secretEdit")->text().isEmpty());
        QVERIFY(child<QLineEdit>(loki, "secretEdit")->placeholderText().contains("secret store"));
        // Not in QSettings; in the encrypted file.
        QSettings s;
        for (const QString& k : s.allKeys())
            QVERIFY2(!s.value(k).toString().contains(QLatin1String("SECRET")), qPrintable(k));
        const auto store = openSecretStore(m_data.path(), [] { return masterPass(); });
        auto stored = store->read(ep::secretName(Kind::Loki));
        QVERIFY2(stored.ok(), qPrintable(stored.errorMessage()));
        QCOMPARE(QString::fromUtf8(stored.value()), token);
    }

    void testButtonShowsResponseTime()
    {
        HttpDouble am; // Alertmanager double
        QVERIFY(healthDouble(am, "/-/healthy", "OK"));
        SettingsPage page(*m_ctx);
        page.show();
        EndpointSection* s = page.section(Kind::Alertmanager);
        child<QLineEdit>(s, "urlEdit")->setText(am.url().toString());
        QTest::mouseClick(child<QPushButton>(s, "testButton"), Qt::LeftButton);
        auto* result = child<QLabel>(s, "testResult");
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String(" ms")), 10000);
        QVERIFY2(
            QRegularExpression(QStringLiteral("^OK — \\d+ ms$")).match(result->text()).hasMatch(),
            qPrintable(result->text()));
        // Testing does not save.
        QVERIFY(!QSettings().contains(QStringLiteral("endpoints/alertmanager/url")));

        // A wrong path (a Loki double has no /-/healthy) shows the HTTP error.
        child<QLineEdit>(s, "urlEdit")->setText(am.url().toString() + QStringLiteral("/sub"));
        QTest::mouseClick(child<QPushButton>(s, "testButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(result->text().contains(QLatin1String("HTTP 404")), 10000);
    }

    void testUsesTheStoredSecret()
    {
        HttpDouble loki; // Loki double
        QVERIFY(healthDouble(loki, "/ready", "ready"));
        SettingsPage page(*m_ctx);
        page.show();
        EndpointSection* s = page.section(Kind::Loki); // saved with a bearer token above
        QVERIFY(ep::secretStored(Kind::Loki));
        child<QLineEdit>(s, "urlEdit")->setText(loki.url().toString());
        QTest::mouseClick(child<QPushButton>(s, "testButton"), Qt::LeftButton);
        auto* result = child<QLabel>(s, "testResult");
        QTRY_VERIFY2_WITH_TIMEOUT(result->text().startsWith(QStringLiteral("OK — ")),
                                  qPrintable(result->text()), 30000);
        QCOMPARE(loki.headerValues("Authorization"),
                 QList<QByteArray>{"Bearer loki-SECRET-token-42"});
    }

    void invalidUrlIsShownInlineAndNothingSaved()
    {
        SettingsPage page(*m_ctx);
        page.show();
        EndpointSection* s = page.section(Kind::Prometheus);
        child<QLineEdit>(s, "urlEdit")->setText(QStringLiteral("ftp://prometheus:9090"));
        QSignalSpy saved(s, &EndpointSection::saved);
        QSignalSpy notices(&page, &Page::notice);
        QTest::mouseClick(child<QPushButton>(s, "saveButton"), Qt::LeftButton);
        auto* err = child<QLabel>(s, "urlError");
        QVERIFY(err->isVisible());
        QVERIFY2(err->text().contains(QLatin1String("http:// or https://")),
                 qPrintable(err->text()));
        QVERIFY(!child<QLabel>(s, "timeoutError")->isVisible());
        QTest::qWait(100);
        QCOMPARE(saved.size(), 0);
        QVERIFY(!QSettings().contains(QStringLiteral("endpoints/prometheus/url")));
        QCOMPARE(notices.size(), 1);

        // Fixing it clears the inline error and saves.
        child<QLineEdit>(s, "urlEdit")->setText(QStringLiteral("http://127.0.0.1:9090"));
        QTest::mouseClick(child<QPushButton>(s, "saveButton"), Qt::LeftButton);
        QTRY_COMPARE(saved.size(), 1);
        QVERIFY(!err->isVisible());
        QCOMPARE(QSettings().value(QStringLiteral("endpoints/prometheus/url")).toString(),
                 QStringLiteral("http://127.0.0.1:9090"));
    }

    void ctrlSSavesTheFocusedSection()
    {
        SettingsPage page(*m_ctx);
        page.show();
        page.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        EndpointSection* g = page.section(Kind::Grafana);
        auto* url = child<QLineEdit>(g, "urlEdit");
        url->setFocus();
        QTRY_VERIFY(url->hasFocus());
        QCOMPARE(page.focusedSection(), g);
        url->setText(QStringLiteral("http://127.0.0.1:3000"));
        QSignalSpy saved(g, &EndpointSection::saved);
        QTest::keyClick(url, Qt::Key_S, Qt::ControlModifier);
        QTRY_COMPARE(saved.size(), 1);
        QCOMPARE(QSettings().value(QStringLiteral("endpoints/grafana/url")).toString(),
                 QStringLiteral("http://127.0.0.1:3000"));
        QVERIFY(!QSettings().contains(QStringLiteral("endpoints/alertmanager/url")));
    }

    void healthPanelChecksAll()
    {
        HttpDouble am; // Alertmanager double
        QVERIFY(healthDouble(am, "/-/healthy", "OK"));
        QSettings().remove(QStringLiteral("endpoints"));
        SettingsPage page(*m_ctx);
        page.show();
        ObservabilityHealthPanel* panel = page.healthPanel();
        auto* overall = panel->findChild<QLabel*>(QStringLiteral("overallHealth"));
        auto* checkAll = panel->findChild<QPushButton*>(QStringLiteral("checkAllButton"));
        QSignalSpy checked(panel, &ObservabilityHealthPanel::checked);
        QTest::mouseClick(checkAll, Qt::LeftButton);
        QTRY_COMPARE(checked.size(), 1);
        QCOMPARE(overall->property("overall").toString(), QStringLiteral("unconfigured"));

        // Alertmanager answers, Prometheus on a refused port, the rest unset.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 refused = closed.serverPort();
        closed.close();
        EndpointSection* a = page.section(Kind::Alertmanager);
        child<QLineEdit>(a, "urlEdit")->setText(am.url().toString());
        QVERIFY(a->save());
        QTest::mouseClick(checkAll, Qt::LeftButton);
        QTRY_COMPARE(checked.size(), 2);
        QCOMPARE(overall->property("overall").toString(), QStringLiteral("partial"));
        QVERIFY(panel->findChild<QLabel*>(QStringLiteral("alertmanagerHealthMs"))
                    ->text()
                    .endsWith(QLatin1String(" ms")));
        QCOMPARE(panel->findChild<QLabel*>(QStringLiteral("lokiHealth"))->text(),
                 QStringLiteral("Not configured"));

        EndpointSection* p = page.section(Kind::Prometheus);
        child<QLineEdit>(p, "urlEdit")->setText(QStringLiteral("http://127.0.0.1:%1").arg(refused));
        QVERIFY(p->save());
        QTest::mouseClick(checkAll, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(checked.size(), 3, 10000);
        QCOMPARE(overall->property("overall").toString(), QStringLiteral("degraded"));
        QVERIFY(panel->findChild<QLabel*>(QStringLiteral("prometheusHealth"))
                    ->text()
                    .startsWith(QLatin1String("refused")));
    }
};

QTEST_MAIN(TestSettingsPage)
#include "tst_settingspage.moc"
