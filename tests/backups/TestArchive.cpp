#include "TestArchive.h"

#include <QCryptographicHash>
#include <QFile>
#include <QRandomGenerator>

#include <archive.h>
#include <archive_entry.h>
#include <sys/sysmacros.h>

#include <memory>

using namespace chom;

QByteArray sha256Hex(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

// Words from a small vocabulary: compresses like real site files, and a
// damaged block of it is a real decoding problem, not just different bytes.
QByteArray compressibleText(int bytes, quint32 seed)
{
    static const char* words[] = {"site",  "tenant", "nginx",     "php",     "backup",
                                  "<div>", "</div>", "wordpress", "laravel", "archive",
                                  "\n",    "lorem",  "ipsum"};
    QRandomGenerator rng(seed);
    QByteArray out;
    while (out.size() < bytes) {
        out += words[rng.bounded(int(std::size(words)))];
        out += ' ';
        out += QByteArray::number(rng.bounded(100000));
        out += ' ';
    }
    out.truncate(bytes);
    return out;
}

TestArchive TestArchive::valid()
{
    TestArchive a;
    a.manifest.siteDomain = QStringLiteral("shop.example.com");
    a.manifest.siteType = QStringLiteral("wordpress");
    a.manifest.backupType = QStringLiteral("full");
    a.manifest.backupId = QStringLiteral("bk-20240501-0001");
    a.manifest.created = QDateTime(QDate(2024, 5, 1), QTime(3, 4, 5), Qt::UTC);
    a.manifest.agentVersion = QStringLiteral("1.2.0");
    a.manifest.resticVersion = QStringLiteral("0.14.0");
    a.manifest.wordpressVersion = QStringLiteral("6.1.1");
    a.entries.push_back({"database.sql", TestEntry::File, compressibleText(150000, 1), {}});
    a.entries.push_back({"files/", TestEntry::Dir, {}, {}});
    a.entries.push_back({"files/index.php", TestEntry::File, compressibleText(40000, 2), {}});
    a.entries.push_back({"files/wp-content/", TestEntry::Dir, {}, {}});
    a.entries.push_back(
        {"files/wp-content/style.css", TestEntry::File, compressibleText(90000, 3), {}});
    a.entries.push_back({"files/current.css", TestEntry::Symlink, {}, "wp-content/style.css"});
    a.entries.push_back({"files/wp-content/home.php", TestEntry::Symlink, {}, "../index.php"});
    a.entries.push_back({"files/empty.txt", TestEntry::File, {}, {}});
    a.listMembers();
    return a;
}

void TestArchive::listMembers()
{
    manifest.members.clear();
    for (const TestEntry& e : entries) {
        if (e.type == TestEntry::File)
            manifest.members.push_back(
                {QString::fromUtf8(e.path), e.data.size(), QString::fromLatin1(sha256Hex(e.data))});
    }
    manifest.deriveTotals();
}

void TestArchive::addFile(const QByteArray& path, const QByteArray& data, bool list)
{
    entries.push_back({path, TestEntry::File, data, {}});
    if (list) {
        manifest.members.push_back(
            {QString::fromUtf8(path), data.size(), QString::fromLatin1(sha256Hex(data))});
        manifest.deriveTotals();
    }
}

namespace {

struct WriteFree
{
    void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree
{
    void operator()(archive_entry* e) const { archive_entry_free(e); }
};

bool writeEntry(archive* a, const TestEntry& e)
{
    std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), e.path.constData());
    archive_entry_set_mtime(entry.get(), 1714532645, 0);
    archive_entry_set_perm(entry.get(), 0644);
    switch (e.type) {
    case TestEntry::File:
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_size(entry.get(), e.data.size());
        break;
    case TestEntry::Dir:
        archive_entry_set_filetype(entry.get(), AE_IFDIR);
        archive_entry_set_perm(entry.get(), 0755);
        break;
    case TestEntry::Symlink:
        archive_entry_set_filetype(entry.get(), AE_IFLNK);
        archive_entry_set_symlink(entry.get(), e.target.constData());
        break;
    case TestEntry::HardLink:
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_hardlink(entry.get(), e.target.constData());
        break;
    case TestEntry::CharDevice:
        archive_entry_set_filetype(entry.get(), AE_IFCHR);
        archive_entry_set_rdev(entry.get(), makedev(1, 3)); // /dev/null's numbers
        break;
    case TestEntry::Fifo:
        archive_entry_set_filetype(entry.get(), AE_IFIFO);
        break;
    }
    if (archive_write_header(a, entry.get()) != ARCHIVE_OK)
        return false;
    if (e.type == TestEntry::File && !e.data.isEmpty())
        return archive_write_data(a, e.data.constData(), size_t(e.data.size())) == e.data.size();
    return true;
}

} // namespace

bool TestArchive::write(const QString& file, bool plain) const
{
    std::unique_ptr<archive, WriteFree> a(archive_write_new());
    if (!plain && archive_write_add_filter_zstd(a.get()) != ARCHIVE_OK)
        return false;
    archive_write_set_format_pax_restricted(a.get());
    const QByteArray name = QFile::encodeName(file);
    if (archive_write_open_filename(a.get(), name.constData()) != ARCHIVE_OK)
        return false;
    const TestEntry manifestEntry{"manifest.json",
                                  TestEntry::File,
                                  manifestJson.isNull() ? manifest.serialize() : manifestJson,
                                  {}};
    if (manifestFirst && !writeEntry(a.get(), manifestEntry))
        return false;
    for (const TestEntry& e : entries) {
        if (!writeEntry(a.get(), e))
            return false;
    }
    if (!manifestFirst && !writeEntry(a.get(), manifestEntry))
        return false;
    return archive_write_close(a.get()) == ARCHIVE_OK;
}
