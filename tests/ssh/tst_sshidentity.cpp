// The console's saved SSH identity (SshIdentitySettings) over a QSettings
// file of the test's own, and chomctl's choice over it.
#include "ssh/SshIdentitySettings.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

using namespace chom;

class TestSshIdentity : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    // A fresh settings file for each check.
    std::unique_ptr<QSettings> freshSettings()
    {
        return std::make_unique<QSettings>(
            m_dir.filePath(QStringLiteral("settings-%1.ini").arg(++m_files)), QSettings::IniFormat);
    }
    static SshIdentity keyFile(const QString& path)
    {
        SshIdentity id;
        id.privateKeyPath = path;
        id.name = path;
        return id;
    }
    static SshIdentity agent()
    {
        SshIdentity id;
        id.useAgent = true;
        id.name = QStringLiteral("ssh-agent");
        return id;
    }
    Result<SshIdentity> resolve(const SshIdentitySettings& s,
                                const SshIdentitySettings::Explicit& options = {},
                                const QString& env = {})
    {
        return s.resolveForCli(options, env, QStringLiteral("/home/op/.ssh/id_ed25519"));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void keyFileRoundTrip()
    {
        auto file = freshSettings();
        SshIdentitySettings(*file).save(keyFile(QStringLiteral("/keys/ops")));
        file->sync();
        QSettings reread(file->fileName(), QSettings::IniFormat); // what the next start sees
        const SshIdentitySettings s(reread);
        QVERIFY(s.hasSaved());
        QCOMPARE(s.secretName(), QString());
        const SshIdentity id = s.saved();
        QCOMPARE(id.privateKeyPath, QStringLiteral("/keys/ops"));
        QVERIFY(!id.useAgent);
        QCOMPARE(id.name, QStringLiteral("/keys/ops"));
        QCOMPARE(reread.value(QStringLiteral("ssh/keyPath")).toString(),
                 QStringLiteral("/keys/ops"));
    }

    void agentRoundTrip()
    {
        auto file = freshSettings();
        SshIdentitySettings(*file).save(agent());
        file->sync();
        QSettings reread(file->fileName(), QSettings::IniFormat);
        const SshIdentitySettings s(reread);
        QVERIFY(s.hasSaved());
        const SshIdentity id = s.saved();
        QVERIFY(id.useAgent);
        QVERIFY(id.privateKeyPath.isEmpty());
        QCOMPARE(id.name, QStringLiteral("ssh-agent"));
    }

    void secretRoundTripKeepsOnlyTheName()
    {
        auto file = freshSettings();
        SshIdentitySettings(*file).save(keyFile(QStringLiteral("/keys/old")));
        SshIdentitySettings(*file).saveSecret(QStringLiteral("ed25519/chom-console"));
        file->sync();
        QSettings reread(file->fileName(), QSettings::IniFormat);
        const SshIdentitySettings s(reread);
        QCOMPARE(reread.value(QStringLiteral("ssh/identity")).toString(),
                 QStringLiteral("secret:ed25519/chom-console"));
        QVERIFY(!reread.contains(QStringLiteral("ssh/keyPath")));
        QCOMPARE(s.secretName(), QStringLiteral("ed25519/chom-console"));
        const SshIdentity id = s.saved();
        QCOMPARE(id.name, QStringLiteral("secret:ed25519/chom-console"));
        QVERIFY(id.privateKeyPath.isEmpty() && id.privateKeyText.isEmpty() && !id.useAgent);

        // Switching back to a file forgets the secret identity.
        SshIdentitySettings(reread).save(keyFile(QStringLiteral("/keys/new")));
        QCOMPARE(s.secretName(), QString());
        QCOMPARE(s.saved().privateKeyPath, QStringLiteral("/keys/new"));
    }

    void nothingSavedFallsBackToTheAgentSocket()
    {
        auto file = freshSettings();
        const SshIdentitySettings s(*file);
        QVERIFY(!s.hasSaved());
        const QByteArray sock = qgetenv("SSH_AUTH_SOCK");
        qputenv("SSH_AUTH_SOCK", "/tmp/agent.sock");
        QVERIFY(s.saved().useAgent);
        qunsetenv("SSH_AUTH_SOCK");
        QVERIFY(!s.saved().useAgent);
        if (!sock.isEmpty())
            qputenv("SSH_AUTH_SOCK", sock);
    }

    // chomctl: the console's saved identity when no option and no
    // $CHOM_SSH_KEY says otherwise.
    void cliPicksTheSavedIdentity()
    {
        auto file = freshSettings();
        SshIdentitySettings s(*file);
        auto none = resolve(s);
        QVERIFY(none);
        QCOMPARE(none->privateKeyPath, QStringLiteral("/home/op/.ssh/id_ed25519"));
        QVERIFY(!none->useAgent);

        s.save(keyFile(QStringLiteral("/keys/console")));
        auto saved = resolve(s);
        QVERIFY(saved);
        QCOMPARE(saved->privateKeyPath, QStringLiteral("/keys/console"));
        QCOMPARE(saved->name, QStringLiteral("/keys/console"));
        QVERIFY(!saved->useAgent);

        s.save(agent());
        auto viaAgent = resolve(s);
        QVERIFY(viaAgent);
        QVERIFY(viaAgent->useAgent);
        QVERIFY(viaAgent->privateKeyPath.isEmpty());
        QCOMPARE(viaAgent->name, QStringLiteral("ssh-agent"));
    }

    void cliOptionsAndEnvironmentWinOverTheSavedOne()
    {
        auto file = freshSettings();
        SshIdentitySettings s(*file);
        s.save(keyFile(QStringLiteral("/keys/console")));

        auto env = resolve(s, {}, QStringLiteral("/keys/env"));
        QVERIFY(env);
        QCOMPARE(env->privateKeyPath, QStringLiteral("/keys/env"));

        auto option =
            resolve(s, {QStringLiteral("/keys/option"), false}, QStringLiteral("/keys/env"));
        QVERIFY(option);
        QCOMPARE(option->privateKeyPath, QStringLiteral("/keys/option"));
        QVERIFY(!option->useAgent);

        auto agentOnly = resolve(s, {QString(), true}, QStringLiteral("/keys/env"));
        QVERIFY(agentOnly);
        QVERIFY(agentOnly->useAgent);
        QVERIFY(agentOnly->privateKeyPath.isEmpty());
        QCOMPARE(agentOnly->name, QStringLiteral("ssh-agent"));

        auto both = resolve(s, {QStringLiteral("/keys/option"), true});
        QVERIFY(both);
        QVERIFY(both->useAgent);
        QCOMPARE(both->privateKeyPath, QStringLiteral("/keys/option"));
    }

    // chomctl does not open the console's secret store: a saved
    // "secret:<name>" is a usage error naming the way out, unless an option
    // or $CHOM_SSH_KEY chooses.
    void cliRefusesASavedSecretIdentity()
    {
        auto file = freshSettings();
        SshIdentitySettings s(*file);
        s.saveSecret(QStringLiteral("ed25519/chom-console"));
        auto r = resolve(s);
        QVERIFY(!r);
        QVERIFY(r.error().kind() == ErrorKind::Usage);
        QVERIFY2(r.errorMessage().contains(QLatin1String("ed25519/chom-console")) &&
                     r.errorMessage().contains(QLatin1String("--ssh-key")),
                 qPrintable(r.errorMessage()));
        QVERIFY(resolve(s, {QStringLiteral("/keys/option"), false}));
        QVERIFY(resolve(s, {QString(), true}));
        QVERIFY(resolve(s, {}, QStringLiteral("/keys/env")));
    }
};

QTEST_GUILESS_MAIN(TestSshIdentity)
#include "tst_sshidentity.moc"
