// The local store file's edge cases: a new store is private, an empty or
// damaged file is refused before anything writes to it, and a read-only
// open never writes.
#include "store/Sql.h"
#include "store/Store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace chom;

namespace {

StoreConfig at(const QString& path, bool readOnly = false)
{
    StoreConfig c;
    c.path = path;
    c.readOnly = readOnly;
    return c;
}

QByteArray digest(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
               ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256)
               : QByteArray();
}

// A store with some rows, closed (its WAL checkpointed into the file).
bool makeStore(const QString& path)
{
    auto s = Store::open(at(path));
    if (!s)
        return false;
    for (int i = 0; i < 200; ++i)
        if (!execSql(s.value()->db(),
                     QStringLiteral("INSERT INTO store_meta(key, value) VALUES (?, ?)"),
                     {QStringLiteral("filler-%1").arg(i), QString(300, QLatin1Char('x'))}))
            return false;
    return true;
}

} // namespace

class TestStoreFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void newStoreIsPrivate()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath(QStringLiteral("data/chom"));
        const QString path = dir + QStringLiteral("/chom.sqlite");
        auto s = Store::open(at(path));
        QVERIFY2(s, qPrintable(s.errorMessage()));
        QCOMPARE(QFileInfo(dir).permissions() & 0x0077, QFile::Permissions()); // no group, other
        QVERIFY(QFileInfo(dir).permissions() & QFile::ExeOwner);
        for (const QString& f :
             QStringList{path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")}) {
            if (!QFileInfo::exists(f))
                continue;
            QCOMPARE(QFileInfo(f).permissions() & 0x0077, QFile::Permissions());
        }
        QVERIFY(!QFileInfo::exists(path + QStringLiteral(".init-lock")));
    }

    void emptyFileIsRefused()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("chom.sqlite"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        for (bool readOnly : {false, true}) {
            auto s = Store::open(at(path, readOnly));
            QVERIFY(!s);
            QCOMPARE(s.error().code, QStringLiteral("store_corrupt"));
            QVERIFY(s.error().kind() == ErrorKind::Store);
            QCOMPARE(QFileInfo(path).size(), 0);
        }
    }

    void damagedFileIsRefusedBeforeWriting()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("chom.sqlite"));
        QVERIFY(makeStore(path));
        QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")) ||
                QFileInfo(path + QStringLiteral("-wal")).size() == 0);
        {
            // Scribble over the middle of every page after the first two.
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            const qint64 page = 4096;
            for (qint64 off = 2 * page; off + page <= f.size(); off += page) {
                f.seek(off + 8);
                f.write(QByteArray(600, char(0xA5)));
            }
        }
        const QByteArray before = digest(path);
        for (bool readOnly : {true, false}) {
            auto s = Store::open(at(path, readOnly));
            QVERIFY2(!s, "a damaged store opened");
            QCOMPARE(s.error().code, QStringLiteral("store_corrupt"));
            QVERIFY2(s.error().message.contains(QLatin1String("corrupt")),
                     qPrintable(s.errorMessage()));
        }
        QCOMPARE(digest(path), before);
    }

    void readOnlyOpenNeverWrites()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath(QStringLiteral("chom.sqlite"));
        QVERIFY(makeStore(path));
        const QByteArray before = digest(path);
        {
            auto s = Store::open(at(path, true));
            QVERIFY2(s, qPrintable(s.errorMessage()));
            auto read = execSql(s.value()->db(), QStringLiteral("SELECT COUNT(*) FROM store_meta"));
            QVERIFY(read && read.value().next() && read.value().value(0).toInt() >= 200);
            QVERIFY(
                !execSql(s.value()->db(),
                         QStringLiteral("INSERT INTO store_meta(key, value) VALUES ('a', 'b')")));
        }
        QCOMPARE(digest(path), before);
        // Missing: nothing is created.
        const QString missing = tmp.filePath(QStringLiteral("none/chom.sqlite"));
        QVERIFY(!Store::open(at(missing, true)));
        QVERIFY(!QFileInfo::exists(tmp.filePath(QStringLiteral("none"))));
    }
};

QTEST_GUILESS_MAIN(TestStoreFile)
#include "tst_storefile.moc"
