// chomctl against careless and hostile input: values that look like options,
// oversized and invisible text, names that slugify alike, document roots that
// leave the site, terminal escapes in stored text, unbounded help topics.

#include "ChomctlFixture.h"

#include <QDir>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>

#include <unistd.h>

using chom::test::ChomctlFixture;
using chom::test::Run;

class TestChomctlInput : public ChomctlFixture
{
    Q_OBJECT

    // A value written by another client (or before validation existed)
    // straight into the store.
    bool sqlUpdate(const QString& sql, const QVariantList& values) const
    {
        bool ok = false;
        {
            QSqlDatabase db =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(storePath());
            if (db.open()) {
                QSqlQuery q(db);
                q.prepare(sql);
                for (const QVariant& v : values)
                    q.addBindValue(v);
                ok = q.exec() && q.numRowsAffected() == 1;
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        return ok;
    }

private Q_SLOTS:
    void init()
    {
        freshStore();
        QVERIFY(storeDirValid());
    }

    void aValuePositionIsNeverAnOption()
    {
        const QString elsewhere = m_dir->path() + QStringLiteral("/elsewhere");
        const QString value = QStringLiteral("--data-dir=") + elsewhere;
        const Run r = runJson(
            {QStringLiteral("tenants"), QStringLiteral("add"), QStringLiteral("--name"), value});
        CHECK_OK(r);
        QCOMPARE(r.object().value(QStringLiteral("name")).toString(), value);
        QVERIFY2(!QDir(elsewhere).exists(), "a store was created where a value was expected");
        const Run demo =
            run({QStringLiteral("tenants"), QStringLiteral("list"), QStringLiteral("--demo")});
        QVERIFY2(demo.code == 2, qPrintable(demo.describe()));
        QCOMPARE(runJson({QStringLiteral("tenants"), QStringLiteral("list")}).array().size(), 1);
        // Options that do not choose a store still work after the command.
        CHECK_OK(run({QStringLiteral("vps"), QStringLiteral("list"), QStringLiteral("--ssh-key"),
                      m_dir->filePath(QStringLiteral("no-such-key")), QStringLiteral("--json")}));
    }

    void textFieldsHaveLimitsAndNoInvisibleCharacters()
    {
        const Run big = run({QStringLiteral("vps"), QStringLiteral("add"),
                             QStringLiteral("--hostname"), QStringLiteral("web1.example.com"),
                             QStringLiteral("--ip"), QStringLiteral("192.0.2.10"),
                             QStringLiteral("--provider"), QString(130000, QLatin1Char('p'))});
        QVERIFY2(big.code == 5 && big.err.contains(QLatin1String("at most 50")),
                 qPrintable(big.describe().left(2000)));
        for (const QString& name : QStringList{QStringLiteral("Acme\x1b[2J"),
                                               QStringLiteral("ad") + QChar(0x200b) + "min",
                                               QStringLiteral("evil") + QChar(0x202e) + "gpj.exe",
                                               QStringLiteral("two\nlines")}) {
            const Run r = run(
                {QStringLiteral("tenants"), QStringLiteral("add"), QStringLiteral("--name"), name});
            QVERIFY2(r.code == 5 && r.err.contains(QLatin1String("invisible or control")),
                     qPrintable(r.describe()));
        }
        QCOMPARE(runJson({QStringLiteral("tenants"), QStringLiteral("list")}).array().size(), 0);
        QCOMPARE(runJson({QStringLiteral("vps"), QStringLiteral("list")}).array().size(), 0);
    }

    void namesThatSlugifyAlikeGetDistinctSlugs()
    {
        // Each in its own organization: the organizations' slugs must differ.
        for (const QString& name : {QStringLiteral("日本"), QStringLiteral("中国")})
            CHECK_OK(run({QStringLiteral("tenants"), QStringLiteral("add"),
                          QStringLiteral("--name"), name}));
        // In one organization: the tenants' slugs must differ.
        QStringList slugs;
        for (const QString& name :
             {QStringLiteral("Acme!"), QStringLiteral("Acme?"), QStringLiteral("ACME")}) {
            const Run r =
                runJson({QStringLiteral("tenants"), QStringLiteral("add"), QStringLiteral("--name"),
                         name, QStringLiteral("--org"), QStringLiteral("Shared")});
            CHECK_OK(r);
            slugs << r.object().value(QStringLiteral("slug")).toString();
        }
        QCOMPARE(slugs, (QStringList{QStringLiteral("acme"), QStringLiteral("acme-2"),
                                     QStringLiteral("acme-3")}));
        // An explicit slug that is taken is refused, clearly, with nothing changed.
        const Run r =
            runJson({QStringLiteral("--json"), QStringLiteral("tenants"), QStringLiteral("list")});
        qint64 second = 0;
        for (const QJsonValue& v : r.array())
            if (v.toObject().value(QStringLiteral("slug")).toString() == QLatin1String("acme-2"))
                second = v.toObject().value(QStringLiteral("id")).toInteger();
        QVERIFY(second > 0);
        const Run taken =
            run({QStringLiteral("tenants"), QStringLiteral("update"), QString::number(second),
                 QStringLiteral("--slug"), QStringLiteral("acme")});
        QVERIFY2(taken.code == 5 && taken.err.contains(QLatin1String("already exists")),
                 qPrintable(taken.describe()));
    }

    void documentRootStaysInsideTheSite()
    {
        const qint64 t = addTenant(QStringLiteral("Docroot Ltd"));
        QVERIFY(t > 0);
        for (const QString& root :
             {QStringLiteral("/var/www/sites/a.example.com/../../../etc"), QStringLiteral("public"),
              QStringLiteral("/var/www/sites/a.example.com/x\nserver { listen 81; }")}) {
            const Run r =
                run({QStringLiteral("sites"), QStringLiteral("add"), QStringLiteral("--tenant"),
                     QString::number(t), QStringLiteral("--domain"),
                     QStringLiteral("a.example.com"), QStringLiteral("--document-root"), root});
            QVERIFY2(r.code == 5, qPrintable(r.describe()));
        }
        QVERIFY(addSite(t, QStringLiteral("a.example.com"),
                        {QStringLiteral("--document-root"),
                         QStringLiteral("/var/www/sites/a.example.com/public")}) > 0);
    }

    // Text already in the store is shown literally in human output; --json
    // keeps the exact value.
    void humanOutputEscapesTerminalControls()
    {
        const qint64 id = addTenant(QStringLiteral("Plain"));
        QVERIFY(id > 0);
        const QString hostile =
            QStringLiteral("Evil\x1b]0;owned\x07\x1b[2J") + QChar(0x202e) + QStringLiteral("txt");
        QVERIFY(
            sqlUpdate(QStringLiteral("UPDATE tenants SET name = ? WHERE id = ?"), {hostile, id}));
        for (const QStringList& cmd :
             {QStringList{QStringLiteral("tenants"), QStringLiteral("list")},
              QStringList{QStringLiteral("tenants"), QStringLiteral("show"),
                          QString::number(id)}}) {
            const Run r = run(cmd);
            CHECK_OK(r);
            QVERIFY2(!r.out.contains(QChar(0x1b)) && !r.out.contains(QChar(0x07)) &&
                         !r.out.contains(QChar(0x202e)),
                     qPrintable(r.out));
            QVERIFY2(r.out.contains(QLatin1String("Evil\\x1b]0;owned\\x07\\x1b[2J\\u202etxt")),
                     qPrintable(r.out));
        }
        const Run json =
            runJson({QStringLiteral("tenants"), QStringLiteral("show"), QString::number(id)});
        CHECK_OK(json);
        QCOMPARE(json.object().value(QStringLiteral("name")).toString(), hostile);
    }

    // Reading commands open the store read-only: they work where the store
    // cannot be written (run as an unprivileged user on a root-owned copy).
    void readingCommandsWorkOnAReadOnlyStore()
    {
        if (geteuid() != 0 || QStandardPaths::findExecutable(QStringLiteral("runuser")).isEmpty())
            QSKIP("needs root and runuser to run chomctl as an unprivileged user");
        QVERIFY(addTenant(QStringLiteral("Read Only Ltd")) > 0);
        QTemporaryDir ro;
        const QString dir = ro.filePath(QStringLiteral("store"));
        QVERIFY(QDir().mkpath(dir));
        QVERIFY(QFile::copy(storePath(), dir + QStringLiteral("/chom.sqlite")));
        QFile::setPermissions(dir + QStringLiteral("/chom.sqlite"),
                              QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther);
        QFile::setPermissions(ro.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                             QFile::ReadOther | QFile::ExeOther);
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther |
                                       QFile::ExeOther);
        auto asNobody = [&](const QStringList& args) {
            return exec(QStringList{QStringLiteral("-u"), QStringLiteral("nobody"),
                                    QStringLiteral("--"), QStringLiteral(CHOMCTL_PATH),
                                    QStringLiteral("--data-dir"), dir} +
                            args,
                        headlessEnv(), QByteArray(), QStringLiteral("runuser"));
        };
        const Run list =
            asNobody({QStringLiteral("--json"), QStringLiteral("tenants"), QStringLiteral("list")});
        QVERIFY2(list.code == 0, qPrintable(list.describe()));
        QCOMPARE(list.array().size(), 1);
        const Run verify = asNobody({QStringLiteral("audit"), QStringLiteral("verify")});
        QVERIFY2(verify.code == 0, qPrintable(verify.describe()));
        const Run add = asNobody({QStringLiteral("tenants"), QStringLiteral("add"),
                                  QStringLiteral("--name"), QStringLiteral("No")});
        QVERIFY2(add.code == 4, qPrintable(add.describe()));
    }

    void damagedOrEmptyStoreIsRefusedWithExit4()
    {
        QVERIFY(addTenant(QStringLiteral("Before Damage")) > 0);
        {
            QFile f(storePath());
            QVERIFY(f.open(QIODevice::ReadWrite));
            for (qint64 off = 2 * 4096; off + 4096 <= f.size(); off += 4096) {
                f.seek(off + 8);
                f.write(QByteArray(600, char(0x5A)));
            }
        }
        QFile f(storePath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        for (const QStringList& cmd :
             {QStringList{QStringLiteral("tenants"), QStringLiteral("add"),
                          QStringLiteral("--name"), QStringLiteral("After")},
              QStringList{QStringLiteral("audit"), QStringLiteral("verify")}}) {
            const Run r = run(cmd);
            QVERIFY2(r.code == 4 && r.err.contains(QLatin1String("corrupt")),
                     qPrintable(r.describe()));
        }
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        f.close();
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.close();
        const Run empty = run({QStringLiteral("tenants"), QStringLiteral("list")});
        QVERIFY2(empty.code == 4 && empty.err.contains(QLatin1String("empty")),
                 qPrintable(empty.describe()));
        QCOMPARE(QFileInfo(storePath()).size(), 0);
    }

    void helpTopicIsNotEchoedUnbounded()
    {
        const QString topic = QString(100000, QLatin1Char('z')) + QStringLiteral("\x1b[31m");
        const Run r = run({QStringLiteral("help"), topic});
        QVERIFY2(r.code == 2, qPrintable(r.describe().left(500)));
        QVERIFY2(r.err.size() < 300, qPrintable(r.err.left(500)));
        QVERIFY(!r.err.contains(QChar(0x1b)));
        const Run unknown = run({topic});
        QVERIFY2(unknown.code == 2 && unknown.err.size() < 300, qPrintable(unknown.err.left(500)));
    }

    void demoWithSizeFillsOnceAndSucceeds()
    {
        const Run r =
            runJson({QStringLiteral("--demo-sites"), QStringLiteral("40"), QStringLiteral("demo")});
        CHECK_OK(r);
        QCOMPARE(r.object().value(QStringLiteral("sites")).toInt(), 40);
    }
};

QTEST_GUILESS_MAIN(TestChomctlInput)
#include "tst_chomctl_input.moc"
