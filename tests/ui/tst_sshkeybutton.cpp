#include "GuiTestUtil.h"
#include "TestStore.h"
#include "inventory/Core.h"
#include "secrets/SecretStore.h"
#include "ssh/SshIdentitySettings.h"
#include "ssh/SshKeys.h"
#include "ui/fleet/PublicKeyDialog.h"
#include "ui/fleet/SshKeyButton.h"
#include "ui/shell/AppContext.h"
#include "ui/shell/FleetRuntime.h"

#include <QAction>
#include <QDirIterator>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace chom;
using chom::test::GuiThreadGuard;
using chom::test::TempCore;

// "Generate Ed25519 key…" on the VPS Fleet page's SSH key button: the key is
// made in-app on a worker, kept only in the encrypted secrets file
// (CHOM_SECRETS_BACKEND=file, master passphrase through FleetRuntime's test
// seam), given to the pool, remembered as "secret:<name>" and restored from
// the store at the next start; a second generate offers reuse instead of
// overwriting.
class TestSshKeyButton : public QObject
{
    Q_OBJECT

    QTemporaryDir m_config;
    QTemporaryDir m_data; // the AppContext data dir: holds secrets.json
    QString m_publicKey;
    std::unique_ptr<TempCore> m_t; // each test function's own store
    std::unique_ptr<GuiThreadGuard> m_guard;

    static QString masterPass() { return QStringLiteral("correct horse battery staple"); }

