#include "backups/ArchiveInspector.h"

#include "backups/MemberRules.h"
#include "backups/Sha256.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <memory>

namespace chom {

namespace {

const QString kManifest = QStringLiteral("manifest.json");
constexpr size_t kReadBlock = size_t(1) << 20;

// A refusal of the archive file as a whole, before any member.
Error fileRefusal(const QString& code, const QString& path, const QString& rule)
{
    return makeError(ErrorKind::Rule, code,
                     QStringLiteral("The archive \"%1\" is refused: %2.").arg(path, rule));
}

struct ArchiveFree
{
    void operator()(archive* a) const { archive_read_free(a); }
};

// One inspection: the open archive, the manifest once read, what was seen.
class Pass
{
public:
    Pass(const ArchiveInspector& owner, QString path) : m_owner(owner), m_path(std::move(path)) {}

    Result<ArchiveSummary> run();

private:
    Status open();
    Status nextEntry(archive_entry* entry);
    Status readManifest(archive_entry* entry, const EntryFacts& facts);
    Status readMember(archive_entry* entry, const EntryFacts& facts);
    Status stream(const QString& member, const std::function<void(const void*, size_t)>& sink);
    Status checkBlock(const QString& member);
    Status finish();
    Error headerFailure() const;
    Error corrupt(const QString& member) const;
    static Error cancelled(const QString& member);

