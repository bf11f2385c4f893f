// The portable archive's local check: a valid archive passes with the right
// summary; every hostile or damaged one is refused with its own code and a
// message naming the member; cancel and progress work as the GUI needs.
#include "TestArchive.h"

#include "backups/ArchiveInspector.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <functional>

using namespace chom;

namespace {

// Damage lands in whichever member the bytes belong to: any of them will do.
const QString kAnyMember = QStringLiteral("*");

using Mutate = std::function<void(TestArchive&, ArchiveLimits&)>;
using Damage = std::function<void(const QString& file)>;

struct Case
{
    const char* name;
    const char* code;
    QString member; // the message must name it
    Mutate mutate;
    Damage damage = {};
};

void rewrite(const QString& file, const std::function<void(QByteArray&)>& change)
{
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray bytes = f.readAll();
    f.close();
    change(bytes);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

void add(TestArchive& a, TestEntry::Type type, const QByteArray& path,
         const QByteArray& target = {})
{
    a.entries.push_back({path, type, {}, target});
}

QVector<Case> cases()
{
    return {
        {"traversal", "traversal", QStringLiteral("files/../../etc/passwd"),
         [](TestArchive& a, ArchiveLimits&) { a.addFile("files/../../etc/passwd", "root:x:0:0"); }},
        {"absolute path", "absolute_path", QStringLiteral("/etc/passwd"),
         [](TestArchive& a, ArchiveLimits&) { a.addFile("/etc/passwd", "root:x:0:0", false); }},
        {"symlink escaping", "link_escape", QStringLiteral("files/x"),
         [](TestArchive& a, ArchiveLimits&) {
             add(a, TestEntry::Symlink, "files/x", "../../etc");
         }},
        {"symlink escaping from deeper", "link_escape", QStringLiteral("files/wp-content/up"),
         [](TestArchive& a, ArchiveLimits&) {
             add(a, TestEntry::Symlink, "files/wp-content/up", "../../database.sql");
         }},
        {"absolute symlink target", "link_escape", QStringLiteral("files/passwd"),
         [](TestArchive& a, ArchiveLimits&) {
             add(a, TestEntry::Symlink, "files/passwd", "/etc/passwd");
         }},
        {"member below a symlink", "link_escape", QStringLiteral("files/current/evil.php"),
         [](TestArchive& a, ArchiveLimits&) {
             add(a, TestEntry::Symlink, "files/current", "wp-content");
             a.addFile("files/current/evil.php", "<?php");
         }},
        {"hard link", "hard_link", QStringLiteral("files/hard"),
         [](TestArchive& a, ArchiveLimits&) {
             add(a, TestEntry::HardLink, "files/hard", "files/index.php");
         }},
        {"char device", "device_node", QStringLiteral("files/null"),
         [](TestArchive& a, ArchiveLimits&) { add(a, TestEntry::CharDevice, "files/null"); }},
        {"fifo", "device_node", QStringLiteral("files/pipe"),
         [](TestArchive& a, ArchiveLimits&) { add(a, TestEntry::Fifo, "files/pipe"); }},
        {"bomb", "bomb", QStringLiteral("files/zeros.bin"),
         [](TestArchive& a, ArchiveLimits& l) {
             l.bombMinBytes = 16 << 20;
             a.addFile("files/zeros.bin", QByteArray(48 << 20, '\0'));
         }},
        {"too many members", "too_many_members", QStringLiteral("files/wp-content/"),
         [](TestArchive&, ArchiveLimits& l) { l.maxMembers = 4; }},
        {"total size over the limit", "too_large", QStringLiteral("files/big.txt"),
         [](TestArchive& a, ArchiveLimits& l) {
             l.maxTotalBytes = 400000;
             a.addFile("files/big.txt", compressibleText(300000, 9));
         }},
        {"checksum mismatch", "checksum_mismatch", QStringLiteral("files/index.php"),
         [](TestArchive& a, ArchiveLimits&) {
             a.manifest.members[1].sha256 = QString(64, QLatin1Char('0'));
         }},
        {"size mismatch", "checksum_mismatch", QStringLiteral("files/wp-content/style.css"),
         [](TestArchive& a, ArchiveLimits&) { a.entries[4].data.append('!'); }},
        {"member missing", "member_missing", QStringLiteral("files/ghost.txt"),
         [](TestArchive& a, ArchiveLimits&) {
             a.manifest.members.push_back(
                 {QStringLiteral("files/ghost.txt"), 3, QString::fromLatin1(sha256Hex("boo"))});
             a.manifest.deriveTotals();
         }},
        {"member unlisted", "member_unlisted", QStringLiteral("files/extra.php"),
         [](TestArchive& a, ArchiveLimits&) { a.addFile("files/extra.php", "<?php", false); }},
        {"duplicated member", "duplicate_member", QStringLiteral("files/index.php"),
         [](TestArchive& a, ArchiveLimits&) {
             a.addFile("files/index.php", "<?php evil();", false);
         }},
        {"manifest missing", "manifest_missing", QStringLiteral("database.sql"),
         [](TestArchive& a, ArchiveLimits&) { a.manifestFirst = false; }},
        {"manifest duplicated", "manifest_duplicated", QStringLiteral("manifest.json"),
         [](TestArchive& a, ArchiveLimits&) { a.addFile("manifest.json", "{}", false); }},
        {"manifest garbage", "manifest_invalid", QStringLiteral("manifest.json"),
         [](TestArchive& a, ArchiveLimits&) { a.manifestJson = "{\"format_version\": 1, \"mem"; }},
        {"manifest of another shape", "manifest_invalid", QStringLiteral("manifest.json"),
         [](TestArchive& a, ArchiveLimits&) { a.manifestJson = "[1, 2, 3]"; }},
        {"unexpected member", "unexpected_member", QStringLiteral("etc/shadow"),
         [](TestArchive& a, ArchiveLimits&) { a.addFile("etc/shadow", "root:*:19000", false); }},
        {"truncated zstd", "corrupt", kAnyMember, [](TestArchive&, ArchiveLimits&) {},
         [](const QString& f) {
             rewrite(f, [](QByteArray& b) { b.truncate(b.size() * 6 / 10); });
         }},
        {"damaged zstd frame header", "corrupt", QStringLiteral("site.tar.zst"),
         [](TestArchive&, ArchiveLimits&) {},
         [](const QString& f) {
             rewrite(f, [](QByteArray& b) {
                 for (int i = 4; i < 16; ++i)
                     b[i] = char(b[i] ^ 0xff);
             });
         }},
        // Without a zstd frame checksum, damaged data can still decode: the
        // member's SHA-256 catches it then.
        {"flipped zstd bytes", "corrupt|checksum_mismatch", kAnyMember,
         [](TestArchive&, ArchiveLimits&) {},
         [](const QString& f) {
             rewrite(f, [](QByteArray& b) {
                 for (int i = b.size() / 2; i < b.size() / 2 + 256; ++i)
                     b[i] = char(b[i] ^ 0x5a);
             });
         }},
        {"empty file", "not_an_archive", QStringLiteral("site.tar.zst"),
         [](TestArchive&, ArchiveLimits&) {},
         [](const QString& f) { rewrite(f, [](QByteArray& b) { b.clear(); }); }},
        {"png image", "not_an_archive", QStringLiteral("site.tar.zst"),
         [](TestArchive&, ArchiveLimits&) {},
         [](const QString& f) {
             rewrite(f, [](QByteArray& b) {
                 b = QByteArray::fromHex("89504e470d0a1a0a0000000d49484452") + QByteArray(600, 'x');
             });
         }},
    };
}

} // namespace

class TestArchiveInspector : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }

    void aValidArchivePassesWithItsSummary()
    {
        const TestArchive a = TestArchive::valid();
        const QString file = m_dir.filePath(QStringLiteral("valid.tar.zst"));
        QVERIFY(a.write(file));
        const auto summary = ArchiveInspector().inspect(file);
        QVERIFY2(summary.ok(), qPrintable(summary.errorMessage()));
        QCOMPARE(summary->memberCount, qint64(a.entries.size() + 1));
        QCOMPARE(summary->fileCount, qint64(3));
        QVERIFY(summary->hasDatabase);
        QCOMPARE(summary->totalBytes, a.manifest.totalSize + qint64(a.manifest.serialize().size()));
        QCOMPARE(summary->manifest.siteDomain, QStringLiteral("shop.example.com"));
        QCOMPARE(summary->manifest.created, a.manifest.created);
        QCOMPARE(summary->manifest.members.size(), 4);
        QCOMPARE(summary->manifest.databaseSha256, a.manifest.members.at(0).sha256);
    }

    void aHostileOrDamagedArchiveIsRefused_data()
    {
        QTest::addColumn<int>("index");
        const QVector<Case> all = cases();
        for (int i = 0; i < all.size(); ++i)
            QTest::newRow(all.at(i).name) << i;
    }

    void aHostileOrDamagedArchiveIsRefused()
    {
        QFETCH(int, index);
        const Case c = cases().at(index);
        TestArchive a = TestArchive::valid();
        ArchiveLimits limits;
        c.mutate(a, limits);
        const QString file = m_dir.filePath(QStringLiteral("site.tar.zst"));
        QVERIFY(a.write(file));
        if (c.damage)
            c.damage(file);
        const auto result = ArchiveInspector(limits).inspect(file);
        QVERIFY2(!result.ok(), c.name);
        const QStringList codes = QString::fromLatin1(c.code).split(QLatin1Char('|'));
        QVERIFY2(codes.contains(result.error().code), qPrintable(result.error().code));
        QVERIFY2(namesMember(result.error().message, c.member, a),
                 qPrintable(result.error().message));
        QVERIFY(result.error().kind() == ErrorKind::Rule);
    }

    void aPlainTarIsRefused()
    {
        const QString file = m_dir.filePath(QStringLiteral("plain.tar"));
        QVERIFY(TestArchive::valid().write(file, true));
        const auto result = ArchiveInspector().inspect(file);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("unsupported_format"));
        QVERIFY(result.error().message.contains(file));
    }

    void aMissingFileIsUnreadable()
    {
        const auto result = ArchiveInspector().inspect(m_dir.filePath(QStringLiteral("none")));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("archive_unreadable"));
    }

    void progressGrowsToTheFileSize()
    {
        TestArchive a = TestArchive::valid();
        a.addFile("files/uploads/big.bin", randomBytes(3 << 20));
        const QString file = m_dir.filePath(QStringLiteral("big.tar.zst"));
        QVERIFY(a.write(file));
        QVector<qint64> seen;
        qint64 total = -1;
        ArchiveInspector inspector;
        inspector.setProgress([&](qint64 done, qint64 of) {
            seen.push_back(done);
            total = of;
        });
        const auto summary = inspector.inspect(file);
        QVERIFY2(summary.ok(), qPrintable(summary.errorMessage()));
        QVERIFY(seen.size() >= 3);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(total, QFileInfo(file).size());
        QCOMPARE(seen.last(), total);
    }

    void cancelFromTheProgressCallbackStops()
    {
        TestArchive a = TestArchive::valid();
        a.addFile("files/uploads/big.bin", randomBytes(4 << 20));
        const QString file = m_dir.filePath(QStringLiteral("cancel.tar.zst"));
        QVERIFY(a.write(file));
        std::atomic<bool> cancel{false};
        int calls = 0;
        ArchiveInspector inspector;
        inspector.setCancelFlag(&cancel);
        inspector.setProgress([&](qint64, qint64) {
            ++calls;
            cancel = true;
        });
        const auto result = inspector.inspect(file);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QStringLiteral("cancelled"));
        QVERIFY(result.error().kind() == ErrorKind::Cancelled);
        QCOMPARE(calls, 1);
    }

    void theManifestRoundTrips()
    {
        const TestArchive a = TestArchive::valid();
        const auto back = BackupManifest::parse(a.manifest.serialize());
        QVERIFY2(back.ok(), qPrintable(back.errorMessage()));
        QCOMPARE(back->serialize(), a.manifest.serialize());
        QCOMPARE(back->resticVersion, QStringLiteral("0.14.0"));
    }

    void aManifestThatContradictsItselfIsRefused_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::newRow("file count")
            << QByteArray("\"file_count\":3") << QByteArray("\"file_count\":7");
        QTest::newRow("site type") << QByteArray("wordpress\",") << QByteArray("joomla\",");
        QTest::newRow("created") << QByteArray("05Z") << QByteArray("05+02:00");
        QTest::newRow("version") << QByteArray("\"format_version\":1")
                                 << QByteArray("\"format_version\":2");
        QTest::newRow("negative size") << QByteArray("\"size\":0") << QByteArray("\"size\":-1");
        QTest::newRow("not a string")
            << QByteArray("\"backup_id\":\"bk-20240501-0001\"") << QByteArray("\"backup_id\":7");
    }

    void aManifestThatContradictsItselfIsRefused()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QByteArray json = TestArchive::valid().manifest.serialize();
        QVERIFY2(json.contains(from), json.constData());
        json.replace(from, to);
        const auto parsed = BackupManifest::parse(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, QStringLiteral("manifest_invalid"));
        QVERIFY(parsed.error().message.contains(QStringLiteral("manifest.json")));
    }

private:
    static bool namesMember(const QString& message, const QString& member, const TestArchive& a)
    {
        if (member != kAnyMember)
            return message.contains(member);
        if (message.contains(QStringLiteral("\"manifest.json\"")))
            return true;
        return std::any_of(a.entries.begin(), a.entries.end(), [&](const TestEntry& e) {
            return message.contains(QLatin1Char('"') + QString::fromUtf8(e.path) +
                                    QLatin1Char('"'));
        });
    }

    static QByteArray randomBytes(int n)
    {
        QByteArray out(n, Qt::Uninitialized);
        QRandomGenerator rng(42);
        rng.fillRange(reinterpret_cast<quint32*>(out.data()), n / 4);
        return out;
    }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestArchiveInspector)
#include "tst_archiveinspector.moc"