    // Files under root whose bytes contain a clear private key.
    static QStringList clearKeyFiles(const QString& root)
    {
        QStringList found;
        QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains("PRIVATE KEY"))
                found << f.fileName();
        }
        return found;
    }
    static QString publicKeyShown(QObject* root)
    {
        auto* dlg =
            chom::test::openDialog<PublicKeyDialog>(root, QStringLiteral("publicKeyDialog"));
        auto* text =
            dlg ? dlg->findChild<QPlainTextEdit*>(QStringLiteral("publicKeyText")) : nullptr;
        return text ? text->toPlainText() : QString();
    }
    static QByteArray storedKey(const QString& dataDir)
    {
        const auto store = openSecretStore(dataDir, [] { return masterPass(); });
        auto id = sshkeys::load(*store, SshKeyButton::secretName());
        return id ? id->privateKeyText : QByteArray();
    }
    // The identity the console saved, read through the core class.
    static QString savedSecretName()
    {
        QSettings settings;
        return SshIdentitySettings(settings).secretName();
    }
    static SshIdentity savedIdentity()
    {
        QSettings settings;
        return SshIdentitySettings(settings).saved();
    }
    static QStringList errors(const QSignalSpy& spy)
    {
        QStringList out;
        for (const auto& args : spy) {
            if (args.at(1).toBool())
                out << args.at(0).toString();
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid() && m_data.isValid());
        qputenv("XDG_CONFIG_HOME", m_config.path().toUtf8());
        qputenv("CHOM_SECRETS_BACKEND", "file");
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
        QCoreApplication::setOrganizationName(QStringLiteral("chom-test-sshkeybutton"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_sshkeybutton"));
        QSettings().clear();
        FleetRuntime::setMasterPassphraseOverride([] { return masterPass(); });
    }
    void init()
    {
        m_t = std::make_unique<TempCore>();
        m_guard = std::make_unique<GuiThreadGuard>(m_t->core->store());
    }
    void cleanup() // the test's context, runtime and button are gone by now
    {
        const int uses = m_guard->uses();
        m_guard.reset();
        m_t.reset();
        QCOMPARE(uses, 0);
    }

    void generateKeepsKeyInSecretStore()
    {
        TempCore& t = *m_t;
        AppContext ctx(*t.core, m_data.path());
        FleetRuntime runtime(*t.core, ctx);
        SshKeyButton button(ctx);
        QVector<SshIdentity> applied;
        connect(&button, &SshKeyButton::identityApplied, this,
                [&applied](const SshIdentity& id) { applied << id; });
        QSignalSpy messages(&button, &SshKeyButton::message);

        QVERIFY(button.isEnabled() && button.generateAction()->isEnabled());
        button.generateAction()->trigger();
        QVERIFY(!button.generateAction()->isEnabled()); // while the worker runs
        QTRY_VERIFY_WITH_TIMEOUT(!publicKeyShown(&button).isEmpty(), 30000);
        QVERIFY2(errors(messages).isEmpty(), qPrintable(errors(messages).join(QLatin1Char('\n'))));
        QVERIFY(button.generateAction()->isEnabled());
        m_publicKey = publicKeyShown(&button);
        QVERIFY2(m_publicKey.startsWith(QLatin1String("ssh-ed25519 ")), qPrintable(m_publicKey));

        // Nothing in clear on disk: not in the data dir, the store's dir or the settings.
        QVERIFY(QFile::exists(m_data.filePath(QStringLiteral("secrets.json"))));
        QCOMPARE(clearKeyFiles(m_data.path()), QStringList());
        QCOMPARE(clearKeyFiles(t.path()), QStringList());
        QSettings settings;
        settings.sync();
        for (const QString& k : settings.allKeys())
            QVERIFY2(!settings.value(k).toString().contains(QLatin1String("PRIVATE KEY")),
                     qPrintable(k));
        QCOMPARE(clearKeyFiles(m_config.path()), QStringList());
        QCOMPARE(settings.value(QStringLiteral("ssh/identity")).toString(),
                 QStringLiteral("secret:") + SshKeyButton::secretName());
        QCOMPARE(savedSecretName(), SshKeyButton::secretName());

        // A store opened afresh with the same master passphrase holds the key.
        const QByteArray stored = storedKey(m_data.path());
        QVERIFY(stored.contains("PRIVATE KEY"));
        auto pub = sshkeys::publicKeyOf(stored);
        QVERIFY2(pub, qPrintable(pub.errorMessage()));
        QCOMPARE(pub.value(), m_publicKey.section(QLatin1Char(' '), 0, 1));

        // The pool got the in-memory key, not a path or the agent.
        QCOMPARE(applied.size(), 1);
        QCOMPARE(applied[0].privateKeyText, stored);
        QVERIFY(applied[0].privateKeyPath.isEmpty());
        QVERIFY(!applied[0].useAgent);
    }

    void wrongMasterPassphraseIsAnError()
    {
        TempCore& t = *m_t;
        AppContext ctx(*t.core, m_data.path());
        FleetRuntime runtime(*t.core, ctx);
        SshKeyButton button(ctx);
        QSignalSpy messages(&button, &SshKeyButton::message);
        FleetRuntime::setMasterPassphraseOverride([] { return QStringLiteral("wrong"); });
        button.generateAction()->trigger();
        FleetRuntime::setMasterPassphraseOverride([] { return masterPass(); });
        QTRY_VERIFY_WITH_TIMEOUT(!errors(messages).isEmpty(), 30000);
        QVERIFY2(errors(messages).first().contains(QLatin1String("Wrong master passphrase")),
                 qPrintable(errors(messages).first()));
        QVERIFY(button.generateAction()->isEnabled());
        QVERIFY(publicKeyShown(&button).isEmpty());
    }

    void secondGenerateOffersReuse()
    {
        QVERIFY(!m_publicKey.isEmpty());
        const QString secretsPath = m_data.filePath(QStringLiteral("secrets.json"));
        QFile before(secretsPath);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray fileBefore = before.readAll();
        before.close();

        TempCore& t = *m_t;
        AppContext ctx(*t.core, m_data.path());
        FleetRuntime runtime(*t.core, ctx);
        SshKeyButton button(ctx);
        QVector<SshIdentity> applied;
        connect(&button, &SshKeyButton::identityApplied, this,
                [&applied](const SshIdentity& id) { applied << id; });

        // Cancel: nothing applied, nothing shown.
        button.generateAction()->trigger();
        QMessageBox* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = chom::test::openDialog<QMessageBox>(&button, QStringLiteral("reuseKeyDialog"))),
            30000);
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(
            !chom::test::openDialog<QMessageBox>(&button, QStringLiteral("reuseKeyDialog")));
        QVERIFY(applied.isEmpty());
        QVERIFY(publicKeyShown(&button).isEmpty());

        // Reuse: the same key, shown and applied; the store is not rewritten.
        QTRY_VERIFY(button.generateAction()->isEnabled());
        button.generateAction()->trigger();
        box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = chom::test::openDialog<QMessageBox>(&button, QStringLiteral("reuseKeyDialog"))),
            30000);
        box->button(QMessageBox::Yes)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!publicKeyShown(&button).isEmpty(), 5000);
        QCOMPARE(publicKeyShown(&button), m_publicKey);
        QCOMPARE(applied.size(), 1);
        QCOMPARE(applied[0].privateKeyText, storedKey(m_data.path()));
        QFile after(secretsPath);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), fileBefore);
    }

    void savedSecretIdentityIsRestoredAtStart()
    {
        QCOMPARE(savedSecretName(), SshKeyButton::secretName());
        const SshIdentity saved = savedIdentity();
        QVERIFY(saved.privateKeyText.isEmpty() && saved.privateKeyPath.isEmpty() &&
                !saved.useAgent);

        TempCore& t = *m_t;
        AppContext ctx(*t.core, m_data.path());
        FleetRuntime runtime(*t.core, ctx);
        QSignalSpy restored(&runtime, &FleetRuntime::identityRestored);
        QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, 30000);
        QVERIFY2(restored.at(0).at(0).toBool(), qPrintable(restored.at(0).at(1).toString()));

        // Switching to the agent forgets the stored-key identity (not the key).
        SshKeyButton button(ctx);
        button.useAgent();
        QVERIFY(savedSecretName().isEmpty());
        QVERIFY(savedIdentity().useAgent);
        QVERIFY(!storedKey(m_data.path()).isEmpty());
    }

    void restoreWithWrongPassphraseReportsIt()
    {
        {
            QSettings settings;
            SshIdentitySettings(settings).saveSecret(SshKeyButton::secretName());
        }
        FleetRuntime::setMasterPassphraseOverride([] { return QStringLiteral("wrong"); });
        TempCore& t = *m_t;
        AppContext ctx(*t.core, m_data.path());
        FleetRuntime runtime(*t.core, ctx);
        QSignalSpy restored(&runtime, &FleetRuntime::identityRestored);
        QTRY_COMPARE_WITH_TIMEOUT(restored.count(), 1, 30000);
        FleetRuntime::setMasterPassphraseOverride([] { return masterPass(); });
        QVERIFY(!restored.at(0).at(0).toBool());
        QVERIFY2(restored.at(0).at(1).toString().contains(QLatin1String("Wrong master passphrase")),
                 qPrintable(restored.at(0).at(1).toString()));
    }

    void cleanupTestCase() { FleetRuntime::setMasterPassphraseOverride({}); }
};

QTEST_MAIN(TestSshKeyButton)
#include "tst_sshkeybutton.moc"