    const ArchiveInspector& m_owner;
    const ArchiveLimits& limits() const { return m_owner.limits(); }
    QString m_path;
    QString m_lastMember; // the entry being read, or the last one read
    qint64 m_fileSize = 0;
    qint64 m_reported = 0;
    std::unique_ptr<archive, ArchiveFree> m_archive;
    MemberRules m_rules;
    Sha256 m_sha;
    ArchiveSummary m_summary;
    QHash<QString, int> m_listed; // manifest member path -> index
    QVector<bool> m_found;
};

Result<ArchiveSummary> Pass::run()
{
    if (Status s = open(); !s)
        return s.error();
    for (;;) {
        if (m_owner.cancelled())
            return cancelled(m_path);
        archive_entry* entry = nullptr;
        const int r = archive_read_next_header(m_archive.get(), &entry);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK)
            return headerFailure();
        if (Status s = nextEntry(entry); !s)
            return s.error();
    }
    if (Status s = finish(); !s)
        return s.error();
    m_owner.report(m_fileSize, m_fileSize);
    return m_summary;
}

Status Pass::open()
{
    QFile file(m_path);
    if (!QFileInfo(m_path).isFile() || !file.open(QIODevice::ReadOnly))
        return fileRefusal(QStringLiteral("archive_unreadable"), m_path,
                           QStringLiteral("it is not a readable file"));
    m_fileSize = file.size();
    file.close();
    if (m_fileSize == 0)
        return fileRefusal(QStringLiteral("not_an_archive"), m_path, QStringLiteral("it is empty"));
    m_archive.reset(archive_read_new());
    // zstd-compressed tar only: the bomb guard needs a compressed size, and
    // one format is one set of tests. Plain tar is refused after the first
    // header (unsupported_format); other filters are not even recognised.
    archive_read_support_filter_zstd(m_archive.get());
    archive_read_support_format_tar(m_archive.get());
    const QByteArray local = QFile::encodeName(m_path);
    if (archive_read_open_filename(m_archive.get(), local.constData(), kReadBlock) == ARCHIVE_OK)
        return okStatus();
    const QString why = QString::fromUtf8(archive_error_string(m_archive.get()));
    // Opening already bids for the compression and the format: bytes nothing
    // recognises are no archive (libarchive's ARCHIVE_ERRNO_FILE_FORMAT,
    // EILSEQ on Linux; its header keeps the name private).
    if (archive_errno(m_archive.get()) == EILSEQ)
        return fileRefusal(QStringLiteral("not_an_archive"), m_path,
                           QStringLiteral("not a zstd-compressed tar (%1)").arg(why));
    return corrupt(m_path); // a zstd stream whose first block does not decode
}

Status Pass::nextEntry(archive_entry* entry)
{
    const bool first = m_summary.memberCount == 0;
    if (first && archive_filter_code(m_archive.get(), 0) != ARCHIVE_FILTER_ZSTD)
        return fileRefusal(
            QStringLiteral("unsupported_format"), m_path,
            QStringLiteral("a portable archive is a zstd-compressed tar (.tar.zst)"));
    const EntryFacts facts = EntryFacts::of(entry);
    m_lastMember = facts.path;
    if (++m_summary.memberCount > limits().maxMembers)
        return refusal(
            QStringLiteral("too_many_members"), facts.path,
            QStringLiteral("the archive has more than %1 members").arg(limits().maxMembers));
    if (Status s = MemberRules::checkName(facts); !s)
        return s;
    if (first)
        return readManifest(entry, facts);
    if (facts.path == kManifest)
        return refusal(QStringLiteral("manifest_duplicated"), facts.path,
                       QStringLiteral("a second manifest.json could replace the checked one"));
    if (Status s = m_rules.checkPlacement(facts); !s)
        return s;
    if (facts.kind == EntryKind::Regular)
        return readMember(entry, facts);
    return checkBlock(facts.path);
}

Status Pass::readManifest(archive_entry* entry, const EntryFacts& facts)
{
    if (facts.path != kManifest || facts.kind != EntryKind::Regular)
        return refusal(QStringLiteral("manifest_missing"), facts.path,
                       QStringLiteral("the first entry must be the file manifest.json"));
    if (archive_entry_size(entry) > limits().maxManifestBytes)
        return refusal(QStringLiteral("manifest_invalid"), facts.path,
                       QStringLiteral("it is larger than %1 bytes").arg(limits().maxManifestBytes));
    QByteArray json;
    Status read = stream(facts.path, [&](const void* data, size_t size) {
        json.append(static_cast<const char*>(data), qsizetype(size));
    });
    if (!read)
        return read;
    if (json.size() > limits().maxManifestBytes)
        return refusal(QStringLiteral("manifest_invalid"), facts.path,
                       QStringLiteral("it is larger than %1 bytes").arg(limits().maxManifestBytes));
    auto manifest = BackupManifest::parse(json);
    if (!manifest)
        return manifest.error();
    m_summary.manifest = std::move(manifest).value();
    const QVector<ManifestMember>& members = m_summary.manifest.members;
    for (int i = 0; i < members.size(); ++i)
        m_listed.insert(members.at(i).path, i);
    m_found.fill(false, members.size());
    return okStatus();
}

Status Pass::readMember(archive_entry* entry, const EntryFacts& facts)
{
    const auto listed = m_listed.constFind(facts.path);
    if (listed == m_listed.constEnd())
        return refusal(QStringLiteral("member_unlisted"), facts.path,
                       QStringLiteral("manifest.json does not list it"));
    const ManifestMember& expected = m_summary.manifest.members.at(*listed);
    const qint64 declared = archive_entry_size(entry);
    if (declared > limits().maxTotalBytes - m_summary.totalBytes)
        return refusal(
            QStringLiteral("too_large"), facts.path,
            QStringLiteral("the archive would expand past %1 bytes").arg(limits().maxTotalBytes));
    qint64 size = 0;
    Status read = stream(facts.path, [&](const void* data, size_t n) {
        m_sha.add(data, n);
        size += qint64(n);
    });
    if (!read)
        return read;
    const QString sha = QString::fromLatin1(m_sha.hexDigest());
    if (size != expected.size || sha != expected.sha256)
        return refusal(QStringLiteral("checksum_mismatch"), facts.path,
                       QStringLiteral("%1 bytes with SHA-256 %2, but manifest.json lists %3 "
                                      "bytes with %4")
                           .arg(size)
                           .arg(sha)
                           .arg(expected.size)
                           .arg(expected.sha256));
    m_found[*listed] = true;
    if (facts.path == QLatin1String("database.sql"))
        m_summary.hasDatabase = true;
    else
        ++m_summary.fileCount;
    return okStatus();
}

// Every data block of the current entry, zero-copy from libarchive, with
// the limits, the progress and the cancel flag checked after each one.
Status Pass::stream(const QString& member, const std::function<void(const void*, size_t)>& sink)
{
    qint64 expectedOffset = 0;
    for (;;) {
        const void* data = nullptr;
        size_t size = 0;
        la_int64_t offset = 0;
        const int r = archive_read_data_block(m_archive.get(), &data, &size, &offset);
        if (r == ARCHIVE_EOF)
            return okStatus();
        if (r != ARCHIVE_OK)
            return corrupt(member);
        // A hole (a sparse member) would be data the hash never saw.
        if (offset != expectedOffset)
            return refusal(QStringLiteral("unexpected_member"), member,
                           QStringLiteral("sparse files are not allowed"));
        expectedOffset += qint64(size);
        m_summary.totalBytes += qint64(size);
        if (m_summary.totalBytes > limits().maxTotalBytes)
            return refusal(
                QStringLiteral("too_large"), member,
                QStringLiteral("the archive expands past %1 bytes").arg(limits().maxTotalBytes));
        sink(data, size);
        if (Status s = checkBlock(member); !s)
            return s;
    }
}

// Cancel, the compression-ratio guard and progress, once per block or entry.
Status Pass::checkBlock(const QString& member)
{
    if (m_owner.cancelled())
        return cancelled(member);
    const qint64 expanded = archive_filter_bytes(m_archive.get(), 0);
    const qint64 compressed = archive_filter_bytes(m_archive.get(), -1);
    if (expanded > limits().bombMinBytes &&
        double(expanded) > limits().maxRatio * double(qMax<qint64>(compressed, 1)))
        return refusal(QStringLiteral("bomb"), member,
                       QStringLiteral("%1 bytes expanded from %2 compressed, more than %3 times")
                           .arg(expanded)
                           .arg(compressed)
                           .arg(limits().maxRatio));
    const qint64 done = qBound<qint64>(m_reported, compressed, m_fileSize);
    if (done != m_reported) {
        m_reported = done;
        m_owner.report(done, m_fileSize);
    }
    return okStatus();
}

Status Pass::finish()
{
    if (m_summary.memberCount == 0)
        return refusal(QStringLiteral("manifest_missing"), m_path,
                       QStringLiteral("the archive has no entries"));
    const QVector<ManifestMember>& members = m_summary.manifest.members;
    for (int i = 0; i < members.size(); ++i) {
        if (!m_found.at(i))
            return refusal(QStringLiteral("member_missing"), members.at(i).path,
                           QStringLiteral("manifest.json lists it but the archive lacks it"));
    }
    return okStatus();
}

// The first header decides whether this is an archive at all: nothing
// recognised (an image, a text file) is not one; a broken zstd stream is.
Error Pass::headerFailure() const
{
    if (m_summary.memberCount == 0 &&
        archive_filter_code(m_archive.get(), 0) != ARCHIVE_FILTER_ZSTD)
        return fileRefusal(QStringLiteral("not_an_archive"), m_path,
                           QStringLiteral("not a zstd-compressed tar (%1)")
                               .arg(QString::fromUtf8(archive_error_string(m_archive.get()))));
    return corrupt(m_lastMember.isEmpty() ? m_path : m_lastMember);
}

// Names the member being read, or for a broken header the one before it.
Error Pass::corrupt(const QString& member) const
{
    return makeError(ErrorKind::Rule, QStringLiteral("corrupt"),
                     QStringLiteral("The archive is damaged at or after \"%1\": %2.")
                         .arg(member, QString::fromUtf8(archive_error_string(m_archive.get()))));
}

Error Pass::cancelled(const QString& member)
{
    return makeError(ErrorKind::Cancelled, QStringLiteral("cancelled"),
                     QStringLiteral("Checking the archive was cancelled at \"%1\".").arg(member));
}

} // namespace

ArchiveInspector::ArchiveInspector(ArchiveLimits limits) : m_limits(limits) {}

Result<ArchiveSummary> ArchiveInspector::inspect(const QString& path) const
{
    Pass pass(*this, path);
    return pass.run();
}

void ArchiveInspector::report(qint64 done, qint64 total) const
{
    if (m_progress)
        m_progress(done, total);
}

} // namespace chom
